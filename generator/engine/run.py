"""`hub build` and `hub serve` on the engine: its own build with our plugin, errors as HubError.

The preview itself is engine-free (generator/preview/live.py); `ServedSite` is what
it needs of the engine: loading mkdocs.yml, a whole build, the plugin's updates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from generator.build.site_swap import where_and_why
from generator.content.errors import HubError
from generator.preview import live
from generator.preview.server import serve_url
from generator.preview.session import PreviewSession

from .plugin import HubPlugin, theme_dirs


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool | None = None) -> None:
    """`hub build`: the engine's own build with our plugin."""
    overrides: dict[str, Any] = {"site_dir": str(site_dir)} if site_dir is not None else {}
    if strict is not None:
        overrides["strict"] = strict
    config = _engine(load_config, config_file=str(config_file), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        _engine(build, config)
    finally:
        config.plugins.on_shutdown()


class ServedSite:
    """The engine's side of a preview (a live.EngineSite): one project, built into one folder, again and again."""

    def __init__(self, config_file: Path, site_dir: Path, serve_at: tuple[str, int] | None = None):
        """`serve_at` (host, port) replaces the configured site_url's host, keeping its path."""
        self.config_file, self.site_dir = config_file, site_dir
        config = self._load(None)
        self.mount_path = urlsplit(config.site_url or "/").path
        if serve_at is not None:
            config.site_url = serve_url(*serve_at, self.mount_path)
        self.site_url = config.site_url
        config.plugins.on_startup(command="serve", dirty=False)
        plugin = config.plugins["hub"]
        assert isinstance(plugin, HubPlugin) and isinstance(plugin.session, PreviewSession)
        self.plugin, self.session, self.config = plugin, plugin.session, config
        self.docs = Path(config.docs_dir).resolve()
        self.watched = [self.docs, config_file.resolve(), *(folder.resolve() for folder in theme_dirs(config))]

    def _load(self, site_url: str | None) -> MkDocsConfig:
        return _engine(load_config, config_file=str(self.config_file), site_dir=str(self.site_dir), site_url=site_url)

    def build(self) -> None:
        _engine(build, self.config, serve_url=self.site_url)

    def reload(self) -> None:
        self.config = self._load(self.site_url)

    def refresh(self) -> bool:
        return bool(_engine(self.plugin.refresh, self.site_dir))

    def close(self) -> None:
        self.session.stop_deferred(self.site_dir)
        self.config.plugins.on_shutdown()


def open_preview(config_file: Path, site_dir: Path, serve_at: tuple[str, int] | None = None) -> live.LivePreview:
    """A preview of one project in one folder (what `hub serve` runs, without the server)."""
    return live.LivePreview(ServedSite(config_file, site_dir, serve_at))


def serve_site(config_file: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """`hub serve`, on the engine."""
    live.serve_site(lambda site_dir: ServedSite(config_file, site_dir, (host, port)), host, port)


def _engine(step: Any, *args: Any, **kwargs: Any) -> Any:
    """An engine call whose failure is the user's (configuration, content) or the disk's: a HubError."""
    try:
        return step(*args, **kwargs)
    except (Abort, ConfigurationError) as exc:
        raise HubError(str(exc)) from None
    except OSError as exc:
        if exc.errno is None:
            raise  # not the system's: Jinja's TemplateNotFound is an OSError too
        # A folder made read-only or full during the build.
        raise HubError(f"the build failed: {where_and_why(exc)}") from None
