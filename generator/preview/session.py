"""What `hub serve` keeps and decides between saves, without the engine.

A preview is a build that lives on: it keeps its memos, shows content errors on
every page instead of stopping, indexes search in the background, and after a save
re-renders only the pages whose fingerprint changed — those the reload waits for
first, then (after the reload) the pages that change only in their related cards.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.build import workers
from generator.build.publish import SearchIndexing
from generator.build.session import BuildSession, SiteSource, count
from generator.content.errors import ContentIssue, HubError
from generator.content.loader import LoadResult
from generator.content.records import Item
from generator.content.settings import HubSettings
from generator.site.plan import SitePlan

from .background_search import BackgroundIndexer
from .plan import keep_last_good, layout

log = logging.getLogger("generator.preview")


class PreviewSession(BuildSession):
    """A build session that outlives its first build: `hub serve`."""

    def __init__(self) -> None:
        super().__init__()
        self.command = "serve"
        self.serve_errors: list[ContentIssue] = []
        self.indexer: BackgroundIndexer | None = None
        self.layout: tuple[Any, ...] | None = None
        """layout() of the plan the served pages were built from."""
        self.deferred: list[workers.Worker] = []
        """Workers rendering pages after an update returned (the reload did not wait for them)."""
        self.following: threading.Thread | None = None
        """The thread that starts the deferred workers once an update has returned."""

    def start(self, settings: HubSettings, source: SiteSource) -> None:
        self.settings, self.source = settings, source  # memos live as long as the preview

    def checked(self, result: LoadResult, display: str) -> LoadResult:
        """Keep serving what is valid and show the errors on every page; a broken file
        keeps its last good version meanwhile."""
        self.serve_errors = result.errors
        for issue in self.serve_errors:
            self.log.error(str(issue))
        if self.serve_errors and self.plan is not None:
            keep_last_good(result, self.plan.hub, display)
        return result

    def plan_to_reuse(self) -> SitePlan | None:
        return self.plan

    def use_plan(self, plan: SitePlan) -> None:
        super().use_plan(plan)
        self.layout = layout(plan)

    def same_layout(self, plan: SitePlan) -> bool:
        """Whether a save left every page where it was (else the whole site is built again)."""
        return self.layout is not None and layout(plan) == self.layout

    def keep_previous(self, site_dir: Path) -> None:
        """Before a whole build: the last output, set aside where the build can reuse its pages."""
        super().keep_previous(site_dir)
        if self.indexer is not None:
            self.indexer.before_build()
        if self.previous is not None and self.fingerprints:
            # Updates changed pages in place since: describe them as they are now
            # (made here, not after each save, where someone waits for the reload).
            self.previous = self.manifest(site_dir)
        if self.previous is not None and site_dir.is_dir():
            # The engine cleans its folder before each build: set the last output aside first.
            aside = Path(f"{site_dir}.previous")
            shutil.rmtree(aside, ignore_errors=True)
            site_dir.rename(aside)
            site_dir.mkdir()
            self.previous_dir = aside

    def index_search(self, site_dir: Path, after: Sequence[Any] = ()) -> SearchIndexing | None:
        """In the background, once the processes in `after` (pages still being written) are done."""
        shards = self.search_shards(site_dir)
        if shards is not None:
            store, planned = shards
            if self.indexer is None:
                self.indexer = BackgroundIndexer(store, jobs=self.cores)
            self.indexer.after_build(site_dir, planned, after=[process.sentinel for process in after])
        return None

    def stale(self, fingerprints: dict[str, str]) -> list[str]:
        """Pages whose fingerprint changed (or that have none); the new fingerprints are kept."""
        found = [src for src in self.templates
                 if src not in fingerprints or fingerprints[src] != self.fingerprints.get(src)]  # fmt: skip
        self.fingerprints = fingerprints
        return found

    def following_pages(self, stale: list[str], old: SitePlan) -> set[str]:
        """Other items' pages that change only in their related-items cards: after the reload."""
        assert self.plan is not None
        entries = self.plan.entries
        return {src for src in stale if isinstance(entries.get(src), Item) and entries[src] is old.entries[src]}

    def update(self, site_dir: Path, reset: Callable[[list[str]], None]) -> bool:
        """After a save: re-render only the pages that show what changed.

        Returns False, having changed nothing, when the save changes which pages exist or
        where (a file added, removed, renamed, drafted, published or moved to another
        language): the caller builds it all. `reset` hands the engine's page objects their
        new front matter and body before they render again.
        """
        old, render = self.plan, self.render_pages
        if old is None or render is None:
            return False
        self.stop_deferred(site_dir)
        plan = self.load_and_plan()
        if not self.same_layout(plan):
            return False
        if self.indexer is not None:
            self.indexer.before_build()
        old_views = self.views
        self.use_plan(plan)
        self.render_changed_bodies(old)
        stale = self.stale(self.fingerprint())
        reset(stale)
        later = self.following_pages(stale, old)
        first, following = [src for src in stale if src not in later], [src for src in stale if src in later]
        self.workers = self.start_split(render, first, site_dir)
        if self.dates_changed(old, old_views):
            self.write_sitemap(site_dir)
        self.write_feeds(site_dir)  # while the workers render
        self.join_workers()
        self.follow(lambda: self.start_split(render, following, site_dir), site_dir)
        self.log.info(f"Updated {count(len(first), 'page')}, {len(later)} more following")
        return True

    def start_split(self, render: workers.RenderPages, pages: list[str], site_dir: Path) -> list[workers.Worker]:
        def output_size(src: str) -> int:
            try:
                return (site_dir / self.dests[src]).stat().st_size
            except OSError:
                return 0

        templates = [self.templates[src] for src in pages]
        return workers.start_split(render, pages, templates, cores=self.cores, output_size=output_size)

    def dates_changed(self, old: SitePlan, old_views: Mapping[str, Any]) -> bool:
        """Whether the sitemap's last-modified dates moved (records are immutable: only those
        loaded again can have)."""
        assert self.plan is not None
        old_view = old_views[old.language]
        return any(self.view.last_modified(entry) != old_view.last_modified(old.entries[src])
                   for src, entry in self.plan.entries.items() if entry is not old.entries[src])  # fmt: skip

    def follow(self, start: Callable[[], list[workers.Worker]], site_dir: Path) -> None:
        """After the reload, in a thread: the pages left to render, then the search index."""

        def run() -> None:
            try:
                self.deferred = start()
                self.index_search(site_dir, after=[worker.process for worker in self.deferred])
            except (OSError, HubError) as exc:  # the next save tries again
                self.log.error(f"updating the pages that follow a save failed: {exc}")

        # Forking costs tens of milliseconds at this size: the browser reloads meanwhile.
        self.following = threading.Thread(target=run, daemon=True)
        self.following.start()

    def stop_deferred(self, site_dir: Path) -> None:
        """A new save came: stop rendering what the last update left, rather than wait for it.

        A stopped worker's pages lose their fingerprints, so the next update or build
        renders them again, with the newest content.
        """
        self.join_following()
        for src in workers.stop(self.deferred, lambda src: site_dir / self.dests[src]):
            self.fingerprints.pop(src, None)
        self.deferred = []

    def join_following(self) -> None:
        if self.following is not None:
            self.following.join()
            self.following = None

    def settle(self) -> None:
        """Wait for the pages an update left to render after the reload."""
        self.join_following()
        if self.deferred:
            self.workers, self.deferred = self.deferred, []
            self.join_workers()

    def shutdown(self) -> None:
        if self.indexer is not None:
            self.indexer.stop()
            self.indexer = None
        super().shutdown()

    def fail(self) -> None:
        workers.kill(self.deferred)
        self.deferred = []
        super().fail()
