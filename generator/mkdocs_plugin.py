"""The only module that imports MkDocs: the `hub` plugin and the build/serve entry points.

Everything here translates MkDocs events into calls to the engine-free core
(load → plan → render helpers → publish) and back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from community_digest.issuesfeed import write_issues_feed

from . import publish
from .background_search import BackgroundIndexer
from .build import SitePlan, load_content, plan_site
from .dependencies import Fingerprints, site_salt
from .errors import ConfigError, ContentIssue, HubError
from .listings import home
from .loader import SourceCache
from .page_reuse import PageManifest, link_previous
from .preview_banner import with_banner
from .project import build_time
from .render_cache import (
    SOFTWARE,
    RenderStore,
    markdown_fingerprint,
    open_store,
    relative_targets,
    render_key,
)
from .settings import HubSettings, parse_settings
from .site_swap import swap
from .site_view import SiteView

log = get_plugin_logger(__name__)

TEMPLATES = {"articles": "article.html", "stories": "story.html", "people": "profile.html",
             "digests": "digest.html", "pages": "page.html"}  # fmt: skip
NOT_PUBLISHED_SUFFIXES = (".yml", ".yaml")
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
        self.final_site_dir: str | None = None
        self.build_dir: str | None = None
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
        self.workers: list[Any] = []
        self._nav: Any = None
        self._extensions: tuple[Any, Any] | None = None
        self._files: Files | None = None
        self.manifest_path: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_reused_pages)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        hub = (config.extra or {}).get("hub")
        try:
            self.settings = parse_settings(hub, source=os.path.basename(config.config_file_path or "mkdocs.yml"))
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
            parent = Path(config.site_dir).resolve().parent
            parent.mkdir(parents=True, exist_ok=True)
            config.site_dir = self.build_dir = tempfile.mkdtemp(prefix=".site-build-", dir=parent)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        docs = Path(config.docs_dir)
        root = Path(config.config_file_path or ".").resolve().parent
        display = os.path.relpath(docs.resolve(), root).replace(os.sep, "/")
        language = config.theme["language"] or "en"
        result = load_content(docs, self.settings, language, display, self.sources)
        self.serve_errors = result.errors if self.command == "serve" else []
        if result.errors and not self.serve_errors:
            message = "\n".join(str(issue) for issue in result.errors)
            raise Abort(f"{message}\n{_count(len(result.errors), 'error')} in the content")
        for issue in self.serve_errors:
            # While previewing, keep serving what is valid and show the errors on every page.
            log.error(str(issue))
        for warning in result.warnings:
            log.warning(str(warning))
        self.plan = plan_site(result, settings=self.settings, site_name=config.site_name,
                              site_url=config.site_url or "http://127.0.0.1:8000/",
                              language=language, now=build_time(), content_dir=docs)  # fmt: skip
        self.view = SiteView(self.plan)
        self.content_html = {}
        return self._select_files(files, config)

    def _select_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.plan is not None
        for file in list(files):
            if file.is_documentation_page():
                if file.src_uri not in self.plan.entries and _in_content_sections(file.src_uri):
                    files.remove(file)
                elif file.src_uri in self.plan.entries:
                    _place_translation(file, self.plan)
            elif file.src_uri in self.plan.hidden_media or _never_published(file.src_uri):
                files.remove(file)
        for src_uri, page in self.plan.generated.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            front = yaml.safe_dump({"title": page.title}, allow_unicode=True)
            files.append(File.generated(config, src_uri, content=f"---\n{front}---\n",
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
        return "" if page.file.src_uri in self.plan.generated else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.plan is not None
        src = page.file.src_uri
        entry = self.plan.entries.get(src)
        generated = self.plan.generated.get(src)
        page.meta["hide"] = ["navigation"] if entry is not None and entry.section in ("articles", "stories",
                                                                                  "pages") else ["navigation", "toc"]
        if entry is not None:
            page.meta["template"] = "home.html" if src == "index.md" else TEMPLATES.get(entry.section, "page.html")
            page.meta["title"] = Markup.escape(entry.title)
            if entry.summary:
                page.meta["description"] = Markup.escape(entry.summary)
            return "" if src in self.prerendered else entry.body
        if generated is not None:
            page.meta["template"] = generated.template
            page.meta["title"] = Markup.escape(generated.title)
            if generated.description:
                page.meta["description"] = Markup.escape(generated.description)
        return markdown

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Keep the previous output where a rebuild can reuse unchanged pages."""
        root = Path(config.config_file_path or ".").resolve().parent
        assert self.settings is not None
        manifest_path = root / self.settings.cache_dir / "pages.json"
        if self.indexer is not None:
            self.indexer.before_build()
        if self.final_site_dir is not None:
            self.previous_dir = Path(self.final_site_dir).resolve()
            self.previous = PageManifest.read(manifest_path, self.previous_dir)
        elif self.previous is not None and Path(config.site_dir).is_dir():
            # `serve` cleans its folder before each build: set the last output aside first.
            aside = Path(f"{config.site_dir}.previous")
            shutil.rmtree(aside, ignore_errors=True)
            Path(config.site_dir).rename(aside)
            Path(config.site_dir).mkdir()
            self.previous_dir = aside
        self.manifest_path = manifest_path

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._nav, self._files = nav, files
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
        context["hub"] = self.view
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
        entry = self.plan.entries.get(page.file.src_uri) if self.plan else None
        if entry is not None and self.plan is not None and entry.lang != self.plan.language:
            # A translation gets its own <html lang> (Material's base.html uses the site's).
            site_lang = config.theme["language"] or "en"
            output = output.replace(f'<html lang="{site_lang}"', f'<html lang="{entry.lang}"', 1)
        if self.serve_errors and "<body" in output:
            output = with_banner(output, self.serve_errors)
        return output

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """All pages are read: reuse unchanged ones, and start workers on part of the rest."""
        assert self.plan is not None and self.settings is not None
        if self._extensions is not None:
            config["markdown_extensions"], config["mdx_configs"] = self._extensions
            self._extensions = None
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
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
            doc_files = files.documentation_pages()
            nav = self._nav
            for index in range(1, workers):
                share = to_render[index::workers]
                templates = [page.meta.get("template", "main.html") for page in share]
                for page in share:
                    page.meta["template"] = SKIP_TEMPLATE
                process = multiprocessing.get_context("fork").Process(
                    target=_render_pages, args=(share, templates, config, nav, doc_files, env), daemon=True
                )
                process.start()
                self.workers.append(process)
        return env

    def _fingerprint(self, config: MkDocsConfig, pages: list[Page]) -> dict[str, str]:
        assert self.plan is not None
        theme_dirs = [Path(folder) for folder in config.theme.dirs if "site-packages" not in folder]
        config_text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
        banner = "\n".join(str(issue) for issue in self.serve_errors)
        salt = site_salt(config_text + banner, theme_dirs, SOFTWARE)
        prints = Fingerprints(self.plan, salt, self.render_keys)
        home_view = home(self.plan.hub, self.plan.relations, self.plan.settings)
        found = {}
        for page in pages:
            template = page.meta.get("template", "main.html")
            if template in ALWAYS_RENDERED:
                continue
            extra = prints.parts(home_view) if template == "home.html" else iter(())
            found[page.file.src_uri] = prints.page(page.file.src_uri, template, extra)
        return found

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.plan is not None
        self._join_workers()
        search = None
        if self.settings and self.settings.search:
            language = config.theme["language"] or "en"
            if self.command == "serve":
                if self.indexer is None:
                    root = Path(config.config_file_path or ".").resolve().parent
                    self.indexer = BackgroundIndexer(root / self.settings.cache_dir / "serve-search", language)
                self.indexer.after_build(Path(config.site_dir))
            else:
                search = publish.SearchIndexing(Path(config.site_dir), language=language)
        publish.write_feeds(self.plan, self.content_html, Path(config.site_dir))
        if self.plan.content_dir is not None:
            write_issues_feed(self.plan.content_dir, Path(config.site_dir), self.plan.site_url,
                              self.plan.site_name, now=self.plan.now)  # fmt: skip
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

    def on_shutdown(self) -> None:
        """Publish the new site only now: MkDocs' strict-mode check runs after on_post_build."""
        if self.build_dir is not None and self.final_site_dir is not None and self.built:
            swap(Path(self.build_dir), Path(self.final_site_dir))
            if self.previous is not None and self.manifest_path is not None:
                self.previous.write(self.manifest_path)
        elif self.build_dir is not None:
            shutil.rmtree(self.build_dir, ignore_errors=True)
        self.build_dir, self.built = None, False

    def _manifest(self, site: Path) -> PageManifest:
        pages = {}
        for src, fingerprint in self.fingerprints.items():
            file = self._files.get_file_from_path(src) if self._files else None
            if file is not None:
                pages[file.dest_uri] = fingerprint
        return PageManifest(str(site.resolve()), pages)

    def _join_workers(self) -> None:
        failed = 0
        for process in self.workers:
            process.join()
            failed += process.exitcode != 0
        self.workers = []
        if failed:
            raise Abort("rendering pages failed in a worker process (see the error above)")

    def on_build_error(self, *, error: Exception) -> None:
        for process in self.workers:
            process.kill()
        self.workers = []
        self.built = False
        if self.build_dir is not None:
            shutil.rmtree(self.build_dir, ignore_errors=True)
            self.build_dir = None


def _quiet_reused_pages(record: logging.LogRecord) -> bool:
    """Reused and worker-rendered pages reach MkDocs empty on purpose; it needn't say so per page."""
    return not str(record.msg).startswith("Page skipped:")


def _render_pages(pages: list[Page], templates: list[str], config: MkDocsConfig, nav: Any,
                  doc_files: Any, env: Any) -> None:  # fmt: skip
    """In a forked worker: what MkDocs does for each page, through its public API."""
    for page, template in zip(pages, templates, strict=True):
        page.meta["template"] = template
        page.active = True
        context = get_context(nav, doc_files, config, page)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = env.get_template(template).render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        target = Path(page.file.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
        page.active = False


_FORKED: tuple[MkDocsConfig, Files, dict[str, str]] | None = None


def _render_chunk(sources: list[str]) -> list[tuple[str, str, bytes]]:
    """In a forked worker: MkDocs' own Markdown rendering of some pages."""
    assert _FORKED is not None
    config, files, bodies = _FORKED
    rendered = []
    for src in sources:
        page = Page(None, files.get_file_from_path(src), config)
        page.markdown = bodies[src]
        page.render(config, files)
        rendered.append((src, page.content or "", pickle.dumps(page.toc)))
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
    finally:
        _FORKED = None
    return {src: (html, toc) for chunk in results for src, html, toc in chunk}


def _url_of(files: Files, src_uri: str) -> str | None:
    file = files.get_file_from_path(src_uri)
    return file.url if file is not None else None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _never_published(src_uri: str) -> bool:
    """topics.yml and other settings at the content root, and digest selections."""
    at_root = "/" not in src_uri.strip("/")
    return src_uri.endswith(".selection.yml") or (at_root and src_uri.endswith(NOT_PUBLISHED_SUFFIXES))


def _in_content_sections(src_uri: str) -> bool:
    return src_uri == "index.md" or src_uri.split("/", 1)[0] in TEMPLATES


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


def serve_site(config_file: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`hub serve`: MkDocs' live-reloading server with our plugin."""
    from mkdocs.commands.serve import serve

    try:
        serve(config_file=str(config_file), open_in_browser=False, dev_addr=f"{host}:{port}",
              livereload=True, build_type=None, watch_theme=True)  # fmt: skip
    except (Abort, ConfigurationError) as exc:
        raise HubError(str(exc)) from None
