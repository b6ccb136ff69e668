"""generator.content.periods: labels to half-open windows in the site's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from generator.content.periods import custom_period, kind_of, parse_period, period_kind

AMS = ZoneInfo("Europe/Amsterdam")
EXPECTED = "expected a period like 2025-Q3, 2025-11 or 2025-W47, got "


@pytest.mark.parametrize(
    ("label", "start", "end", "kind"),
    [
        ("2025-Q3", datetime(2025, 7, 1), datetime(2025, 10, 1), "quarter"),
        ("2025-Q4", datetime(2025, 10, 1), datetime(2026, 1, 1), "quarter"),
        ("2025-11", datetime(2025, 11, 1), datetime(2025, 12, 1), "month"),
        ("2025-12", datetime(2025, 12, 1), datetime(2026, 1, 1), "month"),
        ("2025-W47", datetime(2025, 11, 17), datetime(2025, 11, 24), "week"),
        ("2026-W01", datetime(2025, 12, 29), datetime(2026, 1, 5), "week"),
        ("2020-W53", datetime(2020, 12, 28), datetime(2021, 1, 4), "week"),
    ],
)
def test_labels_give_half_open_windows(label, start, end, kind):
    period = parse_period(label, AMS)
    assert period.label == label
    assert period.start == start.replace(tzinfo=AMS)
    assert period.end == end.replace(tzinfo=AMS)
    assert period.start.tzinfo is AMS
    assert period_kind(label) == kind
    assert kind_of(period) == kind


def test_window_is_half_open():
    period = parse_period("2025-11", AMS)
    assert period.contains(datetime(2025, 11, 1, tzinfo=AMS))
    assert period.contains(datetime(2025, 11, 30, 23, 59, 59, tzinfo=AMS))
    assert not period.contains(datetime(2025, 12, 1, tzinfo=AMS))
    assert not period.contains(datetime(2025, 10, 31, 23, 59, 59, tzinfo=AMS))


def test_time_zone_is_respected():
    # Midnight in Amsterdam on 1 July is 22:00 UTC on 30 June (summer time).
    period = parse_period("2025-Q3", AMS)
    utc = ZoneInfo("UTC")
    assert period.start.astimezone(utc) == datetime(2025, 6, 30, 22, tzinfo=utc)


def test_labels_are_normalized():
    assert parse_period("2025-q3", AMS).label == "2025-Q3"
    assert parse_period("2025-3", AMS).label == "2025-03"
    assert parse_period("2025-w7", AMS).label == "2025-W07"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2025-Q5", EXPECTED + "'2025-Q5' (quarters are Q1 to Q4)"),
        ("2025-13", EXPECTED + "'2025-13' (months are 01 to 12)"),
        ("2025-W53", EXPECTED + "'2025-W53' (2025 has no ISO week 53)"),
        ("autumn", EXPECTED + "'autumn'"),
        ("", EXPECTED + "''"),
    ],
)
def test_bad_labels_say_what_was_expected(label, message):
    with pytest.raises(ValueError) as caught:
        parse_period(label, AMS)
    assert str(caught.value) == message


def test_custom_period_includes_the_until_day():
    period = custom_period(date(2025, 11, 3), date(2025, 11, 9), AMS)
    assert period.start == datetime(2025, 11, 3, tzinfo=AMS)
    assert period.end == datetime(2025, 11, 10, tzinfo=AMS)
    assert kind_of(period) == "custom"
    with pytest.raises(ValueError, match="on or after"):
        custom_period(date(2025, 11, 9), date(2025, 11, 3), AMS)
