"""A digest issue's editorial intro (content/digests/<issue>.md) and the issues before it.

Only the few fields the digest needs are read here (title, period, date, authors,
body), so `hub digest build` does not load and validate the whole site; the
site build validates the same file fully.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import markdown

from generator.content.errors import HubError
from generator.content.periods import custom_period, kind_of, parse_period
from generator.content.records import Period
from generator.content.yaml_source import SourceFile, read_source

from .frozen import SUFFIX, read_selection

ISSUE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class IntroError(HubError):
    """The issue's intro file is missing a field the digest needs, or has a bad one."""


@dataclass(frozen=True, slots=True)
class Intro:
    issue: str
    title: str
    period: Period
    period_kind: str
    date: datetime
    authors: tuple[str, ...]
    summary: str | None
    markdown: str
    html: str
    path: Path


def check_issue_id(issue: str) -> str:
    if not ISSUE_ID.match(issue):
        raise HubError(
            "expected an issue id like 2025-q3 (lowercase letters, digits and hyphens), "
            f"got {issue!r}"
        )
    return issue


def intro_path(content_dir: Path, issue: str) -> Path:
    return content_dir / "digests" / f"{issue}.md"


def parse_when(value: Any, zone: ZoneInfo) -> datetime:
    """A front matter date: date-only values are midnight in the site's zone."""
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"expected a date like 2025-11-12 or 2025-11-12T09:30:00+01:00, got {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _period(data: dict[str, Any], zone: ZoneInfo) -> Period:
    raw = data.get("period")
    bounds = raw if isinstance(raw, dict) else data
    if raw is None and "from" not in data:
        raise ValueError("required field is missing (2025-Q3, 2025-11, 2025-W47 or from/to dates)")
    if isinstance(raw, dict) or raw is None:
        since, until = parse_when(bounds.get("from"), zone), parse_when(bounds.get("to"), zone)
        return custom_period(since.date(), until.date(), zone)
    return parse_period(str(raw), zone)


def _field(source: SourceFile, display: str, name: str, read: Any) -> Any:
    try:
        return read(source.front.data)
    except ValueError as problem:
        line = source.front.line_of(name) or source.body_line - 1
        raise IntroError(f"{display}:{line}: {name}: {problem}") from None


def _title(data: dict[str, Any]) -> str:
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("required field is missing")
    return title.strip()


def read_intro(content_dir: Path, issue: str, zone: ZoneInfo) -> Intro | None:
    """The intro of `issue`, or None when content/digests/<issue>.md does not exist."""
    path = intro_path(content_dir, issue)
    if not path.is_file():
        return None
    display = f"{content_dir.name}/digests/{path.name}"
    source = read_source(display, path.read_bytes())
    if not isinstance(source, SourceFile):
        raise IntroError(str(source))
    period = _field(source, display, "period", lambda d: _period(d, zone))
    authors = source.front.data.get("authors") or ()
    summary = source.front.data.get("summary")
    return Intro(
        issue=issue,
        title=_field(source, display, "title", _title),
        period=period,
        period_kind=kind_of(period),
        date=_field(source, display, "date", lambda d: parse_when(d.get("date"), zone)),
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (str(authors),),
        summary=summary.strip() if isinstance(summary, str) and summary.strip() else None,
        markdown=source.body.strip(),
        html=markdown.markdown(source.body, extensions=["attr_list", "tables"]),
        path=path,
    )


def _issue_ids(content_dir: Path) -> list[str]:
    folder = content_dir / "digests"
    if not folder.is_dir():
        return []
    stems = {p.name.removesuffix(SUFFIX) for p in folder.glob(f"*{SUFFIX}")}
    stems |= {p.stem for p in folder.glob("*.md") if p.stem != "index"}
    return sorted(stem for stem in stems if ISSUE_ID.match(stem))


def _period_of(content_dir: Path, issue: str, zone: ZoneInfo) -> Period | None:
    frozen = read_selection(content_dir, issue)
    if frozen is not None:
        return frozen.period
    try:
        intro = read_intro(content_dir, issue, zone)
    except HubError:
        return None
    return intro.period if intro else None


def previous_end(
    content_dir: Path, issue: str | None, before: datetime, zone: ZoneInfo
) -> date | None:
    """Where the latest other issue ending no later than `before` ended, or None."""
    ends = [
        period.end
        for other in _issue_ids(content_dir)
        if other != issue
        if (period := _period_of(content_dir, other, zone)) and period.end <= before
    ]
    return max(ends).astimezone(zone).date() if ends else None
