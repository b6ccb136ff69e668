"""The only module that imports MkDocs: the `hub` plugin and the build/serve entry points.

Everything here translates MkDocs events into calls to the engine-free core
(load → plan → render helpers → publish) and back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import publish
from .build import SitePlan, load_checked, plan_site
from .errors import ConfigError, ContentErrors, HubError
from .project import build_time
from .settings import HubSettings, parse_settings
from .site_view import SiteView

log = get_plugin_logger(__name__)

TEMPLATES = {"articles": "article.html", "stories": "story.html", "people": "profile.html",
             "digests": "digest.html", "pages": "page.html"}  # fmt: skip
NOT_PUBLISHED_SUFFIXES = (".yml", ".yaml")


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
        self.content_html: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        hub = (config.extra or {}).get("hub")
        try:
            self.settings = parse_settings(hub, source=os.path.basename(config.config_file_path or "mkdocs.yml"))
        except ConfigError as exc:
            raise Abort(str(exc)) from None
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
        try:
            result = load_checked(docs, self.settings, language, display)
        except ContentErrors as exc:
            raise Abort(f"{exc}\n{_count(len(exc.issues), 'error')} in the content") from None
        for warning in result.warnings:
            log.warning(str(warning))
        self.plan = plan_site(result, settings=self.settings, site_name=config.site_name,
                              site_url=config.site_url or "http://127.0.0.1:8000/",
                              language=language, now=build_time())  # fmt: skip
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
            elif file.src_uri.endswith(NOT_PUBLISHED_SUFFIXES) and "/" not in file.src_uri.strip("/") or \
                    file.src_uri.endswith(".selection.yml"):  # fmt: skip
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
            return entry.body
        if generated is not None:
            page.meta["template"] = generated.template
            page.meta["title"] = Markup.escape(generated.title)
            if generated.description:
                page.meta["description"] = Markup.escape(generated.description)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
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
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:  # fmt: skip
        context.update(hub=self.view, record=None, view=None)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Give a translation its own <html lang> (Material's base.html uses the site's)."""
        entry = self.plan.entries.get(page.file.src_uri) if self.plan else None
        if entry is None or entry.lang == self.plan.language:
            return output
        site_lang = config.theme["language"] or "en"
        return output.replace(f'<html lang="{site_lang}"', f'<html lang="{entry.lang}"', 1)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        env.filters["country"] = lambda code: self.view.country(code) if self.view else code
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.plan is not None
        publish.write_feeds(self.plan, self.content_html, Path(config.site_dir))
        if self.settings and self.settings.search:
            publish.index_search(Path(config.site_dir), language=config.theme["language"] or "en")
        if self.final_site_dir is not None:
            _swap(Path(config.site_dir), Path(self.final_site_dir))
            config.site_dir, self.build_dir = self.final_site_dir, None

    def on_build_error(self, *, error: Exception) -> None:
        if self.build_dir is not None:
            shutil.rmtree(self.build_dir, ignore_errors=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _in_content_sections(src_uri: str) -> bool:
    return src_uri == "index.md" or src_uri.split("/", 1)[0] in TEMPLATES


def _place_translation(file: File, plan: SitePlan) -> None:
    entry = plan.entries[file.src_uri]
    if entry.lang != plan.language:
        file.dest_uri = f"{plan.url_of(entry)}index.html"
        file.url = plan.url_of(entry)


def _swap(built: Path, final: Path) -> None:
    """Replace `final` with `built` with two renames, then drop the old copy."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}-old-{os.getpid()}")
        final.rename(old)
    built.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
