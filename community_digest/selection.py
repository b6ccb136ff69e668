"""Which items an issue holds, in which section, for whom. Pure functions over plain data.

The selection is made once per issue and frozen in a file that editors can edit
(see frozen.py); everything downstream — each e-mail variant and the web copy —
is derived from it with `personalize` and `capped`, never from the feeds again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from generator.content.records import Period

from .sources import PARTNER, FeedItem

SECTION_IDS = ("featured", "articles", "stories", "people", "partners")
_SECTION_OF_TYPE = {
    "article": "articles",
    "story": "stories",
    "person": "people",
    PARTNER: "partners",
}
# Where "more on the hub" leads, relative to the site URL. Partners' items have no
# listing on the hub, so that section has no such link.
MORE_PATHS = {"featured": "", "articles": "articles/", "stories": "stories/", "people": "people/"}


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    items: tuple[FeedItem, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """An issue's items by section, in the order editors left them."""

    issue: str
    title: str
    period: Period
    period_kind: str
    date: datetime
    language: str
    """The site language (the language of the intro and of the full issue)."""
    cap: int
    """Most items shown per section; the rest are behind a 'more on the hub' link."""
    sections: tuple[Section, ...]

    def items(self) -> tuple[FeedItem, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def is_empty(self) -> bool:
        return not any(section.items for section in self.sections)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True, slots=True)
class ShownSection:
    """A section as one e-mail or the web copy shows it: capped, with what was left out."""

    id: str
    items: tuple[FeedItem, ...]
    more: int
    more_url: str | None


def in_period(items: Iterable[FeedItem], period: Period) -> list[FeedItem]:
    """Items published in [start, end), newest first; ties by URL so output is stable."""
    chosen = [item for item in items if period.contains(item.published)]
    chosen.sort(key=lambda item: item.url)
    chosen.sort(key=lambda item: item.published, reverse=True)
    return chosen


def section_of(item: FeedItem) -> str:
    if item.featured and item.type != PARTNER:
        return "featured"
    return _SECTION_OF_TYPE.get(item.type, "articles")


def group(items: Sequence[FeedItem]) -> tuple[Section, ...]:
    """Items into the five sections, keeping their order; empty sections are dropped."""
    buckets: dict[str, list[FeedItem]] = {section_id: [] for section_id in SECTION_IDS}
    for item in items:
        buckets[section_of(item)].append(item)
    return tuple(Section(sid, tuple(found)) for sid, found in buckets.items() if found)


def issue_topics(selection: Selection) -> tuple[str, ...]:
    """Topics that can personalize the issue: those of its non-featured items, sorted."""
    found = {
        topic
        for section in selection.sections
        if section.id != "featured"
        for item in section.items
        for topic in item.topics
    }
    return tuple(sorted(found))


def issue_languages(selection: Selection) -> tuple[str, ...]:
    """The site language first, then every other language an item is written in."""
    others = sorted({item.lang for item in selection.items() if item.lang} - {selection.language})
    return (selection.language, *others)


def _translation_key(url: str, language: str) -> str:
    # Translations live under their language prefix (/fr/articles/x/ for /articles/x/).
    path = urlsplit(url).path
    return path.removeprefix(f"/{language}/").lstrip("/")


def _for_language(items: Sequence[FeedItem], language: str, site_language: str) -> list[FeedItem]:
    """Items a reader of `language` gets: theirs, and the site's they have no translation of."""

    def lang(item: FeedItem) -> str:
        return item.lang or site_language

    own = [item for item in items if lang(item) == language]
    keys = {_translation_key(item.url, language) for item in own}
    replaced = {url for item in own for url in item.translations}
    return [
        item
        for item in items
        if lang(item) == language
        or lang(item) == site_language
        and item.url not in replaced
        and _translation_key(item.url, site_language) not in keys
    ]


def personalize(selection: Selection, language: str, topics: Sequence[str]) -> Selection:
    """The issue for one segment: featured items always, then the items on their topics.

    Readers whose topics match nothing get the full issue (in their language),
    never an empty e-mail.
    """
    sections = tuple(
        Section(s.id, tuple(_for_language(s.items, language, selection.language)))
        for s in selection.sections
    )
    full = replace(selection, sections=tuple(s for s in sections if s.items))
    wanted = set(topics)
    if not wanted:
        return full
    narrowed = tuple(
        s
        if s.id == "featured"
        else Section(s.id, tuple(i for i in s.items if wanted & set(i.topics)))
        for s in full.sections
    )
    if not any(s.items for s in narrowed if s.id != "featured"):
        return full
    return replace(full, sections=tuple(s for s in narrowed if s.items))


def capped(selection: Selection, site_url: str) -> tuple[ShownSection, ...]:
    """Sections as shown: at most `cap` items each, and a link to the rest when there is one."""
    shown = []
    for section in selection.sections:
        more = max(0, len(section.items) - selection.cap)
        path = MORE_PATHS.get(section.id)
        url = site_url + path if more and path is not None else None
        shown.append(ShownSection(section.id, section.items[: selection.cap], more, url))
    return tuple(shown)
