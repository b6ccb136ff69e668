"""generator.content.fields: each front-matter value parser returns the typed value or says what it expected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.content import fields as f

AMS = ZoneInfo("Europe/Amsterdam")
DATE = "expected an ISO date like 2025-11-12, got "


def problem(parse, value) -> str:
    with pytest.raises(f.FieldProblem) as caught:
        parse(value)
    return caught.value.message


def test_date_only_is_midnight_in_the_site_zone():
    moment = f.when("2025-11-12", AMS)
    assert moment == datetime(2025, 11, 12, tzinfo=AMS)
    assert moment.utcoffset() == timedelta(hours=1)
    # Summer time: midnight in Amsterdam is 22:00 UTC the day before.
    assert f.when("2025-07-01", AMS).astimezone(UTC) == datetime(2025, 6, 30, 22, tzinfo=UTC)
    assert f.when("2025-07-01", ZoneInfo("UTC")) == datetime(2025, 7, 1, tzinfo=UTC)


def test_date_times_keep_their_offset_or_take_the_site_zone():
    assert f.when("2025-11-12T09:30:00+01:00", AMS).utcoffset() == timedelta(hours=1)
    assert f.when("2025-11-12T09:30:00Z", AMS) == datetime(2025, 11, 12, 9, 30, tzinfo=UTC)
    assert f.when("2025-11-12 09:30", AMS) == datetime(2025, 11, 12, 9, 30, tzinfo=AMS)
    moment = f.when("2025-11-12T09:30:00-05:00", AMS)
    assert moment.tzinfo == timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("2025-13-45", "'2025-13-45'"),
        ("2025-02-30", "'2025-02-30'"),
        ("12/11/2025", "'12/11/2025'"),
        ("next week", "'next week'"),
        (20251112, "20251112"),
        (True, "true"),
        (None, "nothing"),
        (["2025-11-12"], "a list"),
    ],
)
def test_bad_dates(value, found):
    assert problem(lambda v: f.when(v, AMS), value) == DATE + found


def test_countries_are_iso_3166_alpha_2():
    assert f.country("NO") == "NO"  # Norway, not false
    assert f.country("sg") == "SG"
    assert f.country("GB") == "GB"
    for bad, found in (("UK", "'UK'"), ("XX", "'XX'"), ("DEU", "'DEU'"), (False, "false"), (49, "49")):
        assert problem(f.country, bad) == f"expected an ISO 3166-1 country code like DE or SG, got {found}"


def test_languages_are_iso_639_1():
    assert f.language("pt") == "pt"
    assert f.language("NB") == "nb"
    for bad, found in (("por", "'por'"), ("xx", "'xx'"), ("english", "'english'")):
        assert problem(f.language, bad) == f"expected an ISO 639-1 language code like en or fr, got {found}"


@pytest.mark.parametrize("url", ["https://example.org/page", "http://example.org/", " https://x.test/a?b=c "])
def test_web_urls_accept_http_and_https(url):
    assert f.web_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://example.org/",
     "mailto:a@example.org", "//example.org/", "https://", "https://exa mple.org/", "/local/path"],
)  # fmt: skip
def test_web_urls_refuse_other_schemes(url):
    assert problem(f.web_url, url) == f"expected an http(s) URL like https://example.org/page, got {url!r}"


def test_text_is_one_line_of_1_to_200_characters():
    assert f.text("  Salaries < 50k & rising  ") == "Salaries < 50k & rising"
    assert f.text("x" * 200) == "x" * 200
    assert f.text(2025) == "2025"
    assert problem(f.text, "x" * 201) == "expected text of 1-200 characters, got 201 characters"
    assert problem(f.text, "   ") == "expected text of 1-200 characters, got empty text"
    assert problem(f.text, "two\nlines") == "expected text on one line, got several lines"
    assert problem(f.text, {"a": 1}) == "expected text of 1-200 characters, got a mapping"
    assert problem(f.text, False) == "expected text of 1-200 characters, got false"


def test_flags_are_true_or_false_only():
    assert f.flag(True) is True and f.flag(False) is False
    for value, found in (("yes", "'yes'"), ("no", "'no'"), (1, "1"), ("true", "'true'")):
        assert problem(f.flag, value) == f"expected true or false, got {found}"


def test_slugs():
    assert f.slug("moving-to-singapore-2") == "moving-to-singapore-2"
    for bad in ("Moving", "moving_to", "-moving", "moving-", "moving--to", "zürich", ""):
        assert problem(f.slug, bad) == f"expected an id of lowercase letters, digits and hyphens, got {bad!r}"


def test_listing_accepts_one_value_removes_repeats_and_names_the_bad_index():
    assert f.listing("DE", f.country) == ("DE",)
    assert f.listing(["DE", "de", "SG"], f.country) == ("DE", "SG")
    with pytest.raises(f.FieldProblem) as caught:
        f.listing(["DE", "SG", "XX"], f.country)
    assert caught.value.index == 2
    assert problem(lambda v: f.listing(v, f.country, least=1, most=8), []) == "expected a list of 1-8 values, got 0"
    assert problem(lambda v: f.listing(v, f.country, least=1), []) == "expected a list of at least 1 values, got 0"
    assert problem(lambda v: f.listing(v, f.country), {"a": 1}) == "expected a list, got a mapping"


def test_choice():
    parse = f.choice(("partners", "hr"))
    assert parse("hr") == "hr"
    assert problem(parse, "HR") == "expected one of partners, hr, got 'HR'"


def test_media_or_url():
    exists = {"media/a.jpg"}.__contains__
    assert f.media_or_url("media/a.jpg", exists) == "media/a.jpg"
    assert f.media_or_url("https://cdn.test/a.jpg", exists) == "https://cdn.test/a.jpg"
    assert problem(lambda v: f.media_or_url(v, exists), "media/b.jpg") == (
        "expected a file under media/ or an https URL, got 'media/b.jpg' (no such file)"
    )
    for bad in ("http://cdn.test/a.jpg", "javascript:alert(1)", ""):
        assert problem(lambda v: f.media_or_url(v, exists), bad) == (
            f"expected a file under media/ or an https URL, got {bad!r}"
        )
