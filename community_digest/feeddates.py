"""Dates as feeds write them, read into aware datetimes.

feedparser's own `*_parsed` values are UTC struct_times and it reads zone names it
does not know (such as CEST, common in European partners' RSS) as UTC, which
moves an entry by two hours and can drop it into the wrong issue. So the raw
string is read here: RFC 3339 and RFC 822 with numeric offsets or the zone names
below. A date without any zone is taken in the site's time zone.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Abbreviations seen in the wild; ambiguous ones (IST, BST in some feeds) are left
# out on purpose, so they fall back to the site zone with a warning instead of a guess.
_ZONES = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 60,
    "CET": 60,
    "CEST": 120,
    "MET": 60,
    "MEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "SGT": 480,
    "HKT": 480,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "BRT": -180,
}
_TRAILING_ZONE = re.compile(r"\s+([A-Za-z]{1,5})$")


def _rfc3339(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    zone_name = None
    match = _TRAILING_ZONE.search(text)
    if match and match.group(1).upper() in _ZONES:
        zone_name = match.group(1).upper()
        text = text[: match.start()]
    parts = email.utils.parsedate_tz(text)
    if parts is None:
        return None
    try:
        moment = datetime(*parts[:6])  # type: ignore[misc]
    except ValueError:
        return None
    if zone_name is not None:
        return moment.replace(tzinfo=timezone(timedelta(minutes=_ZONES[zone_name])))
    if parts[9] is not None and re.search(r"[+-]\d{4}\s*$", text):
        return moment.replace(tzinfo=timezone(timedelta(seconds=parts[9])))
    return moment


def parse_feed_date(text: str | None, zone: ZoneInfo) -> tuple[datetime | None, bool]:
    """(the moment, whether the text named its zone); (None, False) if unreadable."""
    if not text or not text.strip():
        return None, False
    text = text.strip()
    moment = _rfc3339(text) or _rfc822(text)
    if moment is None:
        return None, False
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone), False
    return moment, True


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
