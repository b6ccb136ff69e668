"""`hub build` and `hub serve`: the engine's own build with our plugin, errors turned into HubError.

The preview's web server is ours (generator/preview/server.py); here is what it
needs of the engine: loading mkdocs.yml, a whole build, and the plugin's updates.
"""

from __future__ import annotations

import gc
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.plugins import get_plugin_logger

from generator.build.site_swap import where_and_why
from generator.content.errors import ContentIssue, HubError
from generator.preview.banner import with_banner
from generator.preview.server import PreviewServer, serve_url
from generator.preview.session import PreviewSession

from .plugin import HubPlugin

log = get_plugin_logger(__name__)


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool | None = None) -> None:
    """`hub build`: the engine's own build with our plugin."""
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


class Preview:
    """The builds behind `hub serve`: one whole build, then in-place updates after saves."""

    def __init__(self, config_file: Path, site_dir: Path, serve_at: tuple[str, int] | None = None):
        """`serve_at` (host, port) replaces the configured site_url's host, keeping its path."""
        self.config_file = config_file
        self.site_dir = site_dir
        config = self._load(None)
        self.mount_path = urlsplit(config.site_url or "/").path
        if serve_at is not None:
            config.site_url = serve_url(*serve_at, self.mount_path)
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

    @property
    def session(self) -> PreviewSession:
        session = self.plugin.session
        assert isinstance(session, PreviewSession)
        return session

    def errors(self) -> list[ContentIssue]:
        return self.session.serve_errors

    def build(self) -> None:
        """A whole build; a failure is logged and shown on every page, and the last site stays."""
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
        self.session.serve_errors = [ContentIssue(name, line, None, message)]

    def update(self, changed: set[Path]) -> bool:
        """After a save: True if the pages were updated in place, False if it took a whole build."""
        started = time.perf_counter()
        self.plugin.stop_deferred()
        self.session.sources.changed(changed)
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

    def decorate(html: str) -> str:
        issues = preview.errors()
        return with_banner(html, issues) if issues else html

    def not_found() -> bytes | None:
        page = site_dir / "404.html"
        return page.read_bytes() if page.is_file() else None

    server = PreviewServer(site_dir, host, port, preview.mount_path, preview.update, decorate, not_found)
    try:
        preview.build()
        server.watch_tree(preview.docs)
        server.watch_tree(config_file.resolve())
        for folder in preview.config.theme.dirs:
            if "site-packages" not in folder:
                server.watch_tree(Path(folder).resolve())
        server.run()
    finally:
        server.stop()
        preview.close()
