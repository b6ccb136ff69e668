"""The `hub` plugin: MkDocs (or ProperDocs) events translated into the build session's steps.

Everything the events decide is in the engine-free session (generator/build/session.py,
generator/preview/session.py for `hub serve`) and the site's page rules
(generator/site/templates.py); the events hand them plain data and apply the answers
to the engine's objects.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.build import bodies, publish
from generator.build.render_cache import markdown_fingerprint
from generator.build.session import BuildSession, SiteSource
from generator.content.errors import HubError
from generator.content.settings import site_settings
from generator.preview.session import PreviewSession
from generator.site import messages
from generator.site.templates import MAIN_NAV, page_context, page_meta, stated_language

from . import pages
from .navigation import language_navigations

log = get_plugin_logger(__name__)
SKIP_TEMPLATE = "hub-skip.html"
"""Writes nothing: for a page reused from the last build, or rendered by a worker process."""


class HubPlugin(BasePlugin):
    """No options of its own: the hub's settings are `extra.hub`."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session: BuildSession = BuildSession()
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.navs: dict[str, Any] = {}
        """Each other language's navigation (see navigation.py)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session = PreviewSession() if command == "serve" else BuildSession()
        self.session.command, self.session.log = command, log
        for engine in ("mkdocs", "properdocs"):
            logging.getLogger(f"{engine}.commands.build").addFilter(pages.quiet_reused_pages)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        source = os.path.basename(config.config_file_path or "mkdocs.yml")
        settings = _aborting(site_settings, (config.extra or {}).get("hub"), config.theme["language"] or "en", source)
        # The hub checks relative links itself (file, line, link); the engine's check would say it twice.
        config.validation.links.not_found = logging.INFO
        config.validation.links.anchors = logging.INFO
        # Item pages are reached through listings, not the navigation: that is by design.
        config.validation.nav.omitted_files = logging.DEBUG
        config.theme.static_templates.discard("sitemap.xml")  # ours has the content's dates (session.py)
        if not config.nav:
            config.nav = [{title: src} for title, src in MAIN_NAV]
        self.session.start(settings, _source(config))
        if self.session.command in ("build", "gh-deploy"):
            config.site_dir = str(_aborting(self.session.build_into, Path(config.site_dir)))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Refuse links in content/, then keep the previous output where a rebuild can reuse unchanged pages."""
        _aborting(self.session.refuse_links)
        self.session.keep_previous(Path(config.site_dir))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Publish of content/ only what the contract names (hub check names the rest), and the generated pages."""
        plan = _aborting(self.session.load_and_plan)
        self.session.use_plan(plan)
        for file in [file for file in files if file.src_dir == config.docs_dir]:
            if not plan.publishes(file.src_uri):
                files.remove(file)
            elif (url := plan.moved_url(file.src_uri)) is not None:
                file.dest_uri, file.url = f"{url}index.html", url
        for src_uri, text in publish.generated_files(plan).items():
            if (existing := files.get_file_from_path(src_uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, src_uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Nothing to read of a page whose body is rendered (on_nav): the plan has its front matter."""
        return "" if page.file.src_uri in self.session.prerendered else None

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is placed: render all bodies at once, on every core (the engine skips its Markdown pass)."""
        session, self.nav, self.files = self.session, nav, files
        assert session.plan is not None
        session.urls = {src: file.url for src, file in files.src_uris.items()}
        session.dests = {src: file.dest_uri for src, file in files.src_uris.items()}
        session.markdown = bodies.MarkdownSetup(config["markdown_extensions"], config["mdx_configs"] or {})
        session.markdown_print = markdown_fingerprint(config)
        self.navs = language_navigations(files, config, session.plan)
        _aborting(session.prerender)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.session.plan is not None
        page.meta.update(page_meta(self.session.plan, page.file.src_uri))
        rendered = self.session.prerendered.get(page.file.src_uri)
        if rendered is not None:
            pages.take_body(page, rendered)
        return markdown

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """All pages are read: reuse unchanged ones, and start workers on part of the rest."""
        session = self.session
        assert session.plan is not None
        # A build makes its own environment: templates can't change under it, so spare
        # Jinja a stat() of every included template on every page.
        env.auto_reload = False
        self.env = env
        env.globals["hub_card"] = session.card_memo.render
        messages.install(env, session.plan.language)
        session.card_memo.start_build(self._card_key if session.command == "serve" else None)
        session.templates = {file.src_uri: file.page.meta.get("template", "main.html")
                             for file in files.documentation_pages() if file.page is not None}  # fmt: skip
        session.fingerprints = session.fingerprint()
        session.render_pages = pages.page_renderer(config, self.nav, files, env, session.card_memo)
        for src in session.share_out(Path(config.site_dir)):
            files.src_uris[src].page.meta["template"] = SKIP_TEMPLATE  # type: ignore[union-attr]
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:  # fmt: skip
        assert self.session.plan is not None
        context.update(_aborting(page_context, self.session.plan, self.session.views, page.file.src_uri))
        context["nav"] = self.navs.get(context["page_lang"], nav)
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:  # fmt: skip
        context.update(hub=self.session.view, record=None, view=None)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        plan = self.session.plan
        return stated_language(plan, page.file.src_uri, output) if plan is not None else output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.files is not None
        pages.write_error_pages(config, self.files, self.env, self.session.views, self.navs, self.nav)
        _aborting(self.session.finish, Path(config.site_dir))

    def on_shutdown(self) -> None:
        self.session.shutdown()

    def on_build_error(self, *, error: Exception) -> None:
        self.session.fail()

    def refresh(self, site_dir: Path) -> bool:
        """`hub serve` after a save: pages updated in place, or False for a whole build (PreviewSession.update)."""
        return isinstance(self.session, PreviewSession) and self.session.update(site_dir, self._reset)

    def _reset(self, sources: list[str]) -> None:
        """Pages about to render again: their front matter and body as the session now has them."""
        assert self.files is not None and self.session.plan is not None
        for src in sources:
            page = self.files.src_uris[src].page
            assert page is not None
            page.meta = page_meta(self.session.plan, src)
            page.content, page.toc = pages.body(self.session.prerendered[src])

    def _card_key(self, item: Any, page: Page | None) -> tuple[Any, ...] | None:
        return self.session.card_key(item, page and page.file.src_uri, page and page.url)


def _aborting(step: Any, *args: Any) -> Any:
    """A session step whose failure the engine should report as ours, without a traceback."""
    try:
        return step(*args)
    except HubError as exc:
        raise Abort(str(exc)) from None


def _source(config: MkDocsConfig) -> SiteSource:
    root, docs = Path(config.config_file_path or ".").resolve().parent, Path(config.docs_dir)
    text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
    return SiteSource(root, docs, os.path.relpath(docs.resolve(), root).replace(os.sep, "/"),
                      config.theme["language"] or "en", config.site_name, config.site_url or "", text,
                      theme_dirs(config))  # fmt: skip


def theme_dirs(config: MkDocsConfig) -> tuple[Path, ...]:
    """The project's own template folders (installed themes are in the software's fingerprint)."""
    return tuple(Path(folder) for folder in config.theme.dirs if "site-packages" not in folder)
