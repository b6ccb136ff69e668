"""What each page shows, as a fingerprint: equal fingerprints mean equal pages.

An incremental build reuses a page from the previous build when its
fingerprint is unchanged, and renders it otherwise. A fingerprint covers the
records the page displays (a card shows its item and the people named on it),
the page's rendered body, and a site-wide part (configuration, templates,
software versions) that invalidates everything when it changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from generator.content.records import Entry, Hub, Item, Profile, Topic
from generator.site.plan import SitePlan
from generator.site.relations import contributors, related_items


def site_salt(config_text: str, theme_dirs: list[Path], software: tuple[str, ...]) -> str:
    """Everything that can change any page: mkdocs.yml, every template and asset, versions."""
    digest = hashlib.sha256(config_text.encode("utf-8"))
    for part in software:
        digest.update(part.encode())
    for folder in theme_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class FingerprintMemo:
    """Record digests kept from one Fingerprints to the next, for `hub serve`.

    A record is immutable, so its digest belongs to the object: a SourceCache hands
    back the same object for an unchanged file, and its digest is not computed again.
    Keep one memo for the life of the server and pass it to every Fingerprints.
    """

    def __init__(self) -> None:
        self.records: dict[int, tuple[Entry, str]] = {}
        self.shown: dict[int, tuple[Entry, str]] = {}
        """Digests of what a record shows where it is named or carded: all but its body."""
        self.cards: dict[int, tuple[Item, tuple[str, ...]]] = {}
        self.people: dict[str, Profile] = {}
        """The profiles the cards were made with."""
        self.named: dict[str, set[int]] = defaultdict(set)
        """Profile id → the cards that name it."""

    def update(self, hub: Hub) -> None:
        """Forget cards that name a changed profile, and records the hub no longer holds."""
        people = hub.people
        for profile_id in self.people.keys() | people.keys():
            if self.people.get(profile_id) is not people.get(profile_id):
                for card in self.named.pop(profile_id, ()):
                    self.cards.pop(card, None)
        self.people = dict(people)
        live = {id(entry) for entry in (*hub.items(), *people.values(), *hub.digests, *hub.pages)}
        if hub.home is not None:
            live.add(id(hub.home))
        for kept in (self.records, self.shown, self.cards):
            for gone in kept.keys() - live:
                del kept[gone]
        kept_cards = set(self.cards)
        for cards in self.named.values():
            cards &= kept_cards


_ITEM, _ENTRY, _SEQUENCE, _DATACLASS, _VALUE = range(5)


@cache
def _shape(kind: type) -> tuple[int, tuple[str, ...]]:
    """How a value of this type contributes to a fingerprint (and a dataclass's field names)."""
    if issubclass(kind, Item):
        return _ITEM, ()
    if issubclass(kind, Entry):
        return _ENTRY, ()
    if issubclass(kind, list | tuple):
        return _SEQUENCE, ()
    if dataclasses.is_dataclass(kind) and not issubclass(kind, Topic):
        return _DATACLASS, tuple(field.name for field in dataclasses.fields(kind))
    return _VALUE, ()


class Fingerprints:
    """Digests of records (computed once each) and of pages built from them."""

    def __init__(self, plan: SitePlan, salt: str, render_keys: dict[str, str],
                 memo: FingerprintMemo | None = None):  # fmt: skip
        self.plan = plan
        # Topic titles show on most pages: the vocabulary belongs to the site-wide part.
        self.salt = hashlib.sha256(f"{salt}\0{plan.hub.topics!r}".encode()).hexdigest()
        self.render_keys = render_keys
        self.memo = memo if memo is not None else FingerprintMemo()
        self.memo.update(plan.hub)
        self._records = self.memo.records
        self._cards = self.memo.cards

    def record(self, entry: Entry) -> str:
        kept = self._records.get(id(entry))
        if kept is None or kept[0] is not entry:
            kept = self._records[id(entry)] = (entry, hashlib.sha1(repr(entry).encode("utf-8")).hexdigest())
        return kept[1]

    def shown(self, entry: Entry) -> str:
        """What cards, bylines and listings show of a record: every field but the body.

        Only the record's own page (and the feeds) show the body, so editing the text
        of an article does not render again the hundreds of pages that card it.
        """
        kept = self.memo.shown.get(id(entry))
        if kept is None or kept[0] is not entry:
            fields = tuple((field.name, getattr(entry, field.name)) for field in dataclasses.fields(entry)
                           if field.name not in ("body", "body_line"))  # fmt: skip
            digest = hashlib.sha1(repr((type(entry).__name__, fields)).encode("utf-8")).hexdigest()
            kept = self.memo.shown[id(entry)] = (entry, digest)
        return kept[1]

    def card(self, item: Item) -> Iterator[str]:
        """A card shows the item and names (and links) its people."""
        return iter(self._card(item))

    def _card(self, item: Item) -> tuple[str, ...]:
        kept = self._cards.get(id(item))
        if kept is not None and kept[0] is item:
            return kept[1]
        people = self.plan.hub.people
        parts = [self.shown(item)]
        for profile_id in contributors(item):
            self.memo.named[profile_id].add(id(item))
            person = people.get(profile_id)
            if person is not None:
                parts.append(self.shown(person))
        card = tuple(parts)
        self._cards[id(item)] = (item, card)
        return card

    def parts(self, value: Any) -> Iterator[str]:
        found: list[str] = []
        self._walk(value, found)
        return iter(found)

    def _walk(self, value: Any, found: list[str]) -> None:
        shape, names = _shape(type(value))
        if shape == _ITEM:
            found.extend(self._card(value))
        elif shape == _ENTRY:
            found.append(self.record(value))
        elif shape == _SEQUENCE:
            cards = self._cards
            for element in value:
                kept = cards.get(id(element))  # most elements are items with a card made already
                if kept is not None and kept[0] is element:
                    found.extend(kept[1])
                else:
                    self._walk(element, found)
        elif shape == _DATACLASS:
            for name in names:
                self._walk(getattr(value, name), found)
        else:
            found.append(repr(value))

    def _entry_parts(self, entry: Entry) -> list[str]:
        # The parts parts() gives for [entry, card, related] (or [entry, by_person]),
        # gathered without its general walk: this runs for every page of the site.
        card = self._card
        found = [self.render_keys.get(entry.path, "")]
        # Related items and contributions are those listed in the page's language.
        relations = self.plan.edition(entry.lang).relations if self.plan.languages else self.plan.relations
        if isinstance(entry, Item):
            own = card(entry)
            found += own
            found += own
            for other in related_items(entry, relations, self.plan.settings.related_items):
                found += card(other)
        else:
            found.append(self.record(entry))
            if isinstance(entry, Profile):
                for item in relations.by_person.get(entry.slug, ()):
                    found += card(item)
        return found

    def page(self, src_uri: str, template: str, extra: Iterable[str] = ()) -> str:
        entry = self.plan.entries.get(src_uri)
        parts: list[str] = []
        if entry is not None:
            parts = self._entry_parts(entry)
        else:
            generated = self.plan.generated.get(src_uri)
            if generated is not None:
                parts.append(self.render_keys.get(src_uri, ""))  # an editor's intro, rendered
                self._walk([generated.title, generated.description, generated.view], parts)
        parts.extend(extra)
        text = f"{self.salt}\0{src_uri}\0{template}"
        if parts:
            # One update with every part and its terminator: the same digest as one update per part.
            text += "\0".join(parts) + "\0"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
