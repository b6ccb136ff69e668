"""Each configured language as a site of its own: what it lists, and how its pages link across languages.

A translation family is an original and its translations (`translation_of`). A
language's edition lists, of each family, the version in that language; with
fallback, a family without one is listed once more, by its original, after the
items written in the language. So a translated item replaces its original, never
both.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.content.records import Entry, Hub, Item

from .relations import Relations, relate

HOME = "index.md"


@dataclass(frozen=True, slots=True)
class Edition:
    """One language's site: its URL prefix and the relations over the items it lists."""

    lang: str
    prefix: str
    """"" for the site language, "<lang>/" for the others."""
    relations: Relations
    fallback: frozenset[str]
    """Paths of the items it lists in another language (marked as such on its pages)."""


def family(entry: Entry) -> str:
    """The key the versions of one piece share: the original's `<section>/<slug>`."""
    return entry.translation_of or entry.key


def families(entries: Iterable[Entry]) -> dict[str, dict[str, Entry]]:
    """family → language → the version in it (the first given wins, should two share a language)."""
    found: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        found.setdefault(family(entry), {}).setdefault(entry.lang, entry)
    return found


def _stand_in(versions: dict[str, Entry]) -> Entry:
    """The version listed where a family has none in the language: the original, if published."""
    return next((entry for entry in versions.values() if entry.translation_of is None), next(iter(versions.values())))


def edition_items(items: list[Item], lang: str, fallback: bool) -> tuple[list[Item], list[Item]]:
    """(items written in `lang`, fallback items), each newest first as `items` are."""
    own = [item for item in items if item.lang == lang]
    if not fallback:
        return own, []
    grouped = families(items)
    rest = []
    for item in items:
        versions = grouped[family(item)]
        if item.lang != lang and lang not in versions and _stand_in(versions) is item:
            rest.append(item)
    return own, rest


def make_editions(hub: Hub, relations: Relations, languages: tuple[str, ...], fallback: bool) -> dict[str, Edition]:
    """An edition per language, the site language (the first) without a prefix.

    `relations` is over every published item; an edition that lists exactly those
    (a hub in one language) shares it rather than relating them again.
    """
    editions = {}
    for index, lang in enumerate(languages):
        own, rest = edition_items(relations.items, lang, fallback)
        listed = own + rest
        same = len(listed) == len(relations.items) and all(map(operator.is_, listed, relations.items))
        chosen = relations if same else relate(hub, listed)
        prefix = "" if index == 0 else f"{lang}/"
        editions[lang] = Edition(lang, prefix, chosen, frozenset(item.path for item in rest))
    return editions


def generated_url(src_uri: str) -> str:
    """The URL MkDocs gives a generated page (directory URLs)."""
    if src_uri == HOME or src_uri.endswith("/" + HOME):
        return src_uri.removesuffix(HOME)
    return src_uri.removesuffix(".md") + "/"


@dataclass(slots=True)
class LanguageMap:
    """The hub's languages, their editions, and which pages are versions of one another."""

    languages: tuple[str, ...]
    editions: dict[str, Edition]
    versions: dict[str, dict[str, str]]
    """family → language → URL of its published version in that language."""
    pages: frozenset[str]
    """Source paths of the generated pages (and the home), which exist per language by path."""

    @property
    def site_language(self) -> str:
        return self.languages[0]

    def home(self, lang: str) -> str:
        return self.editions[lang].prefix

    def language_of(self, src_uri: str) -> str:
        head = src_uri.split("/", 1)[0]
        return head if head in self.languages[1:] and "/" in src_uri else self.site_language

    def counterparts(self, src_uri: str, entry: Entry | None) -> dict[str, str]:
        """language → URL of each version of the page at `src_uri` (itself included)."""
        if entry is not None and src_uri != HOME:
            return self.versions.get(family(entry), {})
        lang = self.language_of(src_uri)
        base = src_uri.removeprefix(self.editions[lang].prefix)
        found = {}
        for other in self.languages:
            src = self.editions[other].prefix + base
            if src in self.pages:
                found[other] = generated_url(src)
        return found

    def switcher(self, src_uri: str, entry: Entry | None) -> list[tuple[str, str, bool]]:
        """(language, URL, is a version of this page) per language: a language without
        a version of the page leads to its home."""
        found = self.counterparts(src_uri, entry)
        return [(lang, found.get(lang, self.home(lang)), lang in found) for lang in self.languages]


def language_map(editions: dict[str, Edition], entries: dict[str, Entry], generated: Iterable[str],
                 url_of: Callable[[Entry], str]) -> LanguageMap:  # fmt: skip
    versions: dict[str, dict[str, str]] = {}
    for entry in entries.values():
        versions.setdefault(family(entry), {}).setdefault(entry.lang, url_of(entry))
    languages = tuple(editions)
    ordered = {key: {lang: found[lang] for lang in languages if lang in found} for key, found in versions.items()}
    return LanguageMap(languages, editions, ordered, frozenset((*generated, HOME)))


def localized_nav(nav: object, prefix: str, pages: frozenset[str]) -> object:
    """mkdocs.yml's `nav` for a language: each page that has a version under `prefix` points at it
    ("articles/index.md" → "fr/articles/index.md"); the others (and links) stay as they are."""
    if isinstance(nav, list):
        return [localized_nav(item, prefix, pages) for item in nav]
    if isinstance(nav, dict):
        return {title: localized_nav(value, prefix, pages) for title, value in nav.items()}
    if isinstance(nav, str) and prefix + nav in pages:
        return prefix + nav
    return nav
