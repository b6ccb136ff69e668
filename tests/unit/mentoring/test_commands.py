"""`hub mentoring match` and `hub mentoring kit` on a real hub folder, through the real command group."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from generator.mentoring.kit import months_after
from tests.hubkit import ROOT, HubRun, run_hub

SAMPLE = ROOT / "generator" / "mentoring" / "sample_mentees.csv"
HEADER = "id,name,email,as,stage,to,from,languages,topics,format,commit\n"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., HubRun]:
    """`hub ARGS...` in `root`, in this process, as the console script runs it."""

    def invoke(root: Path, *args: str) -> HubRun:
        monkeypatch.chdir(root)
        return run_hub(list(args), monkeypatch, capsys)

    return invoke


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_match_pairs_within_capacity_and_only_with_public_mentors(mentor_hub: Path, run) -> None:
    (mentor_hub / "cohort.csv").write_text(HEADER + "".join(
        f"p{n},Person {n},p{n}@example.org,partner,first-year,JP,BR,pt;en,partner-career,virtual,yes\n"
        for n in range(4)), encoding="utf-8")  # fmt: skip
    result = run(mentor_hub, "mentoring", "match", "cohort.csv", "--out", "pairs.csv")
    assert result.code == 0, result.err
    pairs = rows((mentor_hub / "pairs.csv").read_text(encoding="utf-8"))
    assert [row["mentor"] for row in pairs] == ["ana", "ana", "bo", ""]
    assert pairs[0]["reasons"] == "lives in Japan; speaks Portuguese; coaches on partner career; knows Brazil"
    assert pairs[0]["score"] == "14" and pairs[2]["reasons"] == "speaks English"
    assert pairs[3]["reasons"] == "no mentor with capacity: every mentor who fits is taken"
    assert "Paired 3 of 4 mentees with 2 mentors" in result.err
    written = (mentor_hub / "pairs.csv").read_text(encoding="utf-8")
    assert "hidden" not in written and "closed" not in written and "drafted" not in written
    assert "@" not in written  # no address of a mentor or a mentee


def test_the_sample_cohort_is_paired_within_capacity_in_under_a_second(run) -> None:
    started = time.perf_counter()
    result = run(ROOT, "mentoring", "match", str(SAMPLE))
    elapsed = time.perf_counter() - started
    assert result.code == 0, result.err
    pairs = rows(result.out)
    assert len(pairs) == 20 and elapsed < 1.0
    capacity = {"mariana-ito": 2, "rafael-souza": 2, "lena-hoffmann": 3, "claire-dubois": 2,
                "fatima-al-mansouri": 2, "wanjiru-kamau": 1}  # fmt: skip
    taken = [row["mentor"] for row in pairs if row["mentor"]]
    assert all(taken.count(mentor) <= capacity[mentor] for mentor in taken)
    assert len(taken) == sum(capacity.values())  # more mentees than places: every place is used
    beatriz = next(row for row in pairs if row["mentee_name"] == "Beatriz Alves")
    assert beatriz["mentor"] == "mariana-ito" and "speaks Portuguese" in beatriz["reasons"]


BAD_ROWS = HEADER + (
    "ok,Fine Person,ok@example.org,partner,first-year,JP,BR,pt,,virtual,yes\n"
    "x1,Bad Country,x1@example.org,partner,first-year,JPN,BR,pt,,virtual,yes\n"
    "X 2,=HYPERLINK(1),not-an-address,spouse,later,JP,,pt;xx,cooking,phone,maybe\n"
    "ok,Again,,partner,first-year,JP,,pt,,,\n"
    ",,,,,,,,,,\n"
    "short,row\n"
    "x3,No Stage,,partner,,JP,,en,,,\n"
)


def test_every_bad_row_is_listed_and_nothing_is_written(mentor_hub: Path, run) -> None:
    (mentor_hub / "cohort.csv").write_text(BAD_ROWS, encoding="utf-8")
    result = run(mentor_hub, "mentoring", "match", "cohort.csv", "--out", "pairs.csv")
    assert result.code == 1
    assert result.err.splitlines() == [
        "cohort.csv:3: to: expected an ISO 3166-1 country code like DE or SG, got 'JPN'",
        "cohort.csv:4: id: expected an id of lowercase letters, digits and hyphens, got 'X 2'",
        "cohort.csv:4: as: expected one of partner, assignee, got 'spouse'",
        "cohort.csv:4: stage: expected one of before-move, first-year, returning, got 'later'",
        "cohort.csv:4: name: expected a name that does not start with = + - or @, got '=HYPERLINK(1)'",
        "cohort.csv:4: email: expected an e-mail address like name@example.org (An email address must have an "
        "@-sign), got 'not-an-address'",
        "cohort.csv:4: languages: expected an ISO 639-1 language code like en or fr, got 'xx'",
        "cohort.csv:4: topics: expected a topic id from topics.yml (integration, mentoring, partner-career), "
        "got 'cooking'",
        "cohort.csv:4: format: expected one of virtual, in-person, got 'phone'",
        "cohort.csv:4: commit: expected one of yes, no, got 'maybe'",
        "cohort.csv:5: id: expected each id once, got 'ok' again (first on line 2)",
        "cohort.csv:7: row: expected 11 values as in the header, got 2",
        "cohort.csv:8: stage: required, got nothing",
    ]
    assert not (mentor_hub / "pairs.csv").exists()
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "cohort.csv:1: header: expected id,as,stage,to,name,email,from,languages,topics,format,commit, "
              "got nothing"),
        (b"id,as,stage,colour\n", "cohort.csv:1: header: expected columns from id, as, stage, to, name, email, "
                                  "from, languages, topics, format, commit, got 'colour'"),
        (b"id,as,stage,to\n\xff\xfe\n", "cohort.csv: expected UTF-8 text (save the CSV as UTF-8)"),
        (b"x" * 2_000_001, "cohort.csv: expected a CSV file of at most 2 MB"),
    ],
    ids=["empty", "unknown column", "not utf-8", "too large"],
)  # fmt: skip
def test_unreadable_files_are_refused_with_one_line(mentor_hub: Path, run, content: bytes, message: str) -> None:
    (mentor_hub / "cohort.csv").write_bytes(content)
    result = run(mentor_hub, "mentoring", "match", "cohort.csv")
    assert result.code == 1
    assert result.err.splitlines()[0] == message


def test_the_kit_calendar_reads_back_with_every_date(mentor_hub: Path, run) -> None:
    (mentor_hub / "pairs.csv").write_text(
        "mentee,mentee_name,mentor,mentor_name,score,reasons\n"
        "p1,Pia Quint,ana,Ana Lima,14,lives in Japan; speaks Portuguese\n"
        "p2,Ola Nobody,,,,no mentor with capacity: every mentor who fits is taken\n", encoding="utf-8")  # fmt: skip
    result = run(mentor_hub, "mentoring", "kit", "pairs.csv", "--start", "2027-01-31", "--out", "kits")
    assert result.code == 0, result.err
    assert "Wrote the kits of 1 pair(s) into kits; 1 unmatched mentee(s) skipped." in result.err
    assert sorted(p.name for p in (mentor_hub / "kits").iterdir()) == ["p1--ana.ics", "p1--ana.md"]
    calendar = Calendar.from_ical((mentor_hub / "kits" / "p1--ana.ics").read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    starts = [event.decoded("dtstart") for event in events]
    assert starts[:3] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]  # month ends kept
    assert starts[11] == date(2027, 12, 31) and starts[12] == date(2028, 1, 31)
    assert len(events) == 13 and len({str(event["uid"]) for event in events}) == 13
    assert [str(e["summary"]).split(":")[0] for e in events] == [
        f"Mentoring meeting {n} of 12" for n in range(1, 13)
    ] + ["Mentoring closing review"]
    assert all(event.decoded("dtend") - event.decoded("dtstart") == timedelta(days=1) for event in events)
    assert calendar["version"] == "2.0" and "Mentoring kit" in str(calendar["prodid"])
    plan = (mentor_hub / "kits" / "p1--ana.md").read_text(encoding="utf-8")
    assert plan.startswith("# Mentoring plan: Pia Quint with Ana Lima\n")
    assert "closing review on 2028-01-31" in plan and "12. 2027-12-31" in plan
    assert "Why this pairing: lives in Japan; speaks Portuguese." in plan


def test_the_kit_refuses_an_edited_pairs_file_with_bad_ids(mentor_hub: Path, run) -> None:
    (mentor_hub / "pairs.csv").write_text(
        "mentee,mentee_name,mentor,mentor_name,score,reasons\n"
        "../../etc,Evil,ana,Ana Lima,1,\n"
        "p1,Pia,ana,Ana,1,\np1,Pia,bo,Bo,1,\n", encoding="utf-8")  # fmt: skip
    result = run(mentor_hub, "mentoring", "kit", "pairs.csv", "--start", "2027-01-15", "--out", "kits")
    assert result.code == 1
    assert result.err.splitlines() == [
        "pairs.csv:2: mentee: expected an id of lowercase letters, digits and hyphens, got '../../etc'",
        "pairs.csv:4: mentee: expected each mentee once, got 'p1' again",
    ]
    assert not (mentor_hub / "kits").exists()
    bad_date = run(mentor_hub, "mentoring", "kit", "pairs.csv", "--start", "15/01/2027", "--out", "k")
    assert bad_date.code == 2 and "expected an ISO date like 2027-01-15, got '15/01/2027'" in bad_date.err


def test_months_after_keeps_the_day_or_the_month_end() -> None:
    assert months_after(date(2027, 1, 15), 12) == date(2028, 1, 15)
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
