"""One build, or one preview's life, without the engine: what it knows and each step it takes.

The engine adapter calls these steps from its events, handing over plain data (a
page's source, its destination in the site, its template) and, where rendering is
the engine's, a function to call. Everything kept between steps and between a
preview's updates lives here: the plan, the rendered bodies, the page fingerprints,
the caches, the workers still rendering.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from community_digest.issuesfeed import write_issues_feed
from generator.content.content_tree import unsafe_entries
from generator.content.errors import HubError
from generator.content.link_targets import relative_targets
from generator.content.loader import LoadResult, SourceCache
from generator.content.project import build_time
from generator.content.settings import HubSettings
from generator.site.plan import SitePlan, load_content, plan_site
from generator.site.sitemap import sitemap_xml
from generator.site.view import SiteView
from generator.software import SOFTWARE

from . import bodies, publish, workers
from .card_memo import CardMemo
from .feed_cache import CACHE_FILE, FeedCache
from .fingerprints import FingerprintMemo, Fingerprints, site_salt
from .page_reuse import PageManifest, link_previous
from .render_cache import RenderStore, open_store, render_key
from .search_index import ShardStore, is_searched, plan_shards
from .site_swap import BuildFolder, check_writable, where_and_why

log = logging.getLogger("generator.build")

ALWAYS_RENDERED = ("digest.html", "digests.html")
"""Templates whose pages render on every build (a digest's web copy reads files the plan doesn't know)."""


@dataclass(frozen=True)
class SiteSource:
    """What a build reads, as the engine's configuration names it."""

    root: Path
    """The folder of mkdocs.yml: the cache and messages are relative to it."""
    docs: Path
    display: str
    """content/ as messages name it (from root)."""
    language: str
    site_name: str
    site_url: str
    """The configured site_url (canonical addresses), "" when there is none."""
    config_text: str
    theme_dirs: tuple[Path, ...]
    """The project's own template folders (installed themes are in the software's fingerprint)."""


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class BuildSession:
    """The state of `hub build` (one run) or `hub serve` (a session of updates)."""

    def __init__(self) -> None:
        self.log = log
        """Where warnings go: the engine's adapter hands its own logger, which strict mode counts."""
        self.command = "build"
        self.settings: HubSettings | None = None
        self.source = SiteSource(Path("."), Path("content"), "content", "en", "", "", "", ())
        self.plan: SitePlan | None = None
        self.views: dict[str, SiteView] = {}
        """A view per language: `hub` in the templates of that language's pages."""
        self.sources = SourceCache()
        self.urls: dict[str, str] = {}
        self.dests: dict[str, str] = {}
        """Each file's URL and its path in the site, by its path in content/, as the engine placed it."""
        self.markdown: bodies.MarkdownSetup | None = None
        self.markdown_print = ""
        """What in the configuration changes every body's HTML (render_cache.markdown_fingerprint)."""
        self.render_pages: workers.RenderPages | None = None
        """The engine's page rendering, for worker processes (set once the engine has every page)."""
        self.prerendered: dict[str, tuple[str, bytes]] = {}
        self.store: RenderStore | None = None
        self.used_keys: set[str] = set()
        self.render_keys: dict[str, str] = {}
        self.templates: dict[str, str] = {}
        """Each page's template as planned (reused pages get a skip marker in the engine)."""
        self.fingerprints: dict[str, str] = {}
        self.prints: Fingerprints | None = None
        self.fingerprint_memo = FingerprintMemo()
        """Record digests kept between a preview's updates: only changed records are hashed again."""
        self.card_memo = CardMemo()
        """Hub pages' cards kept between a preview's updates (see card_memo.py)."""
        self.feed_cache: FeedCache | None = None
        self.previous: PageManifest | None = None
        self.previous_dir: Path | None = None
        self.manifest_path: Path | None = None
        self.build_folder: BuildFolder | None = None
        """Where a build writes, locked while it runs, renamed to the site once it succeeded."""
        self.final_site_dir: Path | None = None
        self.built = False
        self.workers: list[workers.Worker] = []

    @property
    def content_html(self) -> dict[str, str]:
        """Each page's body as HTML (what feeds carry)."""
        return {src: html for src, (html, _) in self.prerendered.items()}

    @property
    def view(self) -> SiteView:
        assert self.plan is not None
        return self.views[self.plan.language]

    def view_of(self, src: str) -> SiteView:
        assert self.plan is not None
        return self.views.get(self.plan.page_language(src), self.view)

    def start(self, settings: HubSettings, source: SiteSource) -> None:
        """A build starts: each reads its own site's cache afresh (a preview keeps its memos)."""
        self.settings, self.source = settings, source
        self.feed_cache = None
        self.fingerprint_memo = FingerprintMemo()
        self.sources = SourceCache()

    @property
    def cache_dir(self) -> Path:
        assert self.settings is not None
        return self.source.root / self.settings.cache_dir

    def build_into(self, site_dir: Path) -> Path:
        """A locked build folder beside the site, once the site and the cache are known writable.

        Checked before any work, so that a permission problem is one clear line and the
        published site stays as it was; a failed build leaves the previous site untouched.
        """
        final = site_dir.resolve()
        try:
            check_writable(self.cache_dir)
        except OSError as exc:
            raise HubError(f"cannot write the build cache (extra.hub.cache_dir): {where_and_why(exc)}") from None
        try:
            if final.is_dir():
                check_writable(final)  # replacing it moves it, which takes write access to it
            self.build_folder = BuildFolder.beside(final)
        except OSError as exc:
            raise HubError(f"cannot write the site: {where_and_why(exc)}") from None
        self.final_site_dir = final
        return self.build_folder.path

    def load_and_plan(self) -> SitePlan:
        """Load, check and plan content/; a content error ends a build."""
        assert self.settings is not None
        source = self.source
        result = self.checked(load_content(source.docs, self.settings, source.language, source.display, self.sources,
                                           self.cache_dir), source.display)  # fmt: skip
        for warning in result.warnings:
            self.log.warning(str(warning))
        return plan_site(result, settings=self.settings, site_name=source.site_name,
                         site_url=source.site_url or "http://127.0.0.1:8000/", language=source.language,
                         now=build_time(), content_dir=source.docs, previous=self.plan_to_reuse())  # fmt: skip

    def checked(self, result: LoadResult, display: str) -> LoadResult:
        if result.errors:
            message = "\n".join(str(issue) for issue in result.errors)
            raise HubError(f"{message}\n{count(len(result.errors), 'error')} in the content")
        return result

    def plan_to_reuse(self) -> SitePlan | None:
        """A build plans from scratch (a preview re-ranks only what a save changed)."""
        return None

    def use_plan(self, plan: SitePlan) -> None:
        """The plan pages are made from."""
        self.plan = plan
        self.views = {plan.language: SiteView(plan)} | {lang: SiteView(plan, lang) for lang in plan.edition_languages}

    def refuse_links(self) -> None:
        """Before the engine lists content/, following links: a link to / would walk the whole disk."""
        unsafe = unsafe_entries(self.sources.files(self.source.docs).tree(), self.source.display)
        if unsafe:
            message = "\n".join(str(issue) for issue in unsafe)
            raise HubError(f"{message}\n{count(len(unsafe), 'error')} in the content")

    def url_of(self, src: str) -> str | None:
        return self.urls.get(src)

    def render_key_of(self, src: str, body: str) -> str:
        links = [(target, self.url_of(target)) for target in relative_targets(body, src)]
        return render_key(self.markdown_print, src, body, links)

    def render_bodies(self, sources: list[str], texts: dict[str, str], processes: int) -> bodies.Rendered:
        assert self.markdown is not None
        return bodies.render_bodies(sources, texts, self.markdown, self.urls, processes, self.source.display)

    def prerender(self) -> None:
        """Render every page's body once (the engine then skips its Markdown pass): from the
        cache when unchanged, else on all cores, all with one converter per process."""
        assert self.plan is not None
        texts = {src: body for src, body in self.plan.bodies().items() if src in self.urls}
        keys = {src: self.render_key_of(src, body) for src, body in texts.items()}
        self.store = open_store(self.cache_dir / "render.sqlite3", self.log.info)
        hits = self.store.get_many(list(keys.values())) if self.store else {}
        misses = [src for src, key in keys.items() if key not in hits]
        fresh = self.render_bodies(misses, {src: texts[src] for src in misses}, self.cores)
        if self.store is not None:
            self.store.put_many((keys[src], html, toc) for src, (html, toc) in fresh.items())
        self.prerendered = {src: hits[key] for src, key in keys.items() if key in hits} | fresh
        self.used_keys = set(keys.values())
        self.render_keys = keys

    def render_changed_bodies(self, old: SitePlan) -> None:
        """A preview update: render again only the bodies the save changed."""
        assert self.plan is not None
        before = old.bodies()
        changed = {src: body for src, body in self.plan.bodies().items()
                   if src in self.render_keys and body != before.get(src)}  # fmt: skip
        for src, body in changed.items():
            self.render_keys[src] = self.render_key_of(src, body)
        fresh = self.render_bodies(list(changed), changed, 1)
        self.prerendered.update(fresh)

    @property
    def cores(self) -> int:
        assert self.settings is not None
        return self.settings.workers or os.cpu_count() or 1

    def fingerprint(self) -> dict[str, str]:
        """What each page shows, as a fingerprint (pages rendered on every build have none)."""
        assert self.plan is not None
        salt = site_salt(self.source.config_text, list(self.source.theme_dirs), SOFTWARE)
        prints = self.prints = Fingerprints(self.plan, salt, self.render_keys, self.fingerprint_memo)
        found = {}
        for src, template in self.templates.items():
            if template in ALWAYS_RENDERED:
                continue
            view = self.view_of(src)
            extra = list(prints.parts(view.home)) if template == "home.html" else []
            extra.append(repr(view.switcher(src)))  # the language switcher and hreflang links
            found[src] = prints.page(src, template, extra)
        return found

    def card_key(self, item: Any, src: str | None, url: str | None) -> tuple[Any, ...] | None:
        """Where the memo pays: hub pages, which card many items. A card's relative links
        depend on the page it is on; the rest of it, on what the fingerprints cover."""
        if src is None or self.prints is None or self.plan is None or src not in self.plan.generated:
            return None
        return self.prints.salt, tuple(self.prints.card(item)), url

    def keep_previous(self, site_dir: Path) -> None:
        """Before writing: the last build's manifest, so a rebuild can reuse unchanged pages."""
        self.manifest_path = self.cache_dir / "pages.json"
        if self.final_site_dir is not None:
            self.previous_dir = self.final_site_dir
            self.previous = PageManifest.read(self.manifest_path, self.previous_dir)

    def reuse(self, src: str, dest: str, site_dir: Path) -> bool:
        """Link the previous build's copy of a page in place when its fingerprint is unchanged."""
        fingerprint = self.fingerprints.get(src)
        return bool(fingerprint) and link_previous(self.previous, self.previous_dir, dest, fingerprint, site_dir)

    def share_out(self, site_dir: Path) -> list[str]:
        """The engine is about to render every page (`templates`, in its order): reuse the
        unchanged ones, and start workers on a share of the rest. Returns the pages it skips."""
        to_render = [src for src in self.templates if not self.reuse(src, self.dests[src], site_dir)]
        skipped = set(self.templates).difference(to_render)
        if self.cores > 1 and len(to_render) >= 40 and self.render_pages is not None:
            for index in range(1, self.cores):
                share = to_render[index :: self.cores]
                self.workers.append(workers.start(self.render_pages, share, [self.templates[s] for s in share]))
                skipped.update(share)
        return [src for src in self.templates if src in skipped]

    def manifest(self, site: Path) -> PageManifest:
        pages = {self.dests[src]: fingerprint for src, fingerprint in self.fingerprints.items() if src in self.dests}
        return PageManifest(str(site.resolve()), pages)

    def join_workers(self) -> None:
        try:
            workers.join(self.workers, self.card_memo)
        finally:
            self.workers = []

    def finish(self, site_dir: Path) -> None:
        """All pages are written: feeds and the search index, then what the next build reuses."""
        self.join_workers()
        search = self.index_search(site_dir)
        self.write_feeds(site_dir)
        self.write_sitemap(site_dir)
        if search is not None:
            search.wait()
        if self.store is not None:
            self.store.keep_only(self.used_keys)
            self.store.close()
            self.store = None
        self.previous = self.manifest(self.final_site_dir or site_dir)
        self.built = True
        if self.previous_dir is not None and self.previous_dir.name.endswith(".previous"):
            shutil.rmtree(self.previous_dir, ignore_errors=True)

    def index_search(self, site_dir: Path, after: Sequence[Any] = ()) -> publish.SearchIndexing | None:
        """Start the search index over the pages written; a preview's follows in the background,
        once the processes in `after` (pages still being written) are done."""
        shards = self.search_shards(site_dir)
        if shards is None:
            return None
        store, planned = shards
        return publish.SearchIndexing(store, planned, site_dir, jobs=self.cores)

    def search_shards(self, site_dir: Path) -> tuple[ShardStore, list[Any]] | None:
        assert self.plan is not None and self.settings is not None
        if not self.settings.search:
            return None
        # Several languages: no language forced, so Pagefind splits the index by <html lang>.
        language = self.plan.language if len(self.plan.edition_languages) == 1 else ""
        store = ShardStore(self.cache_dir / "search", language=language)
        return store, plan_shards(self.searched_pages(site_dir), language=language,
                                  per_shard=self.settings.search_shard_pages)  # fmt: skip

    def write_feeds(self, site_dir: Path) -> None:
        assert self.plan is not None
        cache_file = self.cache_dir / CACHE_FILE
        if self.feed_cache is None:
            self.feed_cache = FeedCache.load(cache_file)
        publish.write_feeds(self.plan, self.content_html, site_dir, self.feed_cache)
        publish.write_mentor_data(self.plan, site_dir)
        if self.command != "serve":
            # The next build process starts from these entries; a preview keeps them in memory.
            self.feed_cache.save(cache_file)
        if self.plan.content_dir is not None:
            write_issues_feed(self.plan.content_dir, site_dir, self.plan.site_url, self.plan.site_name,
                              now=self.plan.now)  # fmt: skip

    def write_sitemap(self, site_dir: Path) -> None:
        assert self.plan is not None
        pages = [(src, url) for src, url in self.urls.items() if src in self.plan.entries or src in self.plan.generated]
        publish.write_sitemap(sitemap_xml(self.view, pages, self.source.site_url), site_dir, self.plan.now)

    def searched_pages(self, site_dir: Path) -> dict[str, str]:
        """The pages Pagefind indexes, each with a digest of its bytes (its fingerprint)."""
        assert self.plan is not None
        pages = {}
        for src in self.plan.entries:
            dest = self.dests.get(src)
            if dest is None or not is_searched(dest):
                continue
            fingerprint = self.fingerprints.get(src)
            if fingerprint is None:
                # Rendered on every build (a digest's web copy): read it, and leave it out
                # unless it marks what to index, or Pagefind would index its whole chrome.
                data = (site_dir / dest).read_bytes()
                if b"data-pagefind-body" not in data:
                    continue
                fingerprint = hashlib.blake2b(data, digest_size=16).hexdigest()
            pages[dest] = fingerprint
        return pages

    def shutdown(self) -> None:
        """Publish the new site only now: the engine's strict-mode check runs after the last page."""
        folder, self.build_folder = self.build_folder, None
        built, self.built = self.built, False
        if folder is not None and self.final_site_dir is not None and built:
            folder.publish(self.final_site_dir)
            if self.previous is not None and self.manifest_path is not None:
                self.previous.write(self.manifest_path)
        elif folder is not None:
            folder.discard()

    def fail(self) -> None:
        """The build failed: stop every worker and drop the half-built folder."""
        workers.kill(self.workers)
        self.workers = []
        self.built = False
        if self.build_folder is not None:
            self.build_folder.discard()
            self.build_folder = None

