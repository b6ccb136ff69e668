"""The `hub` plugin: MkDocs (or ProperDocs) events translated into the build session's steps.

Only this package imports the engine, and only its public API. Everything the
events decide is in the engine-free session (generator/build/session.py, and
generator/preview/session.py for `hub serve`); the events hand it plain data.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.build import bodies, publish, workers
from generator.build.render_cache import markdown_fingerprint
from generator.build.session import BuildSession, count
from generator.content.content_tree import unsafe_entries
from generator.content.errors import ConfigError, HubError
from generator.content.settings import check_site_language, parse_settings
from generator.preview.session import PreviewSession
from generator.site import messages
from generator.site.plan import SitePlan
from generator.site.templates import MAIN_NAV, entry_template, hidden_parts
from generator.software import SOFTWARE

from . import pages
from .navigation import language_navigations

log = get_plugin_logger(__name__)
SKIP_TEMPLATE = "hub-skip.html"
"""Writes nothing: for a page reused from the last build, or rendered by a worker process."""



class HubPluginConfig(Config):
    """The plugin has no options of its own: the hub's settings are `extra.hub`."""


class HubPlugin(BasePlugin[HubPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session: BuildSession = BuildSession()
        self.config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.urls: dict[str, str] = {}
        """Each file's URL by its path in content/ (links in bodies are written with these)."""
        self.nav: Any = None
        self.navs: dict[str, Any] = {}
        """Each other language's navigation (see navigation.py)."""
        self.env: Any = None
        self.extensions: tuple[Any, Any] | None = None
        """The Markdown extensions, set aside while the engine passes over pre-rendered bodies."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session = PreviewSession() if command == "serve" else BuildSession()
        self.session.command, self.session.log = command, log
        for engine in ("mkdocs", "properdocs"):
            logging.getLogger(f"{engine}.commands.build").addFilter(pages.quiet_reused_pages)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        source = os.path.basename(config.config_file_path or "mkdocs.yml")
        try:
            settings = parse_settings((config.extra or {}).get("hub"), source=source)
            check_site_language(settings, config.theme["language"] or "en", source)
        except ConfigError as exc:
            raise Abort(str(exc)) from None
        # The hub checks relative links itself (file, line, link); the engine's check would say it twice.
        config.validation.links.not_found = logging.INFO
        config.validation.links.anchors = logging.INFO
        # Item pages are reached through listings, not the navigation: that is by design.
        config.validation.nav.omitted_files = logging.DEBUG
        if not config.nav:
            config.nav = [{title: src} for title, src in MAIN_NAV]
        self.session.start(settings, _root(config))
        if self.session.command in ("build", "gh-deploy"):
            config.site_dir = str(_aborting(self.session.build_into, Path(config.site_dir)))
        self.config = config
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.session.use_plan(self._load_and_plan(config))
        return self._select_files(files, config)

    def _load_and_plan(self, config: MkDocsConfig) -> SitePlan:
        return _aborting(self.session.load_and_plan, Path(config.docs_dir), _display_root(config),
                         config.theme["language"] or "en", config.site_name,
                         config.site_url or "http://127.0.0.1:8000/")  # fmt: skip

    def _select_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Publish of content/ only what the contract names: published records and media files.

        Everything else the engine found there (leftovers, unknown folders, settings, drafts)
        stays out; hub check has named it. Theme assets and generated pages are kept.
        """
        plan = self.session.plan
        assert plan is not None
        for file in list(files):
            if file.src_dir != config.docs_dir:
                continue
            if file.src_uri in plan.entries:
                _place_translation(file, plan)
            elif file.src_uri not in plan.media or file.src_uri in plan.hidden_media:
                files.remove(file)
        for src_uri, page in plan.generated.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            front = yaml.safe_dump({"title": page.title}, allow_unicode=True)
            files.append(File.generated(config, src_uri, content=f"---\n{front}---\n{page.body}",
                                        inclusion=InclusionLevel.NOT_IN_NAV))  # fmt: skip
        files.append(File.generated(config, "robots.txt", content=publish.robots_txt(plan)))
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand the engine the body we already parsed, so it doesn't parse front matter again."""
        plan = self.session.plan
        if plan is None:
            return None
        entry = plan.entries.get(page.file.src_uri)
        if entry is not None:
            return entry.body
        generated = plan.generated.get(page.file.src_uri)
        return None if generated is None else generated.body

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self.session.plan
        assert plan is not None
        src = page.file.src_uri
        entry, generated = plan.entries.get(src), plan.generated.get(src)
        page.meta["hide"] = hidden_parts(entry)
        if entry is not None:
            page.meta["template"] = entry_template(entry)
            page.meta["title"] = Markup.escape(entry.title)
            if entry.summary:
                page.meta["description"] = Markup.escape(entry.summary)
            if src not in self.session.prerendered:
                return entry.body
            pages.skip_markdown(page)
            return ""
        if generated is not None:
            page.meta["template"] = generated.template
            page.meta["title"] = Markup.escape(generated.title)
            if generated.description:
                page.meta["description"] = Markup.escape(generated.description)
            if not markdown.strip():
                pages.skip_markdown(page)
        return markdown

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Refuse links in content/, then keep the previous output where a rebuild can reuse unchanged pages."""
        # The engine lists content/ next, following links: a link to / would walk the whole disk.
        unsafe = unsafe_entries(self.session.sources.files(Path(config.docs_dir)).tree(), _display_root(config))
        if unsafe:
            raise Abort("\n".join(str(issue) for issue in unsafe) + f"\n{count(len(unsafe), 'error')} in the content")
        self.session.keep_previous(Path(config.site_dir), self._dest_of())

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav, self.files = nav, files
        self.urls = {src: file.url for src, file in files.src_uris.items()}
        plan = self.session.plan
        assert plan is not None
        self.navs = language_navigations(files, config, plan)
        fingerprint = markdown_fingerprint(config)
        keys = {src: self.session.render_key_of(src, entry.body, fingerprint, self._url_of)
                for src, entry in plan.entries.items() if files.get_file_from_path(src) is not None}  # fmt: skip
        _aborting(self.session.prerender, keys, self._render_bodies)
        # Every body is rendered now; the engine's own Markdown pass gets empty text, so spare
        # it setting up every extension once per page. on_env puts them back for templates.
        self.extensions = (config["markdown_extensions"], config["mdx_configs"])
        config["markdown_extensions"], config["mdx_configs"] = [], {}
        return nav

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        cached = self.session.prerendered.get(page.file.src_uri)
        if cached is not None:
            html, toc = cached
            page.toc = get_toc(pickle.loads(toc))
        self.session.content_html[page.file.src_uri] = html
        return html

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:  # fmt: skip
        plan = self.session.plan
        assert plan is not None
        src = page.file.src_uri
        context["page_lang"] = plan.page_language(src)
        context["hub"] = self.session.view_of(src)
        context["nav"] = self.navs.get(context["page_lang"], nav)
        context["record"] = plan.entries.get(src)
        generated = plan.generated.get(src)
        context["view"] = generated.view if generated else None
        if page.meta.get("template") == "digest.html" and context["record"] is not None:
            context["digest"] = _aborting(self.session.view.digest, context["record"])
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:  # fmt: skip
        context.update(hub=self.session.view, record=None, view=None)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        plan = self.session.plan
        lang = plan.page_language(page.file.src_uri) if plan else None
        if plan is not None and lang is not None and lang != plan.language:
            # Search splits its index by <html lang>: make sure each page states its own.
            output = output.replace(f'<html lang="{plan.language}"', f'<html lang="{lang}"', 1)
        return output

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """All pages are read: reuse unchanged ones, and start workers on part of the rest."""
        session = self.session
        assert session.plan is not None
        if self.extensions is not None:
            config["markdown_extensions"], config["mdx_configs"] = self.extensions
            self.extensions = None
        # A build makes its own environment: templates can't change under it, so spare
        # Jinja a stat() of every included template on every page.
        env.auto_reload = False
        self.env = env
        env.globals["hub_card"] = session.card_memo.render
        messages.install(env, session.plan.language)
        def card_key(item: Any, page: Page | None) -> tuple[Any, ...] | None:
            return session.card_key(item, page and page.file.src_uri, page and page.url)

        session.card_memo.start_build(card_key if session.command == "serve" else None)
        all_pages = self._pages()
        session.templates = {page.file.src_uri: page.meta.get("template", "main.html") for page in all_pages}
        session.fingerprints = self._fingerprint(config)
        site_dir = Path(config.site_dir)
        to_render = []
        for page in all_pages:
            if session.reuse(page.file.src_uri, page.file.dest_uri, site_dir):
                page.meta["template"] = SKIP_TEMPLATE
            else:
                to_render.append(page)
        if session.cores > 1 and len(to_render) >= 40:
            render = self._renderer()
            for index in range(1, session.cores):
                share = to_render[index :: session.cores]
                templates = [page.meta.get("template", "main.html") for page in share]
                for page in share:
                    page.meta["template"] = SKIP_TEMPLATE
                session.workers.append(workers.start(render, share, templates))
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.files is not None
        pages.write_error_pages(config, self.files, self.env, self.session.views, self.navs, self.nav)
        _aborting(self.session.finish, Path(config.site_dir), self._dest_of())

    def on_shutdown(self) -> None:
        self.session.shutdown()

    def on_build_error(self, *, error: Exception) -> None:
        self.session.fail()

    # The preview's updates: generator/preview/live.py asks for them between saves (through run.py).

    def refresh(self) -> bool:
        """`hub serve` after a save: re-render only the pages that show what changed.

        Returns False, having changed nothing, when the save changes which pages exist
        or where (a file added, removed, renamed, drafted, published or moved to
        another language): the caller builds it all.
        """
        session, config, files, env, old = self.session, self.config, self.files, self.env, self.session.plan
        if not isinstance(session, PreviewSession) or config is None or files is None or env is None or old is None:
            return False
        self.stop_deferred()
        plan = self._load_and_plan(config)
        if not session.same_layout(plan):
            return False
        if session.indexer is not None:
            session.indexer.before_build()
        old_views = session.views
        session.use_plan(plan, whole=False)
        session.render_changed_bodies(old, markdown_fingerprint(config), self._url_of, self._render_bodies)
        by_source = {page.file.src_uri: page for page in self._pages()}
        stale = session.stale(self._fingerprint(config))
        for src in stale:
            page = by_source[src]
            page.meta = {}
            self.on_page_markdown("", page=page, config=config, files=files)
            cached = session.prerendered.get(src)
            if cached is not None:
                page.content, page.toc = cached[0], get_toc(pickle.loads(cached[1]))
        later = session.following_pages(stale, old)
        first = [by_source[src] for src in stale if src not in later]
        render, cores = self._renderer(), session.cores
        session.workers = workers.start_split(render, first, [session.templates[p.file.src_uri] for p in first],
                                              cores=cores, output_size=pages.output_size)  # fmt: skip
        if session.dates_changed(old, old_views):
            pages.write_sitemap(config, self.nav, files, env)
        site_dir, dest_of = Path(config.site_dir), self._dest_of()
        session.write_feeds(site_dir)  # while the workers render
        _aborting(session.join_workers)
        following = [by_source[src] for src in stale if src in later]
        session.follow(lambda: workers.start_split(render, following, [session.templates[p.file.src_uri]
                                                                       for p in following],
                                                   cores=cores, output_size=pages.output_size),
                       site_dir, dest_of)  # fmt: skip
        log.info(f"Updated {count(len(first), 'page')}, {len(later)} more following")
        return True

    def stop_deferred(self) -> None:
        if isinstance(self.session, PreviewSession):
            self.session.stop_deferred(pages.target, lambda page: page.file.src_uri)

    def settle(self) -> None:
        if isinstance(self.session, PreviewSession):
            _aborting(self.session.settle)

    def _pages(self) -> list[Page]:
        assert self.files is not None
        return [file.page for file in self.files.documentation_pages() if file.page is not None]

    def _dest_of(self) -> dict[str, str]:
        return {src: file.dest_uri for src, file in self.files.src_uris.items()} if self.files else {}

    def _url_of(self, src: str) -> str | None:
        return self.urls.get(src)

    def _render_bodies(self, sources: list[str], texts: dict[str, str], processes: int) -> bodies.Rendered:
        assert self.config is not None
        setup = bodies.MarkdownSetup(self.config["markdown_extensions"], self.config["mdx_configs"] or {})
        return bodies.render_bodies(sources, texts, setup, self.urls, processes, _display_root(self.config))

    def _renderer(self) -> workers.RenderPages:
        assert self.config is not None and self.files is not None
        return pages.page_renderer(self.config, self.nav, self.files, self.env, self.session.card_memo)

    def _fingerprint(self, config: MkDocsConfig) -> dict[str, str]:
        theme_dirs = [Path(folder) for folder in config.theme.dirs if "site-packages" not in folder]
        config_text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
        by_source = {page.file.src_uri: page for page in self._pages()}
        return self.session.fingerprint(config_text, theme_dirs, SOFTWARE,
                                        lambda src: self.session.view_of(src).switcher(by_source[src]))  # fmt: skip


def _aborting(step: Any, *args: Any) -> Any:
    """A session step whose failure the engine should report as ours, without a traceback."""
    try:
        return step(*args)
    except (HubError, workers.WorkerFailed) as exc:
        raise Abort(str(exc)) from None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def _display_root(config: MkDocsConfig) -> str:
    """content/ as messages name it: from the folder of mkdocs.yml."""
    return os.path.relpath(Path(config.docs_dir).resolve(), _root(config)).replace(os.sep, "/")


def _place_translation(file: File, plan: SitePlan) -> None:
    entry = plan.entries[file.src_uri]
    if entry.lang != plan.language:
        file.dest_uri = f"{plan.url_of(entry)}index.html"
        file.url = plan.url_of(entry)
