"""axe-core on every page type, in the light and the dark palette; keyboard reachability.

axe-core comes from the npm registry (tests/browser/package-lock.json) and is
injected into the page; serious and critical violations fail the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.hubpages import axe_violations, item_pages, wait_for_search

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
MENTOR_ANSWERS = "as=partner&stage=first-year&to=JP&from=BR&languages=pt,en&topics=partner-career,integration"


def _first_with(site: Path, section: str, marker: str) -> str:
    pages = item_pages(site, section)
    return next((url for url in pages if marker in (site / url / "index.html").read_text()), pages[0])


def _pages(site: Path) -> dict[str, str]:
    return {
        "home": "",
        "article": _first_with(site, "articles", 'class="hub-item__figure"'),
        "story": _first_with(site, "stories", 'class="hub-item__figure"'),
        "profile": _first_with(site, "people", 'class="hub-profile__photo"'),
        "directory": "people/",
        "search": "search/?q=partner",
        "mentors": "mentors/#" + MENTOR_ANSWERS,
    }


def _open(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    if path.startswith("mentors/"):
        page.wait_for_selector("#hub-mentors[data-ready] [data-person]")
    if path.startswith("search/"):
        wait_for_search(page, 0)
        page.locator("#hub-search-filters").evaluate("details => { details.open = true; }")


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_axe_violations(new_context, site_url: str, sample_site: Path, axe_script: str,
                                   scheme: str) -> None:  # fmt: skip
    """Home, article, story, profile, directory, search and mentor finder pages, in one browser context."""
    page = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    problems = []
    for kind, path in _pages(sample_site).items():
        _open(page, site_url, path)
        assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme], kind
        found = axe_violations(page, axe_script)
        if found:
            problems.append(f"{kind} /{path}:\n  " + "\n  ".join(found))
    assert not problems, "\n".join(problems)


# Elements a keyboard user must be able to reach: visible, not disabled, not taken out
# of the tab order. Zero-size controls (Material's visually hidden palette radios) are
# reached through the tab order but are not required here.
CONTROLS = """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  return [...document.querySelectorAll(selector)].filter(el => {
    if (el.disabled || el.getAttribute("tabindex") === "-1" || el.closest("[inert], [hidden]")) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true });
  });
}"""


@pytest.mark.parametrize(("kind", "viewport"), [
    ("home", {"width": 1280, "height": 900}),
    ("article", {"width": 1280, "height": 900}),
    ("search", {"width": 1280, "height": 900}),
    ("directory", {"width": 390, "height": 844}),
    ("home", {"width": 390, "height": 844}),
])  # fmt: skip
def test_every_control_is_reachable_with_tab(new_context, site_url: str, sample_site: Path, kind: str,
                                             viewport: dict) -> None:  # fmt: skip
    page = new_context(viewport=viewport).new_page()
    _open(page, site_url, _pages(sample_site)[kind])
    total = page.evaluate(f"""() => {{
      const controls = ({CONTROLS})();
      controls.forEach((el, i) => el.setAttribute("data-kb", i));
      window.__reached = new Set();
      window.__wrong = [];
      document.addEventListener("focusin", event => {{
        const el = event.target;
        if (el.hasAttribute("data-kb")) window.__reached.add(el.getAttribute("data-kb"));
        const role = el.getAttribute("role");
        if (!el.matches("a[href], button, input, select, textarea, summary") && role !== "button")
          window.__wrong.push(el.outerHTML.slice(0, 120));
      }});
      return controls.length;
    }}""")
    assert total > 5
    for _ in range(total + 15):
        page.keyboard.press("Tab")
    # Still a control now (Material hides its back-to-top button again) and never focused:
    missed = page.evaluate(f"""() => ({CONTROLS})()
        .filter(el => !window.__reached.has(el.getAttribute("data-kb")))
        .map(el => el.outerHTML.slice(0, 160))""")
    assert missed == []
    assert page.evaluate("window.__wrong") == []


def test_the_menu_button_opens_the_drawer_from_the_keyboard(phone, site_url: str) -> None:
    """The header's drawer button is a real <button> (Material's is a <label>): Enter and Space toggle it."""
    phone.goto(site_url)
    phone.focus("button[data-hub-drawer]")
    phone.keyboard.press("Enter")
    assert phone.is_checked("#__drawer")
    phone.keyboard.press("Space")
    assert not phone.is_checked("#__drawer")
