"""Which items each language's pages list: its own first, then one stand-in per untranslated piece."""

from __future__ import annotations

from generator.site.languages import edition_items, localized_nav, make_editions
from generator.site.relations import relate
from tests.unit.records_kit import article, hub_of, story

ORIGINAL = article("permits", 10)
FRENCH = article("permis", 12, lang="fr", translation_of="articles/permits")
PORTUGUESE = article("licencas", 11, lang="pt", translation_of="articles/permits")
FRENCH_ONLY = article("lyon", 9, lang="fr")
UNTRANSLATED = story("oslo", 8)
NEWEST_FIRST = [FRENCH, PORTUGUESE, ORIGINAL, FRENCH_ONLY, UNTRANSLATED]


def paths(items):
    return [item.slug for item in items]


def test_a_translation_replaces_its_original_and_fallbacks_come_after():
    own, rest = edition_items(NEWEST_FIRST, "fr", fallback=True)
    assert (paths(own), paths(rest)) == (["permis", "lyon"], ["oslo"])
    own, rest = edition_items(NEWEST_FIRST, "pt", fallback=True)
    assert (paths(own), paths(rest)) == (["licencas"], ["lyon", "oslo"])
    own, rest = edition_items(NEWEST_FIRST, "de", fallback=True)
    assert (paths(own), paths(rest)) == ([], ["permits", "lyon", "oslo"])  # the original, never a translation


def test_without_fallback_a_language_lists_only_its_own():
    assert edition_items(NEWEST_FIRST, "de", fallback=False) == ([], [])
    assert paths(edition_items(NEWEST_FIRST, "fr", fallback=False)[0]) == ["permis", "lyon"]


def test_a_hub_in_one_language_shares_its_relations():
    hub = hub_of(ORIGINAL, UNTRANSLATED)
    relations = relate(hub, hub.published_items(UNTRANSLATED.date.replace(year=2030)))
    assert make_editions(hub, relations, ("en",), True)["en"].relations is relations
    editions = make_editions(hub, relations, ("en", "fr"), False)
    assert editions["fr"].prefix == "fr/" and editions["fr"].relations.items == []
    assert editions["en"].relations is relations and editions["en"].fallback == frozenset()


def test_the_navigation_of_a_language_points_at_its_own_pages():
    nav = [{"Home": "index.md"}, {"Articles": "articles/index.md"}, {"More": [{"Digest": "digests/index.md"}]},
           {"Elsewhere": "https://example.org/"}]  # fmt: skip
    pages = frozenset({"fr/index.md", "fr/articles/index.md", "articles/index.md"})
    assert localized_nav(nav, "fr/", pages) == [
        {"Home": "fr/index.md"}, {"Articles": "fr/articles/index.md"}, {"More": [{"Digest": "digests/index.md"}]},
        {"Elsewhere": "https://example.org/"},
    ]  # fmt: skip
