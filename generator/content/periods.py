"""Digest periods: "2025-Q3", "2025-11" and "2025-W47" as half-open windows of time.

A period is [start, end) in the site's time zone, so an item published at
midnight on the first day of the next period belongs to the next issue only.
Weeks are ISO 8601 weeks (Monday to Monday; week 1 holds the year's first Thursday).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .records import Period

_EXPECTED = "expected a period like 2025-Q3, 2025-11 or 2025-W47"
_QUARTER = re.compile(r"^(\d{4})-Q(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def _month_start(year: int, month: int) -> date:
    # month may be 13 for "the month after December"
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _quarter(year: int, quarter: int, label: str) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"{_EXPECTED}, got {label!r} (quarters are Q1 to Q4)")
    first = 3 * (quarter - 1) + 1
    return _month_start(year, first), _month_start(year, first + 3)


def _month(year: int, month: int, label: str) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise ValueError(f"{_EXPECTED}, got {label!r} (months are 01 to 12)")
    return _month_start(year, month), _month_start(year, month + 1)


def _week(year: int, week: int, label: str) -> tuple[date, date]:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{_EXPECTED}, got {label!r} ({year} has no ISO week {week})") from None
    return monday, monday + timedelta(days=7)


def period_kind(label: str) -> str:
    """The kind of a period label: week, month or quarter; ValueError for anything else."""
    text = label.strip()
    if _QUARTER.match(text):
        return "quarter"
    if _WEEK.match(text):
        return "week"
    if _MONTH.match(text):
        return "month"
    raise ValueError(f"{_EXPECTED}, got {label!r}")


def parse_period(label: str, tz: ZoneInfo) -> Period:
    """The window a period label names, as aware datetimes in `tz`.

    The returned label is normalized ("2025-q3" -> "2025-Q3", "2025-3" -> "2025-03").
    """
    if not isinstance(label, str):
        raise ValueError(f"{_EXPECTED}, got {label!r}")
    text = label.strip()
    kind = period_kind(text)
    if kind == "quarter":
        year, number = map(int, _QUARTER.match(text).groups())  # type: ignore[union-attr]
        start, end = _quarter(year, number, label)
        normalized = f"{year:04d}-Q{number}"
    elif kind == "week":
        year, number = map(int, _WEEK.match(text).groups())  # type: ignore[union-attr]
        start, end = _week(year, number, label)
        normalized = f"{year:04d}-W{number:02d}"
    else:
        year, number = map(int, _MONTH.match(text).groups())  # type: ignore[union-attr]
        start, end = _month(year, number, label)
        normalized = f"{year:04d}-{number:02d}"
    return Period(normalized, _midnight(start, tz), _midnight(end, tz))


def custom_period(since: date, until: date, tz: ZoneInfo) -> Period:
    """From `since` up to and including the day `until` (kind "custom").

    `until` is inclusive for people ("--until 2025-11-30" means to the end of that
    day), so the window ends at the following midnight.
    """
    if until < since:
        raise ValueError(f"expected --until on or after --since, got {since.isoformat()} to {until.isoformat()}")
    label = f"{since.isoformat()}..{until.isoformat()}"
    return Period(label, _midnight(since, tz), _midnight(until + timedelta(days=1), tz))


def kind_of(period: Period) -> str:
    """period_kind() of a Period, or "custom" for a from/to window."""
    try:
        return period_kind(period.label)
    except ValueError:
        return "custom"
