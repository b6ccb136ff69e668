"""Parsed content files and the records made of them, saved by one build for the next.

A build process starts with nothing in memory, so without this file it would parse
every front matter and derive every record again. Each saved entry is keyed by its
path and the SHA-256 of the file's bytes: a file is reused only when its content is
the very same, whatever its modification time says (an editor saving twice within
the clock's tick, a checkout, a copy that keeps times). The file's header holds a
digest of everything else a record is made from: this format, the code that parses
and derives (the modules in _CODE), the versions of Python and of the libraries, and
the load's settings (time zone, language, display root); any difference and no
entry is used. What a record depends on in other files (topic and profile ids,
media files) is checked again on every load, as for the records `hub serve` keeps.

Bodies are not saved: they are the end of the file, cut again from the bytes read
for the digest. Deleting the file only makes the next load cold.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime
import hashlib
import io
import os
import pickle
import sys
import tempfile
from contextlib import suppress
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from generator.software import SOFTWARE

from . import records
from .errors import ContentIssue, Severity
from .yaml_source import SourceFile, YamlDocument, read_source

if TYPE_CHECKING:
    from .source_cache import Derived

SAVED_FILE = "sources.pickle"
"""The file's name in the hub's cache folder (settings.cache_dir)."""

_FORMAT = "mobility-hub saved sources 1"
_CODE = (
    "body_checks", "country_intros", "errors", "fields", "front_matter", "links", "loader", "markdown_source",
    "periods", "readers", "records", "saved_sources", "source_cache", "summaries", "yaml_source",
)  # fmt: skip
"""The generator modules a parsed file or a record depends on (a test checks the list)."""
_LIBRARIES = ("pyyaml", "pycountry")

Parts = tuple[Any, tuple[ContentIssue, ...], tuple[tuple[str, str, bool], ...], tuple[tuple[str, bool], ...]]
"""A saved Derived without its source: record, issues, ids asked, media asked."""


@cache
def _code() -> bytes:
    digest = hashlib.sha256(f"{_FORMAT}\0{sys.version}\0{yaml.__with_libyaml__}\0{SOFTWARE}\0".encode())
    for name in _LIBRARIES:
        with suppress(PackageNotFoundError):
            digest.update(f"{name}={version(name)}\0".encode())
    folder = Path(__file__).parent
    for name in _CODE:
        try:
            digest.update((folder / f"{name}.py").read_bytes())
        except OSError:  # no source to read (a frozen build): a key no other process shares
            digest.update(os.urandom(16))
    return digest.digest()


def saved_key(zone: ZoneInfo, language: str, display_root: str) -> bytes:
    """What every saved entry was made under besides its file: code, versions and settings."""
    return hashlib.sha256(_code() + repr((str(zone), language, display_root)).encode()).digest()


class SavedSources:
    """The entries of one saved file, for the first load of a process, and the next file's entries.

    `parse` stands in for read_source: it returns the saved parse (and what was derived
    from it) when the bytes are the ones saved, and parses otherwise. `save` then writes
    what the load ended with, unless that is what the file already holds.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key
        self.saved = _read(path, key)
        """Path → (digest of the file, the entry pickled on its own): a save copies unchanged entries as they are."""
        self.now: dict[str, tuple[bytes, int | None, SourceFile | ContentIssue, tuple[bytes, bytes] | None]] = {}
        """Path → digest, body length (None: can't be saved), the parse, the saved entry it came from."""

    def parse(self, relative: str, raw: bytes) -> tuple[SourceFile | ContentIssue, Parts | None]:
        digest = hashlib.sha256(raw).digest()
        entry = self.saved.get(relative)
        if entry is not None and entry[0] == digest:
            try:
                content = _Restricted(io.BytesIO(entry[1])).load()
                source, parts = _restore(relative, raw, content)
            except Exception:  # not what this code writes: parse the file instead
                pass
            else:
                body_length = None if isinstance(source, ContentIssue) else content[0]
                self.now[relative] = (digest, body_length, source, entry)
                return source, parts
        source = read_source(relative, raw)
        self.now[relative] = (digest, _body_length(raw, source), source, None)
        return source, None

    def save(self, derived: dict[str, Derived], restored: dict[str, Derived]) -> bool:
        """Write the entries of the files parsed since the file was read (`derived`: by path).

        A saved entry is kept as it was when the load used what `parse` restored of it
        (`restored`) unchanged. Returns whether the file now holds them.
        """
        entries: dict[str, tuple[bytes, bytes]] = {}
        changed = self.saved.keys() != self.now.keys()
        for path, (digest, body_length, source, entry) in self.now.items():
            made = derived.get(path)
            if entry is not None and made is restored.get(path):
                entries[path] = entry
                continue
            changed = True
            content = _content(body_length, source, made)
            # Not saved, only parsed next time: what can't be cut back out, or pickled (a nameless time zone).
            with suppress(Exception):
                if content is not None:
                    entries[path] = (digest, _dumps(content))
        return not changed or _write(self.path, self.key, entries)


def _body_length(raw: bytes, source: SourceFile | ContentIssue) -> int | None:
    """The body's length, when the body is the end of the text (as read_source reads it)."""
    if isinstance(source, ContentIssue):
        return None
    text = raw.decode("utf-8").removeprefix("\ufeff")
    return len(source.body) if text.endswith(source.body) else None


def _content(body_length: int | None, source: SourceFile | ContentIssue, made: Derived | None) -> tuple | None:
    """What an entry holds: (issue,) for a file that can't be read; else (body length, front matter,
    lines, body line, parts) with parts None when nothing was derived. None when it can't be saved."""
    if isinstance(source, ContentIssue):
        return (source,)
    if body_length is None:
        return None
    parts = None
    if made is not None and made.source is source:
        record, state = made.record, None
        if record is not None:
            fields = getattr(record, "__dict__", None)
            if fields is None or fields.get("body") is not source.body:
                return None
            state = {**fields, "body": None}  # the body comes from the file again
        parts = (None if record is None else type(record), state, made.issues, made.ids, made.media)
    return body_length, source.front.data, source.front.lines, source.body_line, parts


def _restore(relative: str, raw: bytes, content: tuple) -> tuple[SourceFile | ContentIssue, Parts | None]:
    if len(content) == 1:
        if not isinstance(content[0], ContentIssue):
            raise TypeError("not an issue")
        return content[0], None
    body_length, data, lines, body_line, parts = content
    if not (isinstance(data, dict) and isinstance(lines, dict) and type(body_line) is int):
        raise TypeError("not a parsed file")
    text = raw.decode("utf-8").removeprefix("\ufeff")
    body = text[len(text) - body_length :]
    source = SourceFile(relative, YamlDocument(data, lines), body, body_line)
    if parts is None:
        return source, None
    kind, state, issues, ids, media = parts
    record = None
    if kind is not None:
        if not (isinstance(kind, type) and issubclass(kind, records.Entry)):
            raise TypeError("not a record")
        record = kind.__new__(kind)
        fields = record.__dict__  # as pickle would set them: a frozen record has no setter
        fields.update(state)
        fields["body"] = body
    if not (isinstance(issues, tuple) and isinstance(ids, tuple) and isinstance(media, tuple)):
        raise TypeError("not a derivation")
    return source, (record, issues, ids, media)


_ALLOWED: dict[tuple[str, str], type] = {
    ("datetime", "datetime"): datetime.datetime, ("datetime", "date"): datetime.date,
    ("datetime", "time"): datetime.time, ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone, ("zoneinfo", "ZoneInfo"): ZoneInfo,
    ("generator.content.errors", "ContentIssue"): ContentIssue, ("generator.content.errors", "Severity"): Severity,
    **{("generator.content.records", name): value for name, value in vars(records).items()
       if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == records.__name__},
}  # fmt: skip
"""The only classes a saved file may name: records, issues, dates and time zones."""


class _Restricted(pickle.Unpickler):
    """Unpickles records, dates and plain data only: a foreign file can't run code."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"not saved sources: it refers to {module}.{name}")
        return found


def _zone(zone: ZoneInfo) -> tuple:
    if zone.key is None:
        raise pickle.PicklingError("a time zone read from a file has no name to save")
    return ZoneInfo, (zone.key,)  # not ZoneInfo's own reduce, which needs getattr to load


_DISPATCH = {**copyreg.dispatch_table, ZoneInfo: _zone}


def _dumps(content: tuple) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(content)
    return buffer.getvalue()


def _read(path: Path, key: bytes) -> dict[str, tuple[bytes, bytes]]:
    """The saved entries; none when the file is missing, unreadable, corrupt or saved under another key."""
    try:
        with path.open("rb") as file:
            unpickler = _Restricted(file)
            if unpickler.load() != (_FORMAT, key):
                return {}
            entries = unpickler.load()
    except Exception:  # truncated, garbage, another format: any reason means a cold load
        return {}
    if not isinstance(entries, dict):
        return {}
    return {path: entry for path, entry in entries.items() if isinstance(path, str) and isinstance(entry, tuple)
            and len(entry) == 2 and isinstance(entry[0], bytes) and isinstance(entry[1], bytes)}  # fmt: skip


def _write(path: Path, key: bytes, entries: dict[str, tuple[bytes, bytes]]) -> bool:
    """Replace the file in one step (a crash or a second build never leaves half of one)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as file:
            pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dump((_FORMAT, key))
            pickler.dump(entries)
        os.replace(temporary, path)
    except Exception:  # full disk, read-only folder, an unpicklable value: only the next load is colder
        if temporary:
            with suppress(OSError):
                os.unlink(temporary)
        return False
    return True
