"""One example page of every page type in a built hub, for the screenshots and the Lighthouse audit.

The examples are picked from the built HTML (not hard-coded slugs), so the set follows the
sample content: an article with a picture, a curated article, a profile with a photo, the
destination hub with the most to show, and so on.
"""

from __future__ import annotations

from pathlib import Path


def _pages(site: Path, section: str) -> list[tuple[str, str]]:
    """(site-relative URL, HTML) of each item page of one section, in URL order."""
    found = []
    for path in sorted((site / section).glob("*/index.html")):
        if path.parent.name != "page":
            found.append((f"{section}/{path.parent.name}/", path.read_text(encoding="utf-8")))
    return found


def _first(pages: list[tuple[str, str]], *markers: str, without: str = "") -> str:
    """The first page holding every marker (and not `without`), else the first page."""
    for url, html in pages:
        if all(marker in html for marker in markers) and not (without and without in html):
            return url
    if not pages:
        raise LookupError("the built site has no page of this type")
    return pages[0][0]


def _richest(pages: list[tuple[str, str]], marker: str) -> str:
    """The page where `marker` occurs most often (ties: the first URL)."""
    return max(pages, key=lambda page: page[1].count(marker))[0]  # max keeps the first of equals


def page_types(site: Path) -> dict[str, str]:
    """Page type -> site-relative URL of one example of it ("" is the home page)."""
    articles = _pages(site, "articles")
    return {
        "home": "",
        "article": _first(articles, "hub-item__figure", without="hub-source"),
        "curated": _first(articles, "hub-source"),
        "story": _first(_pages(site, "stories"), "hub-quote"),
        "profile": _first(_pages(site, "people"), "hub-profile__photo", "hub-role--mentoring"),
        "people": "people/",
        "topic": _richest(_pages(site, "topics"), "hub-card__title"),
        "topics": "topics/",
        "country": _first(_pages(site, "countries"), "hub-country__intro", "country-mentors"),
        "countries": "countries/",
        "archive": _first(_pages(site, "archive"), "hub-archive__list"),
        "search": "search/?q=partner",
        "digests": "digests/",
        "digest": _first(_pages(site, "digests"), "hub-digest__section"),
        "subscribe": "pages/subscribe/",
        "mentors": "mentors/",
        "page": "pages/about/",
        "404": "404.html",
    }
