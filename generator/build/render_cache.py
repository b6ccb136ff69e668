"""A persistent cache of rendered Markdown, so a rebuild renders only what changed.

A body's HTML depends on the body, where the page lives (relative links), what its
relative links point at, the Markdown configuration and the software versions; the
cache key covers exactly those, so a hit is byte-identical to a fresh render.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.software import SOFTWARE


def markdown_fingerprint(config: dict[str, Any]) -> str:
    """What in the site configuration changes every page's HTML."""
    relevant = {
        "extensions": [str(ext) for ext in config.get("markdown_extensions") or []],
        "configs": config.get("mdx_configs") or {},
        "directory_urls": config.get("use_directory_urls"),
        "software": SOFTWARE,
        "toc": "tokens",  # what the table of contents is kept as
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True, default=repr).encode()).hexdigest()


def render_key(fingerprint: str, src_uri: str, body: str, link_urls: Iterable[tuple[str, str | None]]) -> str:
    digest = hashlib.sha256()
    for part in (fingerprint, src_uri, body, json.dumps(list(link_urls))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class RenderStore:
    """Rendered HTML and tables of contents by key, in one SQLite file."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)  # two builds may share one cache
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # a cache: losing it only costs a render
        self.db.execute("CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, html TEXT, toc BLOB)")

    def get_many(self, keys: list[str]) -> dict[str, tuple[str, bytes]]:
        """Cached renders by key; a cache that can't be read is a cache that misses."""
        found: dict[str, tuple[str, bytes]] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(f"SELECT key, html, toc FROM renders WHERE key IN ({marks})", chunk)
                found.update((key, (html, toc)) for key, html, toc in rows)
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, rows: Iterable[tuple[str, str, bytes]]) -> None:
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO renders VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # the next build renders these again

    def keep_only(self, keys: set[str]) -> None:
        """Drop entries no page uses any more, so the cache doesn't grow without bound."""
        try:
            stale = [key for (key,) in self.db.execute("SELECT key FROM renders") if key not in keys]
            with self.db:
                self.db.executemany("DELETE FROM renders WHERE key = ?", ((key,) for key in stale))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.db.close()


def open_store(path: Path, on_error: Callable[[str], None]) -> RenderStore | None:
    """The cache, or None (and a warning) when it can't be used; a build never needs it."""
    try:
        return RenderStore(path)
    except sqlite3.Error as exc:
        on_error(f"build cache {path} unusable ({exc}); rendering everything")
        return None
