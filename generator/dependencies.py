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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .build import SitePlan
from .records import Entry, Item, Profile, Topic
from .relations import contributors, related_items


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


class Fingerprints:
    """Digests of records (computed once each) and of pages built from them."""

    def __init__(self, plan: SitePlan, salt: str, render_keys: dict[str, str]):
        self.plan = plan
        # Topic titles show on most pages: the vocabulary belongs to the site-wide part.
        self.salt = hashlib.sha256(f"{salt}\0{plan.hub.topics!r}".encode()).hexdigest()
        self.render_keys = render_keys
        self._records: dict[str, str] = {}

    def record(self, entry: Entry) -> str:
        key = entry.path
        if key not in self._records:
            self._records[key] = hashlib.sha1(repr(entry).encode("utf-8")).hexdigest()
        return self._records[key]

    def card(self, item: Item) -> Iterator[str]:
        """A card shows the item and names (and links) its people."""
        yield self.record(item)
        for profile_id in contributors(item):
            person = self.plan.hub.people.get(profile_id)
            if person is not None:
                yield self.record(person)

    def parts(self, value: Any) -> Iterator[str]:
        if isinstance(value, Item):
            yield from self.card(value)
        elif isinstance(value, Entry):
            yield self.record(value)
        elif isinstance(value, list | tuple):
            for element in value:
                yield from self.parts(element)
        elif dataclasses.is_dataclass(value) and not isinstance(value, Topic | type):
            for field in dataclasses.fields(value):
                yield from self.parts(getattr(value, field.name))
        else:
            yield repr(value)

    def entry_page(self, entry: Entry) -> Iterator[str]:
        yield self.render_keys.get(entry.path, "")
        yield from self.parts(entry)
        if isinstance(entry, Item):
            yield from self.card(entry)
            yield from self.parts(related_items(entry, self.plan.relations, self.plan.settings.related_items))
        if isinstance(entry, Profile):
            yield from self.parts(self.plan.relations.by_person.get(entry.slug, []))

    def page(self, src_uri: str, template: str, extra: Iterable[str] = ()) -> str:
        entry = self.plan.entries.get(src_uri)
        generated = self.plan.generated.get(src_uri)
        digest = hashlib.sha256(f"{self.salt}\0{src_uri}\0{template}".encode())
        if entry is not None:
            parts = self.entry_page(entry)
        elif generated is not None:
            parts = self.parts([generated.title, generated.description, generated.view])
        else:
            parts = iter(())
        for part in (*parts, *extra):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()
