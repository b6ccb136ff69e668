"""Which issue `hub digest build` compiles, and for which period.

The period comes from, in order: --period / --since --until / --since-last, the
issue's intro file, or the issue's frozen selection. With none of them the build
stops: the first issue must name its period, so the whole archive is never
mailed by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.content.errors import HubError
from generator.content.periods import custom_period, kind_of, parse_period
from generator.content.project import Project, build_time
from generator.content.records import Period

from .frozen import read_selection
from .intro import Intro, check_issue_id, previous_end, read_intro

EXPLICIT = "give --period 2025-Q3|2025-11|2025-W47, or --since DATE --until DATE"


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """The options of `hub digest build`."""

    issue: str | None = None
    force: bool = False
    strict: bool = False
    period: str | None = None
    since: str | None = None
    until: str | None = None
    since_last: bool = False
    feeds: tuple[str, ...] = ()
    out_dir: Path | None = None
    segments: tuple[tuple[str, tuple[str, ...]], ...] | None = None


@dataclass(frozen=True, slots=True)
class Target:
    issue: str
    period: Period
    kind: str
    intro: Intro | None
    warnings: tuple[str, ...] = ()


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HubError(f"{option}: expected a date like 2025-11-30, got {value!r}") from None


def _requested(project: Project, request: BuildRequest, issue: str | None) -> Period | None:
    """The period the options name, or None when they name none."""
    zone = project.settings.zone
    chosen = [
        name
        for name, given in (
            ("--period", request.period),
            ("--since", request.since),
            ("--since-last", request.since_last),
        )
        if given
    ]
    if len(chosen) > 1:
        raise HubError(f"{' and '.join(chosen)}: give only one way of choosing the period")
    if request.until and not (request.since or request.since_last):
        raise HubError("--until: give --since DATE (or --since-last) with it")
    try:
        if request.period:
            return parse_period(request.period, zone)
        until = (
            _day(request.until, "--until")
            if request.until
            else build_time().astimezone(zone).date()
        )
        if request.since:
            return custom_period(_day(request.since, "--since"), until, zone)
        if request.since_last:
            return custom_period(_since_last(project, issue, until, zone), until, zone)
    except ValueError as problem:
        raise HubError(f"period: {problem}") from None
    return None


def _since_last(project: Project, issue: str | None, until: date, zone: ZoneInfo) -> date:
    before = datetime.combine(until, datetime.max.time(), tzinfo=zone)
    start = previous_end(project.content_dir, issue, before, zone)
    if start is None:
        raise HubError(
            f"--since-last: there is no previous issue to start from; the first issue "
            f"needs an explicit period: {EXPLICIT}"
        )
    return start


def _issue_from_period(period: Period) -> str:
    return period.label.lower().replace("..", "-to-")


def resolve_target(project: Project, request: BuildRequest) -> Target:
    """The issue id, its intro (if written) and its period, or a HubError saying what is missing."""
    issue = check_issue_id(request.issue) if request.issue else None
    zone = project.settings.zone
    requested = _requested(project, request, issue)
    if issue is None:
        if requested is None:
            raise HubError(f"expected an issue id (content/digests/<issue>.md), or {EXPLICIT}")
        issue = _issue_from_period(requested)
    intro = read_intro(project.content_dir, issue, zone)
    warnings: list[str] = []
    if requested is not None:
        if intro and intro.period != requested:
            warnings.append(
                f"{issue}: using the period given ({requested.label}), not the "
                f"intro's ({intro.period.label})"
            )
        return Target(issue, requested, kind_of(requested), intro, tuple(warnings))
    if intro is not None:
        return Target(issue, intro.period, intro.period_kind, intro)
    frozen = read_selection(project.content_dir, issue)
    if frozen is not None:
        return Target(issue, frozen.period, frozen.period_kind, None)
    raise HubError(
        f"content/digests/{issue}.md: no such issue; write its intro (title, period, "
        f"date) or {EXPLICIT}"
    )
