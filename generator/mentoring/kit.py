"""A pair's kit: the plan (goals with dates to fill in, the cadence, the closing review)
and a year of monthly meetings with a closing review, as an iCalendar file (RFC 5545).

The programme's shape follows the design: goals with target dates, a meeting about
once a month for a year, results looked at along the way, and a closing review.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

MEETINGS = 12
PRODUCT = "-//Mobility Hub//Mentoring kit//EN"


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of a pairs file: ids (used in file names) and display names."""

    mentee: str
    mentee_name: str
    mentor: str
    mentor_name: str
    reasons: tuple[str, ...] = ()


def months_after(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def meeting_days(start: date) -> list[date]:
    """The twelve monthly meetings, the first on `start`."""
    return [months_after(start, n) for n in range(MEETINGS)]


def review_day(start: date) -> date:
    """The closing review, a month after the last meeting."""
    return months_after(start, MEETINGS)


def file_stem(pair: Pair) -> str:
    return f"{pair.mentee}--{pair.mentor}"


def plan_markdown(pair: Pair, start: date) -> str:
    days = meeting_days(start)
    checkpoints = (days[2], days[5], review_day(start))
    lines = [
        f"# Mentoring plan: {pair.mentee_name} with {pair.mentor_name}",
        "",
        f"A year of mentoring, from {start.isoformat()} to the closing review on {review_day(start).isoformat()}.",
    ]
    if pair.reasons:
        lines += ["", f"Why this pairing: {'; '.join(pair.reasons)}."]
    lines += [
        "", "## Goals", "",
        "Agree on two or three goals at the first meeting; give each a target date and a sign that it is met.",
        "", "| goal | target date | how we will know |", "|---|---|---|",
    ]  # fmt: skip
    lines += [f"| {n}. | {when.isoformat()} (or earlier) | |" for n, when in enumerate(checkpoints, start=1)]
    lines += [
        "", "## Cadence", "",
        "About an hour, once a month (the calendar file has every date). Before each meeting the mentee "
        "notes what happened, what was tried and what is next; after it, one line on progress per goal.",
        "",
    ]  # fmt: skip
    lines += [f"{n}. {day.isoformat()}" for n, day in enumerate(days, start=1)]
    lines += [
        "", "## Closing review", "",
        f"On {review_day(start).isoformat()}: go through each goal (met, changed, dropped, and why), what "
        "helped most, and what the mentee takes on alone. Tell the programme's coordinator how it went.",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def _event(uid: str, summary: str, day: date, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # an all-day reminder of the month's meeting, not a busy day
    return event


def meetings_calendar(pair: Pair, start: date, stamp: datetime) -> bytes:
    """The iCalendar file: one all-day event per monthly meeting (the pair sets the hour), and the review."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Mentoring: {pair.mentee_name} and {pair.mentor_name}")
    key = f"{file_stem(pair)}-{start.strftime('%Y%m%d')}"
    who = f"{pair.mentee_name} and {pair.mentor_name}"
    for n, day in enumerate(meeting_days(start), start=1):
        cal.add_component(_event(f"{key}-{n}@mobility-hub", f"Mentoring meeting {n} of {MEETINGS}: {who}", day,
                                 "Progress on each goal since last month, and the next step.", stamp))  # fmt: skip
    cal.add_component(_event(f"{key}-review@mobility-hub", f"Mentoring closing review: {who}", review_day(start),
                             "Each goal met, changed or dropped; what helped; what comes next.", stamp))  # fmt: skip
    return cal.to_ical()
