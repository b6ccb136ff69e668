"""/mentors/ in headless Chromium: the shared test vectors, the sample hub's answer, no request
carrying the answers, the page without JavaScript, and the questionnaire by keyboard alone."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.hubkit import ROOT

pytestmark = pytest.mark.browser

VECTORS = json.loads((ROOT / "tests" / "cases" / "mentoring" / "vectors.json").read_text(encoding="utf-8"))
EXAMPLE = "as=partner&stage=first-year&to=JP&from=BR&languages=pt,en&topics=partner-career,integration&format=virtual"
READY = "#hub-mentors[data-ready]"


def ranked(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#hub-mentor-results [data-person]",
        """items => items.map(item => ({ id: item.dataset.person, score: Number(item.dataset.score),
             reasons: [...item.querySelectorAll('.hub-mentor__reasons li')].map(li => li.textContent) }))""",
    )


@pytest.fixture
def vector_page(page, site_url: str, sample_site: Path):
    """The built page, its mentors.json swapped for the vectors' mentors, under the built rule."""
    built = json.loads((sample_site / "mentors" / "mentors.json").read_text(encoding="utf-8"))
    payload = json.dumps({"rule": built["rule"], "mentors": VECTORS["mentors"], "names": VECTORS["names"]})
    page.route("**/mentors/mentors.json", lambda route: route.fulfill(body=payload, content_type="application/json"))
    return page


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[case["description"] for case in VECTORS["cases"]])
def test_the_page_gives_the_vectors_order_scores_and_reasons(vector_page, site_url: str, case: dict) -> None:
    vector_page.goto(f"{site_url}mentors/#{case['fragment']}")
    vector_page.wait_for_selector(READY)
    assert ranked(vector_page) == case["expected"]


def test_the_built_rule_is_the_python_rule(sample_site: Path) -> None:
    from generator.mentoring.scoring import RULE

    assert json.loads((sample_site / "mentors" / "mentors.json").read_text(encoding="utf-8"))["rule"] == RULE.as_data()


def test_a_brazilian_partner_moving_to_japan_on_a_phone(phone, site_url: str) -> None:
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.goto(f"{site_url}mentors/#{EXAMPLE}")
    phone.wait_for_selector(f"{READY} [data-person]")
    found = ranked(phone)
    assert found[0]["id"] == "mariana-ito"
    assert found[0]["reasons"][:4] == ["lives in Japan", "speaks Portuguese", "coaches on partner career",
                                       "coaches on integration and networks"]  # fmt: skip
    assert [row["score"] for row in found] == sorted((row["score"] for row in found), reverse=True)
    assert "lived in Japan" in next(row for row in found if row["id"] == "lena-hoffmann")["reasons"]
    assert phone.is_checked("input[name=as][value=partner]") and phone.input_value("#hub-mentor-to") == "JP"
    # The answers never leave the page: no request carries them (the fragment is never sent).
    assert all(not urlsplit(url).query and not urlsplit(url).fragment for url in requests)
    assert any(urlsplit(url).path == "/mentors/mentors.json" for url in requests)
    phone.click("#hub-mentor-results [data-person='mariana-ito'] a")
    phone.wait_for_url("**/people/mariana-ito/")
    assert phone.inner_text("h1") == "Mariana Ito"


def test_someone_who_cannot_commit_is_pointed_to_reading_and_the_digest(page, site_url: str) -> None:
    page.goto(f"{site_url}mentors/#as=assignee&stage=before-move&commit=no")
    page.wait_for_selector(READY)
    assert page.is_visible("#hub-mentor-later") and not page.is_visible("#hub-mentor-pairing")
    assert ranked(page) == []
    links = page.eval_on_selector_all("#hub-mentor-later a", "links => links.map(a => a.pathname)")
    assert "/digests/" in links and "/articles/" in links
    page.check("input[name=commit][value=yes]")
    page.wait_for_function("location.hash.includes('stage=before-move') && !location.hash.includes('commit')")
    assert page.is_visible("#hub-mentor-pairing")


def test_without_javascript_the_page_lists_every_mentor(new_context, site_url: str) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site_url}mentors/#{EXAMPLE}")
    assert "needs JavaScript" in page.inner_text("#hub-mentor-nojs")
    assert not page.is_visible("#hub-mentor-form")
    names = page.eval_on_selector_all(".hub-mentor__name a", "links => links.map(a => a.textContent)")
    assert sorted(names) == ["Claire Dubois", "Fatima Al Mansouri", "Lena Hoffmann", "Mariana Ito", "Rafael Souza",
                             "Wanjiru Kamau"]  # fmt: skip
    mariana = page.locator(".hub-mentor", has_text="Mariana Ito").inner_text()
    assert "Japan" in mariana and "Portuguese" in mariana and "Partner career" in mariana


def test_the_questionnaire_by_keyboard_alone(page, site_url: str) -> None:
    page.goto(f"{site_url}mentors/")
    page.wait_for_selector(READY)

    def tab_to(selector: str) -> None:
        for _ in range(80):  # bounded: the page has fewer controls than this before the results
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=as]")
    page.keyboard.press("Space")  # the first choice: partner
    tab_to("input[name=stage]")
    page.keyboard.press("ArrowDown")  # before-move → first-year
    tab_to("input[name=commit]")
    page.keyboard.press("Space")  # yes
    tab_to("#hub-mentor-to")
    page.keyboard.type("Japan")
    tab_to("#hub-mentor-from")
    page.keyboard.type("Brazil")
    tab_to("#hub-mentor-language")
    page.keyboard.type("Portuguese")
    tab_to("input[name=topics][value=partner-career]")
    page.keyboard.press("Space")
    page.wait_for_function("location.hash.includes('topics=partner-career')")
    assert page.evaluate("location.hash") == "#as=partner&stage=first-year&to=JP&from=BR&languages=pt" \
                                             "&topics=partner-career&format=virtual"  # fmt: skip
    assert ranked(page)[0]["id"] == "mariana-ito"
    tab_to("#hub-mentor-results [data-person='mariana-ito'] a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/mariana-ito/")
