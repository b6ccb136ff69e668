"""Which template renders which page, with what: the site's main navigation, each page's
front matter and the context our templates read.

The engine adapter applies them; nothing here depends on the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.content.records import Entry

if TYPE_CHECKING:
    from .plan import SitePlan
    from .view import SiteView

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


def page_meta(plan: SitePlan, src: str) -> dict[str, Any]:
    """A page's front matter as the theme reads it: template, title, description, hidden sidebars."""
    entry, generated = plan.entries.get(src), plan.generated.get(src)
    meta: dict[str, Any] = {"hide": hidden_parts(entry)}
    description = None
    if entry is not None:
        meta |= {"template": entry_template(entry), "title": Markup.escape(entry.title)}
        description = entry.summary
    elif generated is not None:
        meta |= {"template": generated.template, "title": Markup.escape(generated.title)}
        description = generated.description
    if description:
        meta["description"] = Markup.escape(description)
    return meta


def page_context(plan: SitePlan, views: Mapping[str, SiteView], src: str) -> dict[str, Any]:
    """What our templates read besides the engine's context: `hub` (the view of the page's
    language), the page's record or generated view, and a digest issue's web copy."""
    lang = plan.page_language(src)
    record, generated = plan.entries.get(src), plan.generated.get(src)
    view = views.get(lang, views[plan.language])
    context = {"page_lang": lang, "hub": view, "record": record, "view": generated.view if generated else None}
    if record is not None and entry_template(record) == "digest.html":
        context["digest"] = views[plan.language].digest(record)
    return context


def stated_language(plan: SitePlan, src: str, html: str) -> str:
    """The page's HTML with its own language on <html lang> (search splits its index by it)."""
    lang = plan.page_language(src)
    if lang == plan.language:
        return html
    return html.replace(f'<html lang="{plan.language}"', f'<html lang="{lang}"', 1)
