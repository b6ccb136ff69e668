"""The only module that imports MkDocs: the `hub` plugin and the build/serve entry points.

Everything here translates MkDocs events into calls to the engine-free core
(load → plan → render helpers → publish) and back.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import watchdog.events
import watchdog.observers
import yaml
from markupsafe import Markup
from mkdocs.commands.build import _build_theme_template, get_context
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

from community_digest.issuesfeed import write_issues_feed
from generator.build import publish
from generator.build.card_memo import CardMemo
from generator.build.feed_cache import CACHE_FILE, FeedCache
from generator.build.fingerprints import FingerprintMemo, Fingerprints, site_salt
from generator.build.page_reuse import PageManifest, link_previous
from generator.build.render_cache import RenderStore, markdown_fingerprint, open_store, render_key
from generator.build.search_index import ShardStore, is_searched, plan_shards
from generator.build.site_swap import BuildFolder, check_writable, where_and_why
from generator.build.work_split import split_by_cost
from generator.content.content_tree import unsafe_entries
from generator.content.errors import ConfigError, ContentIssue, HubError
from generator.content.link_targets import relative_targets
from generator.content.loader import SourceCache
from generator.content.project import build_time
from generator.content.records import Item
from generator.content.settings import HubSettings, check_site_language, parse_settings
from generator.preview.background_search import BackgroundIndexer
from generator.preview.banner import with_banner
from generator.preview.plan import keep_last_good, layout
from generator.site import messages
from generator.site.plan import SitePlan, load_content, plan_site
from generator.site.view import SiteView
from generator.software import SOFTWARE

from .navigation import language_navigations

log = get_plugin_logger(__name__)

TEMPLATES = {"articles": "article.html", "stories": "story.html", "people": "profile.html",
             "digests": "digest.html", "pages": "page.html"}  # fmt: skip
SKIP_TEMPLATE = "hub-skip.html"
DEFAULT_NAV = (
    ("Home", "index.md"), ("Articles", "articles/index.md"), ("Stories", "stories/index.md"),
    ("People", "people/index.md"), ("Topics", "topics/index.md"), ("Destinations", "countries/index.md"),
    ("Digest", "digests/index.md"), ("Search", "search/index.md"),
)  # fmt: skip
ALWAYS_RENDERED = ("digest.html", "digests.html")


class HubPluginConfig(Config):
    """The plugin has no options of its own: the hub's settings are `extra.hub`."""


class HubPlugin(BasePlugin[HubPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.settings: HubSettings | None = None
        self.plan: SitePlan | None = None
        self.view: SiteView | None = None
        self.views: dict[str, SiteView] = {}
        """A view per language: `hub` in the templates of that language's pages."""
        self.navs: dict[str, Any] = {}
        """Each other language's navigation (see navigation.py)."""
        self.final_site_dir: str | None = None
        self.build_dir: str | None = None
        self.build_folder: BuildFolder | None = None
        """Where a build writes, locked while it runs, renamed to the site once it succeeded."""
        self.built = False
        self.sources = SourceCache()
        self.indexer: BackgroundIndexer | None = None
        self.content_html: dict[str, str] = {}
        self.serve_errors: list[ContentIssue] = []
        self.prerendered: dict[str, tuple[str, bytes]] = {}
        self.store: RenderStore | None = None
        self.used_keys: set[str] = set()
        self.render_keys: dict[str, str] = {}
        self.fingerprints: dict[str, str] = {}
        self.previous: PageManifest | None = None
        self.previous_dir: Path | None = None
        self.workers: list[_Worker] = []
        self._nav: Any = None
        self._extensions: tuple[Any, Any] | None = None
        self._files: Files | None = None
        self.manifest_path: Path | None = None
        self._config: MkDocsConfig | None = None
        self._env: Any = None
        self.templates: dict[str, str] = {}
        """Each page's template as planned (on_env swaps it for a skip marker on reused pages)."""
        self.feed_cache: FeedCache | None = None
        self.deferred: list[_Worker] = []
        """Workers rendering pages after a preview update returned (the reload did not wait for them)."""
        self.following: threading.Thread | None = None
        """The thread that starts the deferred workers once a preview update has returned."""
        self.layout: tuple[Any, ...] | None = None
        """layout() of the plan the served pages were built from."""
        self.fingerprint_memo = FingerprintMemo()
        """Record digests kept between a preview's updates: only changed records are hashed again."""
        self.prints: Fingerprints | None = None
        self.card_memo = CardMemo()
        """Hub pages' cards kept between a preview's updates (see card_memo.py)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_reused_pages)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        hub = (config.extra or {}).get("hub")
        try:
            source = os.path.basename(config.config_file_path or "mkdocs.yml")
            self.settings = parse_settings(hub, source=source)
            check_site_language(self.settings, config.theme["language"] or "en", source)
        except ConfigError as exc:
            raise Abort(str(exc)) from None
        # The hub checks relative links itself (file, line, link); MkDocs' own check would say it twice.
        config.validation.links.not_found = logging.INFO
        config.validation.links.anchors = logging.INFO
        # Item pages are reached through listings, not the navigation: that is by design.
        config.validation.nav.omitted_files = logging.DEBUG
        if not config.nav:
            # Listing every page in the navigation would put thousands of links on each page.
            config.nav = [{title: src} for title, src in DEFAULT_NAV]
        if self.command in ("build", "gh-deploy"):
            # Build beside the final folder and swap at the end, so a failed build
            # leaves the previous site untouched.
            self.final_site_dir = config.site_dir
            self.build_folder = self._build_folder(config)
            config.site_dir = self.build_dir = str(self.build_folder.path)
        self._config = config
        if self.command != "serve":
            # Each build reads its own site's cache; memos live as long as a preview.
            # (MkDocs keeps one plugin object per process: a build after a preview in
            # the same process must not trust the preview's watched sources.)
            self.feed_cache = None
            self.fingerprint_memo = FingerprintMemo()
            self.sources = SourceCache()
        return config

    def _build_folder(self, config: MkDocsConfig) -> BuildFolder:
        """A locked build folder beside the site, once the site and the cache are known writable.

        Checked before any work, so that a permission problem is one clear line and the
        published site stays as it was.
        """
        assert self.settings is not None
        root = Path(config.config_file_path or ".").resolve().parent
        final = Path(config.site_dir).resolve()
        try:
            check_writable(root / self.settings.cache_dir)
        except OSError as exc:
            raise Abort(f"cannot write the build cache (extra.hub.cache_dir): {where_and_why(exc)}") from None
        try:
            if final.is_dir():
                check_writable(final)  # replacing it moves it, which takes write access to it
            return BuildFolder.beside(final)
        except OSError as exc:
            raise Abort(f"cannot write the site: {where_and_why(exc)}") from None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.plan = self._load_and_plan(config)
        self.views = _views(self.plan)
        self.view = self.views[self.plan.language]
        self.layout = layout(self.plan) if self.command == "serve" else None
        self.content_html = {}
        return self._select_files(files, config)

    def _load_and_plan(self, config: MkDocsConfig) -> SitePlan:
        assert self.settings is not None
        docs = Path(config.docs_dir)
        root = Path(config.config_file_path or ".").resolve().parent
        display = _display_root(config)
        language = config.theme["language"] or "en"
        result = load_content(docs, self.settings, language, display, self.sources, root / self.settings.cache_dir)
        self.serve_errors = result.errors if self.command == "serve" else []
        if result.errors and not self.serve_errors:
            message = "\n".join(str(issue) for issue in result.errors)
            raise Abort(f"{message}\n{_count(len(result.errors), 'error')} in the content")
        for issue in self.serve_errors:
            # While previewing, keep serving what is valid and show the errors on every page.
            log.error(str(issue))
        if self.serve_errors and self.plan is not None:
            keep_last_good(result, self.plan.hub, display)
        for warning in result.warnings:
            log.warning(str(warning))
        # The last plan lets an update re-rank only what a save changed (same result, sooner).
        previous = self.plan if self.command == "serve" else None
        return plan_site(result, settings=self.settings, site_name=config.site_name,
                         site_url=config.site_url or "http://127.0.0.1:8000/",
                         language=language, now=build_time(), content_dir=docs, previous=previous)  # fmt: skip

    def sources_changed(self, paths: set[Path]) -> None:
        """Files the preview server saw change: the next load reads them (and only them) again."""
        self.sources.changed(paths)

    def refresh(self) -> bool:
        """`hub serve` after a save: re-render only the pages that show what changed.

        The folder then matches what a whole build would write (the search index
        follows in the background). Returns False, having changed nothing, when the
        save changes which pages exist or where (a file added, removed, renamed,
        drafted, published or moved to another language): the caller builds it all.
        """
        config, files, env, old = self._config, self._files, self._env, self.plan
        if config is None or files is None or env is None or old is None or self.command != "serve":
            return False
        self.stop_deferred()
        plan = self._load_and_plan(config)
        new_layout = layout(plan)
        if self.layout is None or new_layout != self.layout:
            return False
        self.layout = new_layout
        if self.indexer is not None:
            self.indexer.before_build()
        old_view = self.view
        assert old_view is not None
        self.plan, self.views = plan, _views(plan)
        self.view = self.views[plan.language]
        self._render_changed_bodies(old, config, files)
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        fingerprints = self._fingerprint(config, pages)
        stale = [page for page in pages
                 if page.file.src_uri not in fingerprints
                 or fingerprints[page.file.src_uri] != self.fingerprints.get(page.file.src_uri)]  # fmt: skip
        self.fingerprints = fingerprints
        for page in stale:
            page.meta = {}
            self.on_page_markdown("", page=page, config=config, files=files)
            cached = self.prerendered.get(page.file.src_uri)
            if cached is not None:
                page.content, page.toc = cached[0], pickle.loads(cached[1])
        # Other items' pages that change only in their related-items cards come second:
        # the reload waits for the saved page, listings, hubs, profiles and feeds only.
        later = [page for page in stale if isinstance(plan.entries.get(page.file.src_uri), Item)
                 and plan.entries[page.file.src_uri] is old.entries[page.file.src_uri]]  # fmt: skip
        deferred = {id(page) for page in later}
        first = [page for page in stale if id(page) not in deferred]
        self.workers = self._start_render(first, [self.templates[page.file.src_uri] for page in first], config, env,
                                          files)  # fmt: skip
        if any(self.view.last_modified(entry) != old_view.last_modified(old.entries[src])
               for src, entry in plan.entries.items()):  # fmt: skip
            _build_theme_template("sitemap.xml", env, files, config, self._nav)
        self._write_feeds(config)  # while the workers render
        self._join_workers()
        # Forking costs tens of milliseconds at this size: the browser reloads meanwhile.
        self.following = threading.Thread(target=self._render_following, args=(later, config, env, files), daemon=True)
        self.following.start()
        log.info(f"Updated {_count(len(first), 'page')}, {len(later)} more following")
        return True

    def _render_following(self, later: list[Page], config: MkDocsConfig, env: Any, files: Files) -> None:
        """After the reload, in a thread: the pages left to render, then the search index once they are written."""
        try:
            self.deferred = self._start_render(later, [self.templates[page.file.src_uri] for page in later], config,
                                               env, files)  # fmt: skip
            self._index_search(config, after=[worker.process for worker in self.deferred])
        except (OSError, HubError) as exc:  # the next save tries again
            log.error(f"updating the pages that follow a save failed: {exc}")

    def _join_following(self) -> None:
        if self.following is not None:
            self.following.join()
            self.following = None

    def settle(self) -> None:
        """Wait for the pages an update left to render after the reload (see refresh())."""
        self._join_following()
        if self.deferred:
            self.workers, self.deferred = self.deferred, []
            self._join_workers()

    def stop_deferred(self) -> None:
        """A new save came: stop rendering what the last update left, rather than wait for it.

        A stopped worker's pages lose their fingerprints, so the next update or build
        renders them again, with the newest content; the pages it already wrote stay
        whole (each is written aside and renamed), and its half-written file is removed
        once it has ended.
        """
        self._join_following()
        stopped = []
        for worker in self.deferred:
            if worker.process.is_alive() or worker.process.exitcode != 0:
                worker.process.kill()
                stopped.append(worker)
                for page in worker.pages:
                    self.fingerprints.pop(page.file.src_uri, None)
            worker.results.close()
        self.deferred = []
        if stopped:
            # A process of the server's size takes tens of milliseconds to end: not on the save's time.
            threading.Thread(target=_reap, args=(stopped,), daemon=True).start()

    def _render_changed_bodies(self, old: SitePlan, config: MkDocsConfig, files: Files) -> None:
        assert self.plan is not None
        changed = {src: entry.body for src, entry in self.plan.entries.items()
                   if src in self.render_keys and entry.body != old.entries[src].body}  # fmt: skip
        fingerprint = markdown_fingerprint(config)
        for src, body in changed.items():
            links = [(target, _url_of(files, target)) for target in relative_targets(body, src)]
            self.render_keys[src] = render_key(fingerprint, src, body, links)
        fresh = _render_bodies(list(changed), changed, config, files, 1)
        self.prerendered.update(fresh)
        self.content_html.update((src, html) for src, (html, _) in fresh.items())

    def _select_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Publish of content/ only what the contract names: published records and media files.

        Everything else MkDocs found there (leftovers, unknown folders, settings, drafts)
        stays out; hub check has named it. Theme assets and generated pages are kept.
        """
        assert self.plan is not None
        for file in list(files):
            if file.src_dir != config.docs_dir:
                continue
            if file.src_uri in self.plan.entries:
                _place_translation(file, self.plan)
            elif file.src_uri not in self.plan.media or file.src_uri in self.plan.hidden_media:
                files.remove(file)
        for src_uri, page in self.plan.generated.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            front = yaml.safe_dump({"title": page.title}, allow_unicode=True)
            files.append(File.generated(config, src_uri, content=f"---\n{front}---\n{page.body}",
                                        inclusion=InclusionLevel.NOT_IN_NAV))  # fmt: skip
        files.append(File.generated(config, "robots.txt", content=publish.robots_txt(self.plan)))
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand MkDocs the body we already parsed, so it doesn't parse front matter again."""
        if self.plan is None:
            return None
        entry = self.plan.entries.get(page.file.src_uri)
        if entry is not None:
            return entry.body
        generated = self.plan.generated.get(page.file.src_uri)
        return None if generated is None else generated.body

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.plan is not None
        src = page.file.src_uri
        entry = self.plan.entries.get(src)
        generated = self.plan.generated.get(src)
        page.meta["hide"] = (
            ["navigation"]
            if entry is not None and entry.section in ("articles", "stories", "pages")
            else ["navigation", "toc"]
        )
        if entry is not None:
            page.meta["template"] = "home.html" if src == "index.md" else TEMPLATES.get(entry.section, "page.html")
            page.meta["title"] = Markup.escape(entry.title)
            if entry.summary:
                page.meta["description"] = Markup.escape(entry.summary)
            if src not in self.prerendered:
                return entry.body
            _skip_markdown(page)
            return ""
        if generated is not None:
            page.meta["template"] = generated.template
            page.meta["title"] = Markup.escape(generated.title)
            if generated.description:
                page.meta["description"] = Markup.escape(generated.description)
            if not markdown.strip():
                _skip_markdown(page)
        return markdown

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Refuse links in content/, then keep the previous output where a rebuild can reuse unchanged pages."""
        # MkDocs lists content/ next, following links: a link to / would walk the whole disk.
        unsafe = unsafe_entries(self.sources.files(Path(config.docs_dir)).tree(), _display_root(config))
        if unsafe:
            message = "\n".join(str(issue) for issue in unsafe)
            raise Abort(f"{message}\n{_count(len(unsafe), 'error')} in the content")
        root = Path(config.config_file_path or ".").resolve().parent
        assert self.settings is not None
        self.manifest_path = root / self.settings.cache_dir / "pages.json"
        if self.indexer is not None:
            self.indexer.before_build()
        if self.final_site_dir is not None:
            self.previous_dir = Path(self.final_site_dir).resolve()
            self.previous = PageManifest.read(self.manifest_path, self.previous_dir)
            return
        if self.previous is not None and self.fingerprints:
            # The preview updated pages in place since: describe them as they are now
            # (made here, not after each save, where someone waits for the reload).
            self.previous = self._manifest(Path(config.site_dir))
        if self.previous is not None and Path(config.site_dir).is_dir():
            # `serve` cleans its folder before each build: set the last output aside first.
            aside = Path(f"{config.site_dir}.previous")
            shutil.rmtree(aside, ignore_errors=True)
            Path(config.site_dir).rename(aside)
            Path(config.site_dir).mkdir()
            self.previous_dir = aside

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._nav, self._files = nav, files
        assert self.plan is not None
        self.navs = language_navigations(files, config, self.plan)
        self._prerender(config, files)
        # Every body is rendered now; MkDocs' own Markdown pass gets empty text, so spare
        # it setting up every extension once per page. on_env puts them back for templates.
        self._extensions = (config["markdown_extensions"], config["mdx_configs"])
        config["markdown_extensions"], config["mdx_configs"] = [], {}
        return nav

    def _prerender(self, config: MkDocsConfig, files: Files) -> None:
        """Render every body once: from the cache when unchanged, else on all cores."""
        assert self.plan is not None and self.settings is not None
        root = Path(config.config_file_path or ".").resolve().parent
        self.store = open_store(root / self.settings.cache_dir / "render.sqlite3", log.info)
        fingerprint = markdown_fingerprint(config)
        keys: dict[str, str] = {}
        for src, entry in self.plan.entries.items():
            if files.get_file_from_path(src) is None:
                continue
            links = [(target, _url_of(files, target)) for target in relative_targets(entry.body, src)]
            keys[src] = render_key(fingerprint, src, entry.body, links)
        hits = self.store.get_many(list(keys.values())) if self.store else {}
        misses = [src for src, key in keys.items() if key not in hits]
        fresh = _render_bodies(misses, {src: self.plan.entries[src].body for src in misses}, config, files,
                               self.settings.workers or os.cpu_count() or 1)  # fmt: skip
        if self.store is not None:
            self.store.put_many((keys[src], html, toc) for src, (html, toc) in fresh.items())
        self.prerendered = {src: hits[key] for src, key in keys.items() if key in hits} | fresh
        self.used_keys = set(keys.values())
        self.render_keys = keys

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        cached = self.prerendered.get(page.file.src_uri)
        if cached is not None:
            html, toc = cached
            page.toc = pickle.loads(toc)
        self.content_html[page.file.src_uri] = html
        return html

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:  # fmt: skip
        assert self.plan is not None
        src = page.file.src_uri
        context["page_lang"] = self.plan.page_language(src)
        context["hub"] = self.views.get(context["page_lang"], self.view)
        context["nav"] = self.navs.get(context["page_lang"], nav)
        context["record"] = self.plan.entries.get(src)
        generated = self.plan.generated.get(src)
        context["view"] = generated.view if generated else None
        if page.meta.get("template") == "digest.html" and context["record"] is not None:
            try:
                context["digest"] = self.view.digest(context["record"]) if self.view else None
            except HubError as exc:
                raise Abort(str(exc)) from None
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:  # fmt: skip
        context.update(hub=self.view, record=None, view=None)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        lang = self.plan.page_language(page.file.src_uri) if self.plan else None
        if lang is not None and self.plan is not None and lang != self.plan.language:
            # Search splits its index by <html lang>: make sure each page states its own.
            site_lang = config.theme["language"] or "en"
            output = output.replace(f'<html lang="{site_lang}"', f'<html lang="{lang}"', 1)
        return output

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """All pages are read: reuse unchanged ones, and start workers on part of the rest."""
        assert self.plan is not None and self.settings is not None
        if self._extensions is not None:
            config["markdown_extensions"], config["mdx_configs"] = self._extensions
            self._extensions = None
        # A build makes its own environment: templates can't change under it, so spare
        # Jinja a stat() of every included template on every page.
        env.auto_reload = False
        self._env = env
        env.globals["hub_card"] = self.card_memo.render
        messages.install(env, self.plan.language)
        self.card_memo.start_build(self._card_key if self.command == "serve" else None)
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        self.templates = {page.file.src_uri: page.meta.get("template", "main.html") for page in pages}
        self.fingerprints = self._fingerprint(config, pages)
        to_render = []
        for page in pages:
            fingerprint = self.fingerprints.get(page.file.src_uri)
            if fingerprint and link_previous(self.previous, self.previous_dir, page.file.dest_uri,
                                             fingerprint, Path(config.site_dir)):  # fmt: skip
                page.meta["template"] = SKIP_TEMPLATE
            else:
                to_render.append(page)
        workers = self.settings.workers or os.cpu_count() or 1
        if workers > 1 and len(to_render) >= 40:
            for index in range(1, workers):
                share = to_render[index::workers]
                templates = [page.meta.get("template", "main.html") for page in share]
                for page in share:
                    page.meta["template"] = SKIP_TEMPLATE
                self.workers.append(self._start_worker(share, templates, config, env, files))
        return env

    def _start_worker(self, pages: list[Page], templates: list[str], config: MkDocsConfig, env: Any,
                      files: Files) -> _Worker:  # fmt: skip
        context = multiprocessing.get_context("fork")
        results, sink = context.Pipe(duplex=False)
        process = context.Process(
            target=_render_pages,
            args=(pages, templates, config, self._nav, files.documentation_pages(), env, self.card_memo, sink),
            daemon=True,
        )
        process.start()
        sink.close()  # the worker holds the other end: its exit is then seen as the end of the pipe
        return _Worker(process, pages, results)

    def _start_render(self, pages: list[Page], templates: list[str], config: MkDocsConfig, env: Any,
                      files: Files) -> list[_Worker]:  # fmt: skip
        """Render pages outside MkDocs' loop (a preview update) in worker processes, up to one
        per core, while this process writes the feeds."""
        assert self.settings is not None
        cores = self.settings.workers or os.cpu_count() or 1
        # A few pages: leave a core to the feeds; many (a template or topics.yml changed): use all.
        workers = cores if len(pages) >= 40 else max(1, cores - 1)
        # A page takes about as long to render as its last output is long (a topic page of
        # hundreds of cards, 0.2 s; an article, 20 ms), plus a fixed part.
        costs = [_PAGE_COST + _output_size(page) for page in pages]
        return [self._start_worker([pages[i] for i in group], [templates[i] for i in group], config, env, files)
                for group in split_by_cost(costs, workers)]  # fmt: skip

    def _fingerprint(self, config: MkDocsConfig, pages: list[Page]) -> dict[str, str]:
        assert self.plan is not None
        theme_dirs = [Path(folder) for folder in config.theme.dirs if "site-packages" not in folder]
        config_text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
        salt = site_salt(config_text, theme_dirs, SOFTWARE)
        prints = self.prints = Fingerprints(self.plan, salt, self.render_keys, self.fingerprint_memo)
        found = {}
        for page in pages:
            src = page.file.src_uri
            template = self.templates[src]
            if template in ALWAYS_RENDERED:
                continue
            view = self.views.get(self.plan.page_language(src), self.view)
            extra = list(prints.parts(view.home)) if template == "home.html" else []
            extra.append(repr(view.switcher(page)))  # the language switcher and hreflang links
            found[src] = prints.page(src, template, extra)
        return found

    def _card_key(self, item: Any, page: Page | None) -> tuple[Any, ...] | None:
        """Where the memo pays: hub pages, which card many items. A card's relative links
        depend on the page it is on; the rest of it, on what the fingerprints cover."""
        if page is None or self.prints is None or self.plan is None or page.file.src_uri not in self.plan.generated:
            return None
        return self.prints.salt, tuple(self.prints.card(item)), page.url

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._join_workers()
        search = self._publish(config)
        if search is not None:
            search.wait()
        if self.store is not None:
            self.store.keep_only(self.used_keys)
            self.store.close()
            self.store = None
        self.previous = self._manifest(Path(self.final_site_dir or config.site_dir))
        self.built = True
        if self.previous_dir is not None and self.previous_dir.name.endswith(".previous"):
            shutil.rmtree(self.previous_dir, ignore_errors=True)

    def _publish(self, config: MkDocsConfig) -> publish.SearchIndexing | None:
        """Feeds and the search index (made meanwhile); the caller waits for the index."""
        search = self._index_search(config)
        self._write_feeds(config)
        return search

    def _index_search(self, config: MkDocsConfig, after: Sequence[Any] = ()) -> publish.SearchIndexing | None:
        """Start the search index over the pages written; a preview's follows in the background,
        once the processes in `after` (pages still being written) are done."""
        assert self.plan is not None and self.settings is not None
        root = Path(config.config_file_path or ".").resolve().parent
        search = None
        if self.settings.search:
            # Several languages: no language forced, so Pagefind splits the index by <html lang>.
            language = (config.theme["language"] or "en") if len(self.plan.edition_languages) == 1 else ""
            store = ShardStore(root / self.settings.cache_dir / "search", language=language)
            shards = plan_shards(self._searched_pages(Path(config.site_dir)), language=language,
                                 per_shard=self.settings.search_shard_pages)  # fmt: skip
            jobs = self.settings.workers or os.cpu_count() or 1
            if self.command == "serve":
                if self.indexer is None:
                    self.indexer = BackgroundIndexer(store, jobs=jobs)
                self.indexer.after_build(Path(config.site_dir), shards, after=[process.sentinel for process in after])
            else:
                search = publish.SearchIndexing(store, shards, Path(config.site_dir), jobs=jobs)
        return search

    def _write_feeds(self, config: MkDocsConfig) -> None:
        assert self.plan is not None and self.settings is not None
        root = Path(config.config_file_path or ".").resolve().parent
        cache_file = root / self.settings.cache_dir / CACHE_FILE
        if self.feed_cache is None:
            self.feed_cache = FeedCache.load(cache_file)
        publish.write_feeds(self.plan, self.content_html, Path(config.site_dir), self.feed_cache)
        publish.write_mentor_data(self.plan, Path(config.site_dir))
        if self.command != "serve":
            # The next build process starts from these entries; a preview keeps them in memory.
            self.feed_cache.save(cache_file)
        if self.plan.content_dir is not None:
            write_issues_feed(self.plan.content_dir, Path(config.site_dir), self.plan.site_url,
                              self.plan.site_name, now=self.plan.now)  # fmt: skip

    def _searched_pages(self, site_dir: Path) -> dict[str, str]:
        """The pages Pagefind indexes, each with a digest of its bytes (its fingerprint)."""
        assert self.plan is not None and self._files is not None
        pages = {}
        by_source = self._files.src_uris
        for src in self.plan.entries:
            file = by_source.get(src)
            if file is None or not is_searched(file.dest_uri):
                continue
            fingerprint = self.fingerprints.get(src)
            if fingerprint is None:
                # Rendered on every build (a digest's web copy): read it, and leave it out
                # unless it marks what to index, or Pagefind would index its whole chrome.
                data = (site_dir / file.dest_uri).read_bytes()
                if b"data-pagefind-body" not in data:
                    continue
                fingerprint = hashlib.blake2b(data, digest_size=16).hexdigest()
            pages[file.dest_uri] = fingerprint
        return pages

    def on_shutdown(self) -> None:
        """Publish the new site only now: MkDocs' strict-mode check runs after on_post_build."""
        if self.indexer is not None:
            self.indexer.stop()
            self.indexer = None
        folder, self.build_folder = self.build_folder, None
        built, self.build_dir, self.built = self.built, None, False
        if folder is not None and self.final_site_dir is not None and built:
            folder.publish(Path(self.final_site_dir).resolve())
            if self.previous is not None and self.manifest_path is not None:
                self.previous.write(self.manifest_path)
        elif folder is not None:
            folder.discard()

    def _manifest(self, site: Path) -> PageManifest:
        pages = {}
        by_source = self._files.src_uris if self._files else {}
        for src, fingerprint in self.fingerprints.items():
            file = by_source.get(src)
            if file is not None:
                pages[file.dest_uri] = fingerprint
        return PageManifest(str(site.resolve()), pages)

    def _join_workers(self) -> None:
        failed = 0
        for worker in self.workers:
            # Read before joining: a worker handing back many cards waits for the reader.
            with contextlib.suppress(EOFError, OSError):
                self.card_memo.add(worker.results.recv())
            worker.results.close()
            worker.process.join()
            failed += worker.process.exitcode != 0
        self.workers = []
        if failed:
            raise Abort("rendering pages failed in a worker process (see the error above)")

    def on_build_error(self, *, error: Exception) -> None:
        for worker in (*self.workers, *self.deferred):
            worker.process.kill()
            worker.results.close()
        self.workers, self.deferred = [], []
        self.built = False
        if self.build_folder is not None:
            self.build_folder.discard()
            self.build_folder, self.build_dir = None, None


@dataclass
class _Worker:
    """A forked process rendering pages, and which."""

    process: Any
    pages: list[Page]
    results: Any
    """The reading end of a pipe: the cards the worker made, once it is done."""


_PAGE_COST = 20_000
"""What rendering any page costs besides its length, in bytes of output: Material's chrome."""


def _output_size(page: Page) -> int:
    try:
        return os.stat(page.file.abs_dest_path).st_size
    except OSError:
        return 0


def _partial_name(target: Path, pid: int) -> str:
    return f".{target.name}.{pid}"


def _reap(stopped: list[_Worker]) -> None:
    """Wait for killed workers to end, then remove the page each was half-way through."""
    for worker in stopped:
        worker.process.join()
        for page in worker.pages:
            target = Path(page.file.abs_dest_path)
            target.with_name(_partial_name(target, worker.process.pid)).unlink(missing_ok=True)


def _skip_markdown(page: Page) -> None:
    """Spare MkDocs converting a page with nothing to convert: its body was rendered with
    the others, on all cores, or it has none (a listing). Setting up a Markdown converter
    for empty text costs about half a millisecond, on one core, for each of thousands of pages."""

    def rendered(config: MkDocsConfig, files: Files) -> None:
        page.content, page.toc, page.present_anchor_ids = "", get_toc([]), set()

    page.render = rendered  # type: ignore[method-assign]


def _quiet_reused_pages(record: logging.LogRecord) -> bool:
    """Reused and worker-rendered pages reach MkDocs empty on purpose; it needn't say so per page."""
    return not str(record.msg).startswith("Page skipped:")


def _render_pages(pages: list[Page], templates: list[str], config: MkDocsConfig, nav: Any,
                  doc_files: Any, env: Any, memo: CardMemo, sink: Any) -> None:  # fmt: skip
    """In a forked worker: what MkDocs does for each page, through its public API."""
    memo.take_added()
    for page, template in zip(pages, templates, strict=True):
        page.meta["template"] = template
        page.active = True
        context = get_context(nav, doc_files, config, page)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = env.get_template(template).render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        target = Path(page.file.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: the preview server may be reading the old page meanwhile.
        partial = target.with_name(_partial_name(target, os.getpid()))
        partial.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
        partial.replace(target)
        page.active = False
    sink.send(memo.take_added())


_FORKED: tuple[MkDocsConfig, Files, dict[str, str]] | None = None


def _render_chunk(sources: list[str]) -> list[tuple[str, str, bytes]]:
    """In a forked worker: MkDocs' own Markdown rendering of some pages."""
    assert _FORKED is not None
    config, files, bodies = _FORKED
    # One converter for the whole chunk: setting up the extensions costs as much as a
    # short body, and MkDocs' Page.render() would do it once per page.
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    rendered = []
    for src in sources:
        # The same link rewriting as Page.render(); registering under its name replaces the last page's.
        _RelativePathTreeprocessor(files.get_file_from_path(src), files, config)._register(md)
        try:
            html = md.reset().convert(bodies[src])
        except RecursionError:
            # hub check refuses deep lists and quotes; inline nesting ("**a " a thousand times) ends here.
            raise _TooDeep(src) from None
        rendered.append((src, html, pickle.dumps(get_toc(getattr(md, "toc_tokens", [])))))
    return rendered


def _render_bodies(sources: list[str], bodies: dict[str, str], config: MkDocsConfig, files: Files,
                   workers: int) -> dict[str, tuple[str, bytes]]:  # fmt: skip
    global _FORKED
    _FORKED = (config, files, bodies)
    try:
        if workers < 2 or len(sources) < 40:
            results = [_render_chunk(sources)]
        else:
            size = max(8, len(sources) // (workers * 4))
            chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_render_chunk, chunks)
    except _TooDeep as exc:
        raise HubError(f"{_display_root(config)}/{exc.src}: body: nested too deeply to render: "
                       "expected fewer levels of emphasis, links, lists or quotes") from None
    finally:
        _FORKED = None
    return {src: (html, toc) for chunk in results for src, html, toc in chunk}


class _TooDeep(Exception):
    """A body Python-Markdown could not render without exceeding Python's recursion limit."""

    def __init__(self, src: str):
        super().__init__(src)
        self.src = src


def _url_of(files: Files, src_uri: str) -> str | None:
    file = files.get_file_from_path(src_uri)
    return file.url if file is not None else None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _display_root(config: MkDocsConfig) -> str:
    """content/ as messages name it: from the folder of mkdocs.yml."""
    root = Path(config.config_file_path or ".").resolve().parent
    return os.path.relpath(Path(config.docs_dir).resolve(), root).replace(os.sep, "/")


def _views(plan: SitePlan) -> dict[str, SiteView]:
    return {plan.language: SiteView(plan)} | {lang: SiteView(plan, lang) for lang in plan.edition_languages}


def _place_translation(file: File, plan: SitePlan) -> None:
    entry = plan.entries[file.src_uri]
    if entry.lang != plan.language:
        file.dest_uri = f"{plan.url_of(entry)}index.html"
        file.url = plan.url_of(entry)


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool | None = None) -> None:
    """`hub build`: MkDocs' own build with our plugin, errors turned into HubError."""
    from mkdocs.commands.build import build

    overrides: dict[str, Any] = {}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    if strict is not None:
        overrides["strict"] = strict
    try:
        config = load_config(config_file=str(config_file), **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise HubError(str(exc)) from None
    except OSError as exc:
        if exc.errno is None:
            raise  # not the system's: Jinja's TemplateNotFound is an OSError too
        # The disk, not the content: a folder made read-only or full during the build.
        raise HubError(f"the build failed: {where_and_why(exc)}") from None


class _PreviewServer(LiveReloadServer):
    """MkDocs' live-reloading server, told of changes by inotify rather than by polling.

    Polling stats every file twice a second (10,000 calls on a 5,000-item hub) and
    adds up to half a second before a save is even seen. The server also shows the
    content's errors on every page it serves, so pages need no rebuild to show them.
    """

    def __init__(self, errors: Callable[[], list[ContentIssue]], **kwargs: Any):
        super().__init__(**kwargs)
        self.errors = errors
        self.changes = _Changes(self)
        self.observer = watchdog.observers.Observer()  # inotify on Linux

    def watch_tree(self, path: Path) -> None:
        """Watch a folder (or a file's folder) for writes, creations, deletions and renames."""
        folder = path if path.is_dir() else path.parent
        self.changes.watched.append(path)
        self.observer.schedule(self.changes, str(folder), recursive=path.is_dir(), event_filter=_WRITES)
        # MkDocs' server starts the observer, and adds its reload script to pages, only
        # while it watches something.
        self._watched_paths[str(path)] = 1

    def request_rebuild(self) -> None:
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        issues = self.errors()
        return with_banner(content.decode("utf-8"), issues).encode("utf-8") if issues else content


_WRITES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
           watchdog.events.FileMovedEvent, watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent,
           watchdog.events.DirMovedEvent]  # fmt: skip
"""Not the opened/closed events: the preview's own reads would trigger rebuilds forever."""


class _Changes(watchdog.events.FileSystemEventHandler):
    """The paths changed since the last update, collected on the observer's thread."""

    def __init__(self, server: _PreviewServer):
        self.server = server
        self.lock = threading.Lock()
        self.paths: set[Path] = set()
        self.watched: list[Path] = []
        """Folders (with everything under them) and single files (not their neighbours)."""

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        paths = {Path(os.fsdecode(event.src_path))}
        if event.dest_path:
            paths.add(Path(os.fsdecode(event.dest_path)))
        paths = {path for path in paths if any(path == watched or path.is_relative_to(watched)
                                               for watched in self.watched)}  # fmt: skip
        if paths:
            with self.lock:
                self.paths |= paths
            self.server.request_rebuild()

    def take(self) -> set[Path]:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


class Preview:
    """The builds behind `hub serve`: one whole build, then in-place updates after saves."""

    def __init__(self, config_file: Path, site_dir: Path, serve_at: tuple[str, int] | None = None):
        """`serve_at` (host, port) replaces the configured site_url's host, keeping its path."""
        self.config_file = config_file
        self.site_dir = site_dir
        config = self._load(None)
        self.mount_path = urlsplit(config.site_url or "/").path
        if serve_at is not None:
            config.site_url = _serve_url(*serve_at, self.mount_path)
        self.site_url = config.site_url
        config.plugins.on_startup(command="serve", dirty=False)
        plugin = config.plugins["hub"]
        assert isinstance(plugin, HubPlugin)
        self.plugin = plugin
        self.config = config
        self.docs = Path(config.docs_dir).resolve()

    def _load(self, site_url: str | None) -> MkDocsConfig:
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        if site_url is not None:
            config.site_url = site_url
        return config

    def errors(self) -> list[ContentIssue]:
        return self.plugin.serve_errors

    def build(self) -> None:
        """A whole build; a failure is logged and shown on every page, and the last site stays."""
        from mkdocs.commands.build import build

        try:
            build(self.config, serve_url=self.site_url)
        except (Abort, ConfigurationError, HubError) as exc:
            self._failed(exc)
        # What the build leaves is kept for the whole session: out of the collector's
        # way, its full passes (a tenth of a second on a large hub) stay off the saves.
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _failed(self, exc: Exception) -> None:
        """A build that could not run: said in the terminal and at the top of every page."""
        log.error(str(exc))
        name = self.config_file.name
        found = re.match(rf"{re.escape(name)}(?::(\d+))?: (.*)", str(exc), flags=re.S)
        line, message = (int(found[1]) if found[1] else None, found[2]) if found else (None, str(exc))
        self.plugin.serve_errors = [ContentIssue(name, line, None, message)]

    def update(self, changed: set[Path]) -> bool:
        """After a save: True if the pages were updated in place, False if it took a whole build."""
        started = time.perf_counter()
        self.plugin.stop_deferred()
        self.plugin.sources_changed(changed)
        in_place = bool(changed) and all(path.is_relative_to(self.docs) for path in changed)
        try:
            if in_place and self.plugin.refresh():
                log.info(f"Preview updated in {time.perf_counter() - started:.2f} s")
                return True
            self.config = self._load(self.site_url)
        except (Abort, ConfigurationError, HubError) as exc:
            self._failed(exc)
            return False
        self.build()
        return False

    def settle(self) -> None:
        """Wait until pages left to render after the last reload are written."""
        self.plugin.settle()

    def close(self) -> None:
        self.plugin.stop_deferred()
        self.config.plugins.on_shutdown()


def serve_site(config_file: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`hub serve`: build once, then after each save update only the pages it changes.

    The temporary site folder is removed however the preview ends: Ctrl-C, or SIGTERM
    (which the command turns into the same KeyboardInterrupt), or an error.
    """
    try:
        site_dir = Path(tempfile.mkdtemp(prefix="hub-serve-"))
    except OSError as exc:
        raise HubError(f"cannot make the preview's folder: {where_and_why(exc)}") from None
    try:
        _serve(config_file, site_dir, host, port)
    except KeyboardInterrupt:
        log.info("Shutting down…")
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(config_file: Path, site_dir: Path, host: str, port: int) -> None:
    try:
        preview = Preview(config_file, site_dir, (host, port))
    except (Abort, ConfigurationError) as exc:
        raise HubError(str(exc)) from None
    server = _PreviewServer(errors=preview.errors, builder=lambda: preview.update(server.changes.take()),
                            host=host, port=port, root=str(site_dir), mount_path=preview.mount_path)  # fmt: skip
    server.error_handler = lambda code: _error_page(site_dir, code)
    try:
        preview.build()
        server.watch_tree(preview.docs)
        server.watch_tree(config_file.resolve())
        for folder in preview.config.theme.dirs:
            if "site-packages" not in folder:
                server.watch_tree(Path(folder).resolve())
        server.serve()
    finally:
        server.shutdown()
        preview.close()


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
