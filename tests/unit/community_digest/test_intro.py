"""community_digest.intro: the fields the digest reads from content/digests/<issue>.md."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from community_digest.intro import IntroError, previous_end, read_intro

from .factories import ZONE


def write(content_dir: Path, issue: str, text: str) -> None:
    (content_dir / "digests").mkdir(parents=True, exist_ok=True)
    (content_dir / "digests" / f"{issue}.md").write_text(text, encoding="utf-8")


def test_named_period_and_date_only(tmp_path: Path):
    write(
        tmp_path,
        "2025-11",
        "---\ntitle: November\nperiod: 2025-11\ndate: 2025-12-01\n---\nHi [x](../x/).\n",
    )
    intro = read_intro(tmp_path, "2025-11", ZONE)
    assert intro.period.label == "2025-11" and intro.period_kind == "month"
    assert intro.date == datetime(2025, 12, 1, tzinfo=ZONE)
    assert intro.html == '<p>Hi <a href="../x/">x</a>.</p>'
    assert intro.markdown == "Hi [x](../x/)."


@pytest.mark.parametrize(
    "front",
    ["period: {from: 2025-11-03, to: 2025-11-09}", "from: 2025-11-03\nto: 2025-11-09"],
)
def test_from_to_dates_give_a_custom_period(tmp_path: Path, front: str):
    write(tmp_path, "early-nov", f"---\ntitle: Early November\n{front}\ndate: 2025-11-10\n---\n")
    intro = read_intro(tmp_path, "early-nov", ZONE)
    assert intro.period_kind == "custom"
    assert intro.period.end == datetime(2025, 11, 10, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (
            "period: 2025-Q3\ndate: 2025-10-01",
            "content/digests/x.md:4: title: required field is missing",
        ),
        (
            "title: X\nperiod: 2025-Q9\ndate: 2025-10-01",
            "content/digests/x.md:3: period: expected a period like 2025-Q3, 2025-11 or 2025-W47, "
            "got '2025-Q9' (quarters are Q1 to Q4)",
        ),
        (
            "title: X\nperiod: 2025-Q3\ndate: soon",
            "content/digests/x.md:4: date: expected a date like 2025-11-12 or "
            "2025-11-12T09:30:00+01:00, got 'soon'",
        ),
    ],
)
def test_mistakes_name_file_line_and_field(tmp_path: Path, front: str, message: str):
    content = tmp_path / "content"
    write(content, "x", f"---\n{front}\n---\n")
    with pytest.raises(IntroError) as caught:
        read_intro(content, "x", ZONE)
    assert str(caught.value) == message


def test_previous_end_is_the_latest_issue_ending_before(tmp_path: Path):
    write(tmp_path, "2025-q2", "---\ntitle: Q2\nperiod: 2025-Q2\ndate: 2025-07-01\n---\n")
    write(tmp_path, "2025-q3", "---\ntitle: Q3\nperiod: 2025-Q3\ndate: 2025-10-01\n---\n")
    write(tmp_path, "2025-q4", "---\ntitle: Q4\nperiod: 2025-Q4\ndate: 2026-01-01\n---\n")
    before = datetime(2025, 12, 1, tzinfo=ZONE)
    assert previous_end(tmp_path, "2025-12", before, ZONE) == date(2025, 10, 1)
    assert previous_end(tmp_path, "2025-q3", datetime(2025, 10, 1, tzinfo=ZONE), ZONE) == date(
        2025, 7, 1
    )
    assert previous_end(tmp_path / "none", None, before, ZONE) is None
