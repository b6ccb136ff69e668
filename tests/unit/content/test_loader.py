"""generator.content.loader: content/ to typed records, engine-free (no MkDocs involved)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.content.loader import LoadContext, load_hub
from tests.hubkit import write_hub

ZONE = ZoneInfo("Asia/Singapore")

FILES = {
    "people/ana.md": """\
        ---
        name: Ana Lima
        roles: [author, mentor]
        location: NO
        lived_in: [NO, de]
        languages: [NB, en]
        email: ana@example.org
        joined: 2025-03-01
        ---
        Ana lives in Oslo.
        """,
    "articles/dates.md": """\
        ---
        title: "Salaries < 50k & rising"
        date: 2025-11-12
        updated: 2025-11-20T09:30:00+01:00
        authors: ana
        topics: [integration, integration]
        countries: [NO]
        source:
          name: Partner magazine
          url: https://magazine.test/original
          published: 2025-10-01
        ---
        ## A heading first

        The first **paragraph** is the default summary.

        Another paragraph.
        """,
    "stories/oslo.md": """\
        ---
        title: Bo in Oslo
        date: 2025-11-12T09:30:00
        partner_name: Bo
        from: DE
        to: NO
        countries: [SE]
        topics: [integration]
        ---
        A first winter.
        """,
}


def load(root: Path, files: dict[str, str] | None = None):
    write_hub(root, {**FILES, **(files or {})})
    return load_hub(LoadContext(root / "content", ZONE, "en"))


def test_a_valid_hub_loads_without_issues(tmp_path: Path):
    result = load(tmp_path)
    assert result.issues == []
    assert [a.slug for a in result.hub.articles] == ["dates"]


def test_date_only_values_are_midnight_in_the_hub_time_zone(tmp_path: Path):
    hub = load(tmp_path).hub
    piece = hub.articles[0]
    assert piece.date == datetime(2025, 11, 12, tzinfo=ZONE)
    assert piece.date.utcoffset() == timedelta(hours=8)
    assert piece.updated is not None and piece.updated.utcoffset() == timedelta(hours=1)
    assert piece.source is not None and piece.source.published == datetime(2025, 10, 1, tzinfo=ZONE)
    assert hub.stories[0].date == datetime(2025, 11, 12, 9, 30, tzinfo=ZONE)  # no offset: the hub's zone
    assert hub.people["ana"].joined == datetime(2025, 3, 1, tzinfo=ZONE)


def test_codes_are_normalized_and_norway_stays_norway(tmp_path: Path):
    hub = load(tmp_path).hub
    ana = hub.people["ana"]
    assert (ana.location, ana.lived_in, ana.languages) == ("NO", ("NO", "DE"), ("nb", "en"))
    assert hub.articles[0].countries == ("NO",)
    assert hub.stories[0].countries == ("SE", "DE", "NO")  # a story is about where it went from and to


def test_defaults(tmp_path: Path):
    hub = load(tmp_path).hub
    piece = hub.articles[0]
    assert piece.title == "Salaries < 50k & rising"  # text, never markup
    assert piece.summary == "The first paragraph is the default summary."
    assert piece.lang == "en"
    assert piece.authors == ("ana",)  # one value is a list of one
    assert piece.topics == ("integration",)  # repeats removed
    assert (piece.draft, piece.featured, piece.curated) == (False, False, True)
    assert hub.people["ana"].public is True
    assert hub.people["ana"].email == "ana@example.org"  # kept in memory, never published


@pytest.mark.parametrize(
    ("period", "label", "start", "end"),
    [
        ("2025-Q4", "2025-Q4", datetime(2025, 10, 1), datetime(2026, 1, 1)),
        ("2025-11", "2025-11", datetime(2025, 11, 1), datetime(2025, 12, 1)),
        ("2025-W47", "2025-W47", datetime(2025, 11, 17), datetime(2025, 11, 24)),
        ("\n  from: 2025-11-03\n  to: 2025-11-09", "2025-11-03..2025-11-09",
         datetime(2025, 11, 3), datetime(2025, 11, 10)),
    ],
)  # fmt: skip
def test_digest_periods(tmp_path: Path, period, label, start, end):
    intro = f"---\ntitle: Perspectives\nperiod: {period}\ndate: 2025-12-01\n---\nDear readers.\n"
    result = load(tmp_path, {"digests/issue.md": intro})
    assert result.issues == []
    digest = result.hub.digests[0].period
    assert (digest.label, digest.start, digest.end) == (label, start.replace(tzinfo=ZONE), end.replace(tzinfo=ZONE))


def test_digest_period_from_after_to_is_an_error(tmp_path: Path):
    intro = "---\ntitle: Perspectives\nperiod:\n  from: 2025-11-09\n  to: 2025-11-03\ndate: 2025-12-01\n---\nx\n"
    result = load(tmp_path, {"digests/issue.md": intro})
    assert [str(issue) for issue in result.issues] == [
        "content/digests/issue.md:4: period: expected from on or before to, got 2025-11-09 to 2025-11-03"
    ]


def test_digest_period_bad_bound_names_the_bound(tmp_path: Path):
    intro = "---\ntitle: Perspectives\nfrom: 2025-11-03\nto: 2025-11-31\ndate: 2025-12-01\n---\nx\n"
    result = load(tmp_path, {"digests/issue.md": intro})
    assert [str(issue) for issue in result.issues] == [
        "content/digests/issue.md:4: to: expected an ISO date like 2025-11-12, got '2025-11-31'"
    ]
