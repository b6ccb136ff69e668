"""The search page over the built sample hub: ranking, facets, canaries, the header box, the URL."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.hubpages import (
    completed,
    distinctive_word,
    facet_counts,
    item_pages,
    result_count,
    result_urls,
    search,
    status,
    wait_for_search,
)

pytestmark = pytest.mark.browser

COMMON_WORD = "partner"  # in most of the sample hub's pages
FACETS_SHOWN = ("type", "topic", "country")


def test_a_word_from_one_article_finds_that_article_first(page, site_url: str, sample_site: Path) -> None:
    word, url = distinctive_word(sample_site)
    search(page, site_url, word)
    assert result_urls(page)[:1] == [url], (word, status(page))
    highlighted = page.inner_text(".hub-result:first-child .hub-result__excerpt mark").lower()
    assert highlighted == word


@pytest.mark.parametrize("facet", ["country", "topic"])
def test_a_filter_narrows_the_results_and_changes_the_counts(page, site_url: str, facet: str) -> None:
    search(page, site_url, COMMON_WORD)
    total = result_count(page)
    assert total >= 5, status(page)
    before = {name: facet_counts(page, name) for name in ("type", "topic", "country")}
    value, expected = next((v, n) for v, n in sorted(before[facet].items()) if 0 < n < total)

    done = completed(page)
    page.check(f".hub-facet input[name='{facet}'][value='{value}']")
    wait_for_search(page, done)

    assert result_count(page) == expected
    assert len(result_urls(page)) == min(expected, 10)
    assert parse_qs(urlparse(page.url).query) == {"q": [COMMON_WORD], facet: [value]}
    after = {name: facet_counts(page, name) for name in ("type", "topic", "country")}
    other = "topic" if facet == "country" else "country"
    assert after[other] != before[other]
    assert sum(after["type"].values()) == expected
    assert after[facet][value] == expected  # the chosen facet still counts its own values


@pytest.mark.parametrize("canary", ["zqxdraftcanary", "zqxfuturecanary"])
def test_draft_and_scheduled_canaries_find_nothing(page, site_url: str, canary: str) -> None:
    search(page, site_url, canary)
    assert result_urls(page) == []
    assert status(page).startswith("No results for")


def test_a_shared_results_url_restores_the_query_and_filters(page, site_url: str) -> None:
    search(page, site_url, COMMON_WORD)
    value, expected = next((v, n) for v, n in sorted(facet_counts(page, "topic").items()) if n > 1)

    search(page, site_url, COMMON_WORD, topic=value)
    assert page.input_value("#hub-search-q") == COMMON_WORD
    assert page.is_checked(f".hub-facet input[name='topic'][value='{value}']")
    assert result_count(page) == expected
    assert "1 active" in page.inner_text(".hub-search__filters-summary")


def test_the_header_box_leads_to_results_that_update_as_you_type(page, site_url: str) -> None:
    page.goto(site_url)
    page.fill("#hub-header-q", "mentor")
    page.press("#hub-header-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=mentor$"))
    wait_for_search(page, 0)
    first = result_count(page)
    assert first > 0

    done = completed(page)
    page.locator("#hub-search-q").press_sequentially("ing programme", delay=20)
    wait_for_search(page, done)
    page.wait_for_url(re.compile(r"q=mentoring\+programme$"))
    assert "mentoring programme" in status(page)
    assert 0 < result_count(page) <= first


def test_ui_strings_follow_the_page_language(page, site_url: str) -> None:
    def french(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('<html lang="en"', '<html lang="fr"', 1))

    page.route(re.compile(r"/search/(\?.*)?$"), french)
    search(page, site_url, COMMON_WORD)
    assert re.fullmatch(r"\d+ résultats pour « partner »", status(page))
    assert page.inner_text(".hub-search__filters-summary") == "Filtres"
    assert page.text_content("fieldset.hub-facet:has(input[name=country]) legend") == "Pays"


def test_on_a_phone_a_story_word_and_its_host_country_lead_to_the_story(phone, site_url: str,
                                                                        sample_site: Path) -> None:  # fmt: skip
    story = item_pages(sample_site, "stories")[0]
    kicker = phone.context.new_page()
    kicker.goto(site_url + story)
    country = kicker.text_content(".hub-kicker").split("·")[-1].strip()
    word = kicker.inner_text("h1").split()[-1].strip(".,:;!?")
    kicker.close()

    phone.goto(site_url)
    assert not phone.is_visible("#hub-header-q")  # the phone header shows the button only
    phone.click(".hub-header-search__button")
    phone.wait_for_url(re.compile(r"/search/"))
    assert phone.evaluate("document.activeElement.id") == "hub-search-q"
    phone.keyboard.type(word)
    wait_for_search(phone, 0)
    assert not phone.locator("#hub-search-filters").evaluate("details => details.open")
    phone.click(".hub-search__filters-summary")
    done = completed(phone)
    box = phone.locator(f".hub-facet input[name='country'][value='{country}']")
    if not box.is_visible():
        phone.click("fieldset.hub-facet:has(input[name=country]) .hub-facet__toggle")
    box.check()
    wait_for_search(phone, done)
    link = phone.locator(f".hub-result__title a[href='/{story}']")
    link.click()
    phone.wait_for_url(site_url + story)


@pytest.mark.parametrize("query", [COMMON_WORD, "mentor", "visa"])
def test_a_sharded_index_finds_what_one_index_finds(page, site_url: str, sharded_site_url: str, query: str) -> None:
    """A large hub's index comes in shards; the search page merges them into one answer."""
    answers = []
    for base in (site_url, sharded_site_url):
        search(page, base, query)
        answers.append((result_count(page), {facet: facet_counts(page, facet) for facet in FACETS_SHOWN}))
    assert answers[0][0] > 0, status(page)
    assert answers[1] == answers[0]


def test_a_word_from_one_article_leads_to_it_through_the_shards(page, sharded_site_url: str,
                                                               sample_site: Path) -> None:  # fmt: skip
    word, url = distinctive_word(sample_site)
    search(page, sharded_site_url, word)
    assert result_urls(page)[:1] == [url], (word, status(page))
