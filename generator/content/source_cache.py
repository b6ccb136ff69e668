"""What a long-lived load keeps of content/: its listing, parsed files and the records made of them.

`hub serve` keeps a SourceCache for its whole life; a build process starts from the
files a SavedSources brings back from the last build (see saved_sources.py).
"""

from __future__ import annotations

import os
import posixpath
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fields as f
from .errors import ContentIssue
from .links import LinkMemo
from .records import Entry, Topic
from .saved_sources import SavedSources
from .yaml_source import SourceFile, read_source

if TYPE_CHECKING:
    from .front_matter import Relations


class SourceCache:
    """Content files, parsed, and the records built from them, kept between loads (`hub serve`).

    Unwatched (the default), every load lists content/ and stat()s every file, and
    parses again only the files whose size or modification time changed. Watched,
    the cache trusts what it has seen: the caller reports every file or folder that
    changed with `changed()`, and a load stats, lists and parses only those. The
    first call to `changed()` turns watched mode on.

    A file's record and issues are kept too, while its parsed text and everything
    they were checked against (topic ids, profile ids, media files, time zone,
    language) are unchanged.

    A load given a saved file (LoadContext.saved) starts from it when it is the
    first load of the folder, and writes it afterwards (see saved_sources.py).
    """

    def __init__(self, *, watched: bool = False) -> None:
        self.watched = watched
        self._folders: dict[str, ContentFiles] = {}
        self._pending: list[Path] = []
        self._lock = threading.Lock()

    def changed(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Files or folders created, modified or deleted since the last load (both ends of a move).

        Safe to call from a file watcher's thread; the next load applies them.
        """
        with self._lock:
            self.watched = True
            self._pending.extend(Path(path) for path in paths)

    def files(self, content_dir: Path) -> ContentFiles:
        """The content folder's files as of now: reported changes applied, once per load."""
        with self._lock:
            pending, self._pending = self._pending, []
        key = os.path.abspath(content_dir)
        if key not in self._folders:
            self._folders[key] = ContentFiles(content_dir)
        for folder in self._folders.values():
            folder.watched = self.watched
            for path in pending:
                folder.forget(path)
        return self._folders[key]


FILE, FOLDER, LINK, OTHER = "file", "folder", "link", "other"
"""Kinds of folder entries: a regular file, a folder walked into, a symbolic link (never
followed: it could point anywhere on the host), anything else (a device, a pipe)."""

RESERVED = "index.md"
"""In a section folder, the name of the section's own page: never an item's file."""

Tree = dict[str, dict[str, str]]
"""A content folder as folder (a path from it, "" for itself) → entry name → kind."""


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return FOLDER
    return FILE if stat.S_ISREG(mode) else OTHER


def _kind(path: Path) -> str | None:
    """What an entry is, without following a link; None when there is nothing there."""
    try:
        return _kind_of(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return None


def _entries(folder: Path) -> dict[str, str]:
    kinds: dict[str, str] = {}
    if os.path.islink(folder):
        return kinds  # a linked folder is reported, never read
    try:
        with os.scandir(folder) as found:
            for entry in found:
                try:
                    kinds[entry.name] = _kind_of(entry.stat(follow_symlinks=False).st_mode)
                except OSError:
                    kinds[entry.name] = OTHER
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    return kinds


def _plain_file(root: Path, relative: str) -> bool:
    """Whether `relative` is a regular file reached through real folders (no link on the way)."""
    path = os.path.join(root, relative)
    if _kind(Path(path)) != FILE:
        return False
    parent = os.path.dirname(relative)
    return not parent or os.path.realpath(os.path.join(root, parent)) == os.path.join(os.path.realpath(root), parent)


def _markdown_names(kinds: dict[str, str]) -> list[str]:
    """The regular *.md files among a folder's entries, sorted (a link named x.md is not one)."""
    return sorted(name for name, kind in kinds.items() if kind == FILE and name.endswith(".md"))


def _child(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _walk(root: Path, folder: str, tree: Tree) -> Tree:
    """Add `folder` (a path from root) and the folders under it to `tree`: folder → name → kind."""
    kinds = tree[folder] = _entries(root / folder)
    for name, kind in kinds.items():
        if kind == FOLDER:
            _walk(root, _child(folder, name), tree)
    return tree


class ContentFiles:
    """What a load reads of one content folder: listings, file tests and parsed files.

    `keep=False` is a one-off load: every question goes to the file system and
    nothing is kept. Otherwise parsed files are kept (see SourceCache); once
    `watched`, listings and file tests are answered from a tree of the folder that
    `forget()` keeps up to date.
    """

    def __init__(self, root: Path, *, keep: bool = True) -> None:
        self.root = root
        self.keep = keep
        self.watched = False
        self._kept: dict[str, tuple[tuple[int, int], Any]] = {}
        self._stale: set[str] = set()
        self._used: set[str] = set()
        self._tree: Tree | None = None
        self._walked: Tree | None = None
        """An unwatched load's walk of the folder, made once per load."""
        self._markdown: dict[str, list[str]] = {}
        self._listing: list[str] | None = None
        self.derived: dict[str, Derived] = {}
        self.derived_for: tuple[Any, ...] = ()
        self.checked_ids: tuple[frozenset[str], frozenset[str]] | None = None
        """Topic and profile ids every kept Derived was checked against."""
        self.checked_media: int | None = None
        """The tree version every kept Derived's media were checked against (watched mode)."""
        self.tree_version = 0
        """Changes whenever forget() is told about something: file tests may answer differently."""
        self.names: dict[str, tuple[list[str], list[tuple[str, str | None]]]] = {}
        """Folder → its *.md names and, for each, (path from content/, slug or None when invalid)."""
        self.topics: tuple[bytes, str, dict[str, Topic], list[ContentIssue]] | None = None
        self.surveyed: tuple[Any, ...] | None = None
        """The last survey of the folder (content_tree.surveyed), with what it was made from."""
        self.links = LinkMemo() if keep else None
        """Link problems per file, for check_hub_links."""
        self.loaded = False
        """Whether a load has ended: only the first load restores saved sources."""
        self._saved: SavedSources | None = None
        self.restored: dict[str, Derived] = {}
        """What the first load took from saved sources (by path), as it took it; emptied once saved."""
        self.reused = 0
        """How many records the first load took from saved sources and kept."""

    # Questions a load asks.

    def markdown(self, folder: str) -> list[str]:
        """Names of the folder's *.md entries, sorted ([] when there is no such folder)."""
        tree = self._watched_tree()
        kinds = _entries(self.root / folder) if tree is None or folder not in tree else tree[folder]
        if tree is None or folder not in tree:
            return _markdown_names(kinds)
        names = self._markdown.get(folder)
        if names is None:
            names = self._markdown[folder] = _markdown_names(kinds)
        return names

    def is_file(self, relative: str) -> bool:
        """Whether `relative` is a regular file, reached without following a link."""
        tree = self._watched_tree()
        folder, name = posixpath.split(relative)
        if tree is None or folder not in tree:
            return _plain_file(self.root, relative)
        return tree[folder].get(name) == FILE

    def tree(self) -> Tree:
        """Every entry under the folder by kind, links and all (never followed)."""
        tree = self._watched_tree()
        if tree is not None:
            return tree
        if self._walked is None:
            self._walked = _walk(self.root, "", {})
        return self._walked

    def listing(self) -> list[str]:
        """Every regular file under the folder, as a path from it."""
        tree = self._watched_tree()
        if tree is None:
            return [_child(folder, name) for folder, kinds in self.tree().items()
                    for name, kind in kinds.items() if kind == FILE]  # fmt: skip
        if self._listing is None:
            self._listing = [_child(folder, name) for folder, kinds in tree.items()
                             for name, kind in kinds.items() if kind == FILE]  # fmt: skip
        return self._listing

    def source(self, relative: str) -> SourceFile | ContentIssue:
        # The common case first, inline: this runs for every content file on every load.
        if self.watched and self.keep and relative not in self._stale:
            kept = self._kept.get(relative)
            if kept is not None:
                self._used.add(relative)
                return kept[1]
        return self._read(relative, self._parse)

    def entries(self, folder: str) -> list[tuple[str, str | None]]:
        """(path from content/, slug) of the folder's *.md files; the slug is None when the name isn't one.

        `index.md` is left out: the section's own page has that name (content_tree reports the file).
        """
        names = self.markdown(folder)
        kept = self.names.get(folder)
        if kept is None or kept[0] is not names:
            found = [(_child(folder, name), name[:-3] if f.SLUG.match(name[:-3]) else None)
                     for name in names if name != RESERVED]  # fmt: skip
            kept = (names, found)
            if self.keep:
                self.names[folder] = kept
        return kept[1]

    def raw(self, relative: str) -> bytes:
        return self._read(relative, lambda _, raw: raw)

    def _read(self, relative: str, parse: Callable[[str, bytes], Any]) -> Any:
        if not self.keep:
            return parse(relative, (self.root / relative).read_bytes())
        self._used.add(relative)
        kept = self._kept.get(relative)
        if kept is not None and self.watched and relative not in self._stale:
            return kept[1]
        path = os.path.join(self.root, relative)
        found = os.stat(path)
        stamp = (found.st_mtime_ns, found.st_size)
        if kept is None or kept[0] != stamp:
            with open(path, "rb") as file:
                kept = self._kept[relative] = (stamp, parse(relative, file.read()))
        self._stale.discard(relative)
        return kept[1]

    def _parse(self, relative: str, raw: bytes) -> SourceFile | ContentIssue:
        if self._saved is None:
            return read_source(relative, raw)
        source, parts = self._saved.parse(relative, raw)
        if parts is not None:
            # Checked against the ids and media of this load, like a record kept in memory.
            self.derived[relative] = self.restored[relative] = Derived(source, *parts)  # type: ignore[arg-type]
        return source

    def begin(self) -> None:
        self._used = set()
        self._walked = None

    def restore(self, path: Path, key: bytes) -> None:
        """Before the first load: parsed files and records saved at `path` under `key` (saved_key)."""
        if self.keep and not self.loaded and self._saved is None:
            self._saved = SavedSources(path, key)

    def end(self, derived: dict[str, Derived], ids: tuple[frozenset[str], frozenset[str]]) -> None:
        """Keep what this load derived, and drop the files it didn't read (deleted or renamed).

        After a load that restored saved sources, save what it ended with for the next process.
        """
        for gone in self._kept.keys() - self._used:
            del self._kept[gone]
        self._stale &= self._kept.keys()
        if self.keep:
            self.derived = derived
            self.checked_ids = ids
            self.checked_media = self.tree_version if self.watched else None
            self.loaded = True
        if self._saved is not None:
            self._saved.save(derived, self.restored)
            self.reused = sum(derived.get(path) is made for path, made in self.restored.items())
            self._saved, self.restored = None, {}

    # Changes reported by a watcher.

    def forget(self, path: Path) -> None:
        """Something changed at `path` (a file or a folder): ask the file system again about it."""
        relative = self._relative(path)
        if relative is None:
            return
        self.tree_version += 1
        self._walked = None
        if not relative:
            self._stale.update(self._kept)
            self._tree, self._listing = None, None
            self._markdown.clear()
            return
        inside = relative + "/"
        self._stale.update(key for key in self._kept if key == relative or key.startswith(inside))
        if self._tree is not None:
            self._rescan(relative)

    def _relative(self, path: Path) -> str | None:
        """`path` from the root (watchers may name it from the root's real path), or None when outside."""
        text = os.path.abspath(path)
        for base in dict.fromkeys((os.path.abspath(self.root), os.path.realpath(self.root))):
            if text == base:
                return ""
            if text.startswith(base + os.sep):
                return text[len(base) + 1 :].replace(os.sep, "/")
        return None

    def _watched_tree(self) -> Tree | None:
        if not (self.keep and self.watched):
            return None
        if self._tree is None:
            self._tree = {}
            self._markdown.clear()
            self._scan("")
        return self._tree

    def _scan(self, folder: str) -> None:
        assert self._tree is not None
        _walk(self.root, folder, self._tree)

    def _rescan(self, relative: str) -> None:
        assert self._tree is not None
        folder, name = posixpath.split(relative)
        while folder not in self._tree:
            # Inside a folder that is new (or not walked into): look at its topmost unknown parent.
            folder, name = posixpath.split(folder)
            relative = _child(folder, name)
        inside = relative + "/"
        gone = [key for key in self._tree if key == relative or key.startswith(inside)]
        for key in gone:
            del self._tree[key]
            self._markdown.pop(key, None)
        before = self._tree[folder].get(name)
        kind = _kind(self.root / relative)
        if kind is None:
            self._tree[folder].pop(name, None)
        else:
            self._tree[folder][name] = kind
            if kind == FOLDER:
                self._scan(relative)
        if (before is None) != (kind is None):
            self._markdown.pop(folder, None)  # an entry came or went (a save in place changes neither list)
        if gone or before != kind or kind == FOLDER:
            self._listing = None


@dataclass(frozen=True, slots=True)
class Derived:
    """What a load made of one parsed file, and the answers about other files it depended on."""

    source: SourceFile
    record: Entry | None
    """None when the file has an error."""
    issues: tuple[ContentIssue, ...]
    ids: tuple[tuple[str, str, bool], ...]
    """("topic" or "person", id, whether it was known)."""
    media: tuple[tuple[str, bool], ...]
    """(path from content/, whether the file was there)."""

    def holds(self, relations: Relations, files: ContentFiles, *, ids: bool, media: bool) -> bool:
        """Whether the answers are still the same (`ids`, `media`: check those)."""
        if ids:
            for kind, key, known in self.ids:
                if (key in (relations.topics if kind == "topic" else relations.people)) != known:
                    return False
        return not media or all(files.is_file(path) == found for path, found in self.media)
