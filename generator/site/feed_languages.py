"""Feeds per language: which entries each language's feeds hold, and how an entry names its translations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.content.records import Entry

from .languages import family
from .plan import SitePlan

if TYPE_CHECKING:
    from .feeds import FeedEntry


@dataclass(frozen=True, slots=True)
class LanguageFeeds:
    """What one language publishes as feeds: where (its prefix) and which entries."""

    lang: str
    prefix: str
    member: Callable[[FeedEntry], bool]

    @property
    def json_path(self) -> str:
        return f"{self.prefix}feed.json"


def language_feeds(plan: SitePlan) -> list[LanguageFeeds]:
    """Each language's feeds: the site language's hold its own entries only; another
    language's hold its own, then (with fallback) what its pages list in another language."""
    found = [LanguageFeeds(plan.language, "", lambda e, lang=plan.language: e.lang == lang)]
    if plan.languages is None:
        return found
    for lang in plan.languages.languages[1:]:
        edition = plan.edition(lang)
        if plan.settings.fallback:
            others = frozenset(plan.absolute(plan.url_of(plan.entries[path])) for path in edition.fallback)
            found.append(LanguageFeeds(lang, edition.prefix, lambda e, lang=lang, others=others: e.lang == lang
                                       or e.kind == "person" or e.url in others))  # fmt: skip
        else:
            found.append(LanguageFeeds(lang, edition.prefix, lambda e, lang=lang: e.lang == lang))
    return found


def translations_of(plan: SitePlan, entry: Entry, url: str) -> tuple[tuple[str, str], ...]:
    """(language, absolute URL) of the entry's other published versions."""
    if plan.languages is None or len(plan.languages.languages) < 2:
        return ()
    versions = plan.languages.versions.get(family(entry), {})
    found = ((lang, plan.absolute(path)) for lang, path in versions.items())
    return tuple((lang, other) for lang, other in found if other != url)
