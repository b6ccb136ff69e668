"""The sample hub in French and Portuguese, in a browser: search per language, the language
switcher, and axe-core on the /fr/ pages."""

from __future__ import annotations

import pytest

from tests.browser.hubpages import axe_violations, result_urls, search, status, wait_for_search

pytestmark = pytest.mark.browser

FRENCH_STORY = "/fr/stories/ines-apprendre-a-lire-singapour/"
FRENCH_PAGES = (
    "fr/",
    "fr/articles/",
    "fr/articles/permis-de-travail-du-conjoint/",
    "fr/stories/ines-apprendre-a-lire-singapour/",
    "fr/topics/mentoring/",
    "fr/people/",
    "fr/search/?q=mentorat",
    "fr/404.html",
)


def test_a_french_word_on_the_french_search_page_finds_the_french_piece(page, site_url: str) -> None:
    search(page, site_url + "fr/", "recruteur")  # only in the French version of Inês's story
    assert page.get_attribute("html", "lang") == "fr"
    assert result_urls(page)[:1] == [FRENCH_STORY], status(page)
    assert "résultat" in status(page)  # the search page speaks French too


def test_each_search_page_searches_its_own_language(page, site_url: str) -> None:
    search(page, site_url, "recruteur")
    assert [url for url in result_urls(page) if url.startswith(("/fr/", "/pt/"))] == [], status(page)
    search(page, site_url + "pt/", "recrutador")
    assert [url for url in result_urls(page) if not url.startswith("/pt/")] == [], status(page)
    assert "/pt/stories/ines-aprender-a-ler-singapura/" in result_urls(page)


def test_the_switcher_leads_to_the_original_and_back(page, site_url: str) -> None:
    page.goto(site_url + "fr/articles/permis-de-travail-du-conjoint/")
    page.click(".hub-languages a[hreflang='en']")
    page.wait_for_url(site_url + "articles/work-permits-for-accompanying-partners/")
    assert page.get_attribute("html", "lang") == "en"
    page.click(".hub-languages a[hreflang='fr']")
    page.wait_for_url(site_url + "fr/articles/permis-de-travail-du-conjoint/")
    page.click(".hub-languages a[hreflang='de']")  # no German version: the German home
    page.wait_for_url(site_url + "de/")
    assert page.get_attribute("html", "lang") == "de"


def test_no_serious_axe_violations_on_french_pages(page, site_url: str, axe_script: str) -> None:
    problems = []
    for path in FRENCH_PAGES:
        page.goto(site_url + path)
        if path.startswith("fr/search/"):
            wait_for_search(page, 0)
        assert page.get_attribute("html", "lang") == "fr", path
        found = axe_violations(page, axe_script)
        if found:
            problems.append(f"/{path}:\n  " + "\n  ".join(found))
    assert not problems, "\n".join(problems)


def test_the_french_mentor_finder_speaks_french(page, site_url: str) -> None:
    page.goto(site_url + "fr/mentors/#as=partner&stage=first-year&to=JP&from=BR&languages=pt")
    page.wait_for_selector("#hub-mentors[data-ready] [data-person]")
    assert page.inner_text("h1") == "Trouver un mentor"
    assert "correspond" in page.inner_text("#hub-mentor-status")  # "… mentors correspondent à vos réponses"
    assert page.inner_text(".hub-mentor__score >> nth=0").startswith("Correspondance")
    reasons = page.locator(".hub-mentor__reasons li").all_inner_texts()  # from /fr/mentors/mentors.json
    assert reasons and all(reason.startswith(("vit ", "a vécu ", "parle ", "accompagne ", "connaît ", "peut "))
                           for reason in reasons), reasons  # fmt: skip
    assert "parle portugais" in reasons  # a language named as French writes it in a sentence
