"""Which template renders which page, and the site's main navigation: the site's knowledge.

The engine adapter applies them; nothing here depends on the engine.
"""

from __future__ import annotations

from generator.content.records import Entry

SECTION_TEMPLATES = {"articles": "article.html", "stories": "story.html", "people": "profile.html",
                     "digests": "digest.html", "pages": "page.html"}  # fmt: skip
READING_SECTIONS = ("articles", "stories", "pages")
"""Pages read top to bottom: they keep a table of contents; the others use the full width."""
MAIN_NAV = (
    ("Home", "index.md"), ("Articles", "articles/index.md"), ("Stories", "stories/index.md"),
    ("People", "people/index.md"), ("Topics", "topics/index.md"), ("Destinations", "countries/index.md"),
    ("Digest", "digests/index.md"), ("Search", "search/index.md"),
)  # fmt: skip
"""The navigation when mkdocs.yml names none: listing every page would put thousands of links on each page."""


def entry_template(entry: Entry) -> str:
    return "home.html" if entry.path == "index.md" else SECTION_TEMPLATES.get(entry.section, "page.html")


def hidden_parts(entry: Entry | None) -> list[str]:
    """The theme's sidebars a page goes without."""
    return ["navigation"] if entry is not None and entry.section in READING_SECTIONS else ["navigation", "toc"]
