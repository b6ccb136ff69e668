"""The people directory on a phone: filters narrow the cards, live in the URL, survive a reload,
and without JavaScript every profile card is there."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

ATTRIBUTE = {"role": "data-roles", "country": "data-countries", "language": "data-languages",
             "mentoring": "data-mentoring"}  # fmt: skip


def _cards(page) -> list[dict[str, object]]:
    return page.eval_on_selector_all(
        ".hub-person",
        """cards => cards.map(card => ({
             name: card.querySelector('.hub-person__name').textContent.trim(),
             visible: !card.hidden && card.getBoundingClientRect().height > 0,
             roles: card.dataset.roles.split(' '), countries: card.dataset.countries.split(' '),
             languages: card.dataset.languages.split(' '), mentoring: card.dataset.mentoring }))""",
    )


def _expected(cards: list[dict], chosen: dict[str, str]) -> list[str]:
    keys = {"role": "roles", "country": "countries", "language": "languages"}
    return sorted(
        card["name"] for card in cards
        if all((card["mentoring"] == value) if field == "mentoring" else value in card[keys[field]]
               for field, value in chosen.items())
    )  # fmt: skip


def _visible(page) -> list[str]:
    return sorted(card["name"] for card in _cards(page) if card["visible"])


def _option(page, field: str, cards: list[dict], chosen: dict[str, str]) -> str:
    """An option of `field` that keeps at least one card but not all of those shown now."""
    shown = len(_expected(cards, chosen))
    values = page.eval_on_selector_all(f"select[name={field}] option", "os => os.map(o => o.value)")
    for value in filter(None, values):
        if 0 < len(_expected(cards, {**chosen, field: value})) < shown:
            return value
    return next(filter(None, values))


def test_directory_filters_on_a_phone_live_in_the_url(phone, site_url: str) -> None:
    phone.goto(site_url + "people/")
    assert phone.viewport_size == PHONE
    cards = _cards(phone)
    assert len(cards) > 3 and all(card["visible"] for card in cards)
    chosen: dict[str, str] = {}

    for field in ("role", "country", "language"):
        value = _option(phone, field, cards, chosen)
        phone.select_option(f"select[name={field}]", value)
        chosen[field] = value
        phone.wait_for_function(f"location.search.includes('{field}=')")
        assert _visible(phone) == _expected(cards, chosen), field
    if _expected(cards, {**chosen, "mentoring": "yes"}):
        phone.check("input[name=mentoring]")
        chosen["mentoring"] = "yes"
        phone.wait_for_function("location.search.includes('mentoring=yes')")
    expected = _expected(cards, chosen)
    assert _visible(phone) == expected
    assert {key: values[0] for key, values in parse_qs(urlparse(phone.url).query).items()} == chosen
    count = phone.inner_text("#hub-directory-count")
    assert re.match(rf"{len(expected)} of {len(cards)} people", count), count

    phone.reload()
    assert _visible(phone) == expected
    for field in ("role", "country", "language"):
        assert phone.input_value(f"select[name={field}]") == chosen[field]
    assert phone.is_checked("input[name=mentoring]") == ("mentoring" in chosen)


def test_without_javascript_every_profile_card_is_listed(new_context, site_url: str) -> None:
    with_js = new_context(viewport=PHONE).new_page()
    with_js.goto(site_url + "people/")
    names = sorted(card["name"] for card in _cards(with_js))

    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(site_url + "people/?role=coach&mentoring=yes")  # filters need JavaScript: ignored
    cards = _cards(page)
    assert sorted(card["name"] for card in cards) == names
    assert all(card["visible"] for card in cards)
    assert not page.is_visible("#hub-filters")  # the form is revealed by directory.js only
