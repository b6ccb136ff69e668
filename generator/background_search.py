"""Search while previewing: the index is rebuilt in the background, never delaying a reload.

`hub serve` shows a saved change at once; Pagefind then indexes a snapshot of
that build (hard links, so taking it is cheap) and the new index replaces the
old one only if no newer build has started meanwhile. Until then the previous
index keeps answering, a little behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

from .publish import search_command

INDEX_DIR = "pagefind"


def _link_tree(source: Path, target: Path, suffixes: tuple[str, ...] | None = None) -> None:
    for path in source.rglob("*"):
        if path.is_file() and (suffixes is None or path.suffix in suffixes):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.unlink(missing_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copyfile(path, destination)


class BackgroundIndexer:
    def __init__(self, work_dir: Path, language: str):
        self.work_dir = work_dir
        self.language = language
        self.generation = 0
        self.latest: Path | None = None
        self.lock = threading.Lock()

    def before_build(self) -> None:
        """A new build starts: an index still being made for the previous one is now stale."""
        with self.lock:
            self.generation += 1

    def after_build(self, site_dir: Path) -> None:
        """Give the new build the last index at once, and start indexing this build."""
        with self.lock:
            generation = self.generation
            if self.latest is not None and self.latest.is_dir():
                _link_tree(self.latest, site_dir / INDEX_DIR)
        snapshot = self.work_dir / f"snapshot-{generation}"
        shutil.rmtree(snapshot, ignore_errors=True)
        _link_tree(site_dir, snapshot, (".html",))
        thread = threading.Thread(target=self._index, args=(snapshot, site_dir, generation), daemon=True)
        thread.start()

    def _index(self, snapshot: Path, site_dir: Path, generation: int) -> None:
        command = search_command(snapshot, language=self.language)
        if shutil.which("nice"):
            # Low priority: the next save's rebuild, which someone is waiting for, comes first.
            command = ["nice", "-n", "10", *command]
        finished = subprocess.run(command, capture_output=True, check=False)
        with self.lock:
            if finished.returncode != 0 or generation != self.generation or not site_dir.is_dir():
                shutil.rmtree(snapshot, ignore_errors=True)
                return
            previous, self.latest = self.latest, snapshot / INDEX_DIR
            fresh = site_dir / f".{INDEX_DIR}-new"
            _link_tree(self.latest, fresh)
            shutil.rmtree(site_dir / INDEX_DIR, ignore_errors=True)
            fresh.rename(site_dir / INDEX_DIR)
        if previous is not None:
            shutil.rmtree(previous.parent, ignore_errors=True)
