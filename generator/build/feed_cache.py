"""Serialized feed entries, reused for as long as nothing they are made from changes.

A feed write renders thousands of entries of which, between two saves in the preview
server, one has changed. FeedCache keeps each entry's Atom and JSON Feed bytes under a
digest of everything they are made from (`entry_key`), so a write serializes only the
entries whose digest it has not seen; the feeds' own headers, dates, order and limits
are computed on every write. Saved to a file, the cache also spares the next build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from functools import cache
from pathlib import Path

from generator.site import feeds
from generator.site.feed_formats import atom_entry, image_type, json_item
from generator.site.feeds import FeedEntry

CACHE_FILE = "feeds.pickle"
"""The cache's file name in the hub's cache folder (settings.cache_dir)."""

_FORMAT = "mobility-hub feed cache 1"


@cache
def _salt() -> bytes:
    """What every entry's bytes depend on besides the entry: the code that writes them.

    That is feeds.py (escaping, layout, absolute links), this module (the key) and
    Python itself (json, urljoin). A change to any of them changes every key.
    """
    digest = hashlib.sha256(f"{_FORMAT}\0{sys.version}\0".encode())
    for module in (feeds, sys.modules[__name__]):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # no source to read (a frozen build): a salt no build reuses
            digest.update(os.urandom(16))
    return digest.digest()


def key_material(entry: FeedEntry) -> tuple:
    """Everything an entry's Atom and JSON bytes are made from, as strings, None and tuples.

    atom_entry and json_item read nothing but the entry's fields and the image's media
    type; the absolute links they write follow from the HTML and the entry's URL. Every
    field is here, dates as the text written out (two equal datetimes in different
    zones are written differently). Tests change each field in turn and check the key.
    """
    return (
        entry.kind, entry.url, entry.title, entry.summary, entry.published.isoformat(), entry.updated.isoformat(),
        entry.lang, tuple([(a.name, a.uri) for a in entry.authors]),
        tuple([(c.term, c.scheme, c.label) for c in entry.categories]), entry.topics, entry.via, entry.image,
        image_type(entry.image[0]) if entry.image else None, entry.translations, entry.content_html,
    )  # fmt: skip


def entry_key(entry: FeedEntry) -> bytes:
    """The digest of key_material(entry), under the salt of the code that writes entries."""
    return _digest(key_material(entry))


def _digest(material: tuple) -> bytes:
    *fields, html = material
    digest = hashlib.sha256(_salt())
    # repr() of strings, None and tuples is unambiguous and ends where it started; the HTML
    # comes last, so it needs no separator (lone surrogates pass through as they are).
    digest.update(repr(fields).encode("utf-8", "surrogatepass"))
    digest.update(html.encode("utf-8", "surrogatepass"))
    return digest.digest()


class _NoGlobals(pickle.Unpickler):
    """Unpickles only plain data (tuples, dicts, strings, bytes): a foreign file can't run code."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"not a feed cache: it refers to {module}.{name}")


class FeedCache:
    """Each entry's Atom <entry> and JSON Feed item, by entry_key.

    In memory for the life of a preview server; `load` and `save` carry it from one
    build process to the next. It holds only what the last write used.
    """

    def __init__(self) -> None:
        self._atom: dict[bytes, bytes] = {}
        self._json: dict[bytes, bytes] = {}
        # Digests of the last write's entries by their exact key material: dict equality on
        # strings and tuples is exact, and the strings' hashes are mostly computed already.
        self._keys: dict[tuple, bytes] = {}
        # And by the entry objects themselves, which feeds.EntryMemo hands back unchanged.
        self._by_entry: dict[int, tuple[FeedEntry, bytes]] = {}
        self.entries = feeds.EntryMemo()
        """The feed entries of the last write (in memory only)."""
        self.changed = False
        """Whether the content differs from what was loaded or last saved."""
        self.rendered = 0
        """How many Atom entries and JSON items the last write serialized (not found in the cache)."""

    def serialize(
        self, entries: Sequence[FeedEntry], *, atom: Iterable[int], json: Iterable[int]
    ) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """The Atom bytes of entries[i] for i in atom, and the JSON bytes for i in json.

        Whatever this write did not use is dropped, so the cache never outgrows one write.
        """
        atom, json = list(atom), list(json)
        known, self._keys = self._keys, {}
        by_entry, self._by_entry = self._by_entry, {}
        keys: dict[int, bytes] = {}
        for index in {*atom, *json}:
            entry = entries[index]
            kept = by_entry.get(id(entry))
            if kept is not None and kept[0] is entry:
                key = kept[1]
            else:
                material = key_material(entry)
                key = self._keys[material] = known.get(material) or _digest(material)
            keys[index] = key
            self._by_entry[id(entry)] = (entry, key)
        self.rendered = 0
        atom_bytes, self._atom = self._take(self._atom, {i: keys[i] for i in atom}, entries, atom_entry)
        json_bytes, self._json = self._take(self._json, {i: keys[i] for i in json}, entries, json_item)
        return atom_bytes, json_bytes

    def _take(self, table: dict[bytes, bytes], keys: dict[int, bytes], entries: Sequence[FeedEntry],
              render: Callable[[FeedEntry], bytes]) -> tuple[dict[int, bytes], dict[bytes, bytes]]:  # fmt: skip
        """Bytes by index, from the table or rendered, and the table of just these."""
        found: dict[int, bytes] = {}
        used: dict[bytes, bytes] = {}
        for index, key in keys.items():
            data = table.get(key)
            if data is None:
                data = render(entries[index])
                self.rendered += 1
            found[index] = used[key] = data
        self.changed = self.changed or used.keys() != table.keys()
        return found, used

    @classmethod
    def load(cls, path: Path) -> FeedCache:
        """The cache saved at path; an empty one when the file is missing, unreadable, corrupt or not ours."""
        loaded = cls()
        try:
            with path.open("rb") as file:
                data = _NoGlobals(file).load()
        except Exception:  # truncated, garbage, another pickle: any reason means "start empty"
            return loaded
        if not (isinstance(data, tuple) and len(data) == 4 and data[:2] == (_FORMAT, _salt())):
            return loaded  # another format, or written by other code: none of its keys could match
        atom, json = data[2:]
        if _is_table(atom) and _is_table(json):
            loaded._atom, loaded._json = atom, json
        return loaded

    def save(self, path: Path) -> bool:
        """Write the cache to path (unless unchanged since it was loaded from or saved to it).

        The file is replaced in one step, so a crash or a second build never leaves half of
        one. Failing to write is not an error, only a colder next build: returns False.
        """
        if not self.changed and path.exists():
            return True
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            with os.fdopen(handle, "wb") as file:
                pickle.dump((_FORMAT, _salt(), self._atom, self._json), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            if temporary:
                with suppress(OSError):
                    os.unlink(temporary)
            return False
        self.changed = False
        return True


def _is_table(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, bytes) and isinstance(data, bytes) for key, data in value.items()
    )
