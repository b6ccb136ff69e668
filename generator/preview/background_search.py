"""Search while previewing: the index is rebuilt in the background, never delaying a reload.

`hub serve` shows a saved change at once; once saves pause, Pagefind indexes again
the shards (see search_index.py) whose pages changed, and the new index replaces
the old one only if no newer update has started meanwhile. Until then the previous
index keeps answering, a little behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing.connection
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from generator.build.search_index import BUNDLE, Shard, ShardStore, index_shards
from generator.content.errors import HubError

QUIET_SECONDS = 1.0
"""How long after the last update the index is started."""


class BackgroundIndexer:
    def __init__(self, store: ShardStore, *, jobs: int):
        self.store = store
        self.jobs = jobs
        self.generation = 0
        self.latest: list[Shard] = []
        """The shards of the index being served."""
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.processes: list[subprocess.Popen[str]] = []
        self.stopped = False

    def before_build(self) -> None:
        """A new build starts: an index still being made for the previous one is now stale,
        so it is stopped, and the cores go to the update someone is waiting for."""
        with self.lock:
            self.generation += 1
            self._terminate()

    def after_build(self, site_dir: Path, shards: list[Shard], after: Sequence[int] = ()) -> None:
        """Give a new build the last index at once, and index it once saves pause and the
        processes still writing pages (their sentinels in `after`) are done."""
        with self.lock:
            generation = self.generation
            if self.latest and not (site_dir / BUNDLE).is_dir():
                with contextlib.suppress(OSError):  # then the new index comes a little later
                    self._swap_in(self.latest, site_dir)
            if self.timer is not None:
                self.timer.cancel()
            # While an editor saves again and again, the CPU goes to the preview.
            self.timer = threading.Timer(QUIET_SECONDS, self._index, args=(site_dir, shards, generation, list(after)))
            self.timer.daemon = True
            self.timer.start()

    def stop(self) -> None:
        """The preview ends: no index is started any more, and one under way is stopped."""
        with self.lock:
            self.stopped = True
            if self.timer is not None:
                self.timer.cancel()
            self._terminate()

    def _index(self, site_dir: Path, shards: list[Shard], generation: int, after: list[int]) -> None:
        if after:
            multiprocessing.connection.wait(after, timeout=600)

        def cancelled() -> bool:
            return generation != self.generation or self.stopped

        def started(process: subprocess.Popen[str]) -> None:
            with self.lock:
                self.processes.append(process)
                if cancelled():
                    process.terminate()

        # Pagefind reads hard links to the served pages: pages are replaced by rename, so
        # each file it reads is whole, and if an update starts meanwhile, `cancelled` throws
        # the shard away before it is kept under its digest.
        try:
            complete = index_shards(self.store, shards, site_dir, jobs=self.jobs, nice=True,
                                    cancelled=cancelled, started=started)  # fmt: skip
        except (HubError, OSError):
            complete = False  # the last index keeps answering; the next save tries again
        with self.lock:
            self.processes = []
            if not complete or cancelled() or not site_dir.is_dir():
                return
            try:
                self._swap_in(shards, site_dir)
            except OSError:
                return  # a bundle went missing (another build of the project): the next save redoes it
            self.latest = shards
            self.store.keep_only(shards)

    def _swap_in(self, shards: list[Shard], site_dir: Path) -> None:
        fresh = site_dir / ".search-new"
        shutil.rmtree(fresh, ignore_errors=True)
        self.store.publish(shards, fresh)
        shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
        (fresh / BUNDLE).rename(site_dir / BUNDLE)
        shutil.rmtree(fresh, ignore_errors=True)

    def _terminate(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
