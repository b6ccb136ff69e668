"""Search while previewing: the index is rebuilt in the background, never delaying a reload.

`hub serve` shows a saved change at once; once saves pause, Pagefind indexes the
served pages into a folder of its own, and the new index replaces the old one only
if no newer update has started meanwhile. Until then the previous index keeps
answering, a little behind.
"""

from __future__ import annotations

import multiprocessing.connection
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from .publish import search_command

INDEX_DIR = "pagefind"
QUIET_SECONDS = 1.0
"""How long after the last update the index is started."""


def _link_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
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
        self.timer: threading.Timer | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.stopped = False

    def before_build(self) -> None:
        """A new build starts: an index still being made for the previous one is now stale,
        so it is stopped, and the cores go to the update someone is waiting for."""
        with self.lock:
            self.generation += 1
            if self.process is not None:
                self.process.terminate()

    def after_build(self, site_dir: Path, after: Sequence[int] = ()) -> None:
        """Give a new build the last index at once, and index it once saves pause and the
        processes still writing pages (their sentinels in `after`) are done."""
        with self.lock:
            generation = self.generation
            if self.latest is not None and self.latest.is_dir() and not (site_dir / INDEX_DIR).is_dir():
                _link_tree(self.latest, site_dir / INDEX_DIR)
            if self.timer is not None:
                self.timer.cancel()
            # While an editor saves again and again, the CPU goes to the preview.
            self.timer = threading.Timer(QUIET_SECONDS, self._index, args=(site_dir, generation, list(after)))
            self.timer.daemon = True
            self.timer.start()

    def stop(self) -> None:
        """The preview ends: no index is started any more, and one under way is stopped."""
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
            if self.process is not None:
                self.process.terminate()

    def _index(self, site_dir: Path, generation: int, after: list[int]) -> None:
        if after:
            multiprocessing.connection.wait(after, timeout=600)
        # Pagefind reads the served folder itself and writes its index outside it: pages
        # are replaced by rename, so each file it reads is whole, and if an update starts
        # meanwhile, the generation check below throws this index away.
        output = self.work_dir / f"index-{generation}"
        shutil.rmtree(output, ignore_errors=True)
        command = [*search_command(site_dir, language=self.language), "--output-path", str(output)]
        if shutil.which("nice"):
            # Low priority: the next save's update, which someone is waiting for, comes first.
            command = ["nice", "-n", "10", *command]
        with self.lock:
            if generation != self.generation or self.stopped:
                return
            self.process = process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        returncode = process.wait()
        with self.lock:
            self.process = None
            if returncode != 0 or generation != self.generation or self.stopped or not site_dir.is_dir():
                shutil.rmtree(output, ignore_errors=True)
                return
            previous, self.latest = self.latest, output
            fresh = site_dir / f".{INDEX_DIR}-new"
            _link_tree(self.latest, fresh)
            shutil.rmtree(site_dir / INDEX_DIR, ignore_errors=True)
            fresh.rename(site_dir / INDEX_DIR)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
