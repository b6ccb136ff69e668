"""`hub serve`, engine-free: a whole build, then an update after each batch of saves, served live.

The engine adapter provides an `EngineSite` (load the configuration, build it all,
update pages in place); this module decides which to do after a save, shows what
failed on every page, and runs the server.
"""

from __future__ import annotations

import gc
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from generator.build.site_swap import where_and_why
from generator.content.errors import ContentIssue, HubError

from .banner import with_banner
from .server import PreviewServer
from .session import PreviewSession

log = logging.getLogger("generator.preview")


class EngineSite(Protocol):
    """What the preview needs of the engine, for one project served from one folder."""

    session: PreviewSession
    config_file: Path
    site_dir: Path
    docs: Path
    """content/, resolved: saves under it may update pages in place."""
    mount_path: str
    watched: list[Path]
    """content/, mkdocs.yml and the project's own template folders."""

    def build(self) -> None: ...  # a whole build; HubError when it cannot run
    def reload(self) -> None: ...  # read mkdocs.yml again; HubError when it is broken
    def refresh(self) -> bool: ...  # update pages in place; False when the save needs a whole build
    def close(self) -> None: ...


class LivePreview:
    """The builds behind `hub serve`: one whole build, then in-place updates after saves."""

    def __init__(self, site: EngineSite):
        self.site = site
        self.config_name = site.config_file.name
        self.config_file, self.site_dir, self.session = site.config_file, site.site_dir, site.session

    def errors(self) -> list[ContentIssue]:
        return self.site.session.serve_errors

    def build(self) -> None:
        """A whole build; a failure is logged and shown on every page, and the last site stays."""
        try:
            self.site.build()
        except HubError as exc:
            self._failed(exc)
        # What the build leaves is kept for the whole session: out of the collector's
        # way, its full passes (a tenth of a second on a large hub) stay off the saves.
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _failed(self, exc: Exception) -> None:
        """A build that could not run: said in the terminal and at the top of every page."""
        log.error(str(exc))
        name = self.config_name
        found = re.match(rf"{re.escape(name)}(?::(\d+))?: (.*)", str(exc), flags=re.S)
        line, message = (int(found[1]) if found[1] else None, found[2]) if found else (None, str(exc))
        self.site.session.serve_errors = [ContentIssue(name, line, None, message)]

    def update(self, changed: set[Path]) -> bool:
        """After a save: True if the pages were updated in place, False if it took a whole build."""
        started = time.perf_counter()
        self.session.stop_deferred(self.site.site_dir)
        self.site.session.sources.changed(changed)
        in_place = bool(changed) and all(path.is_relative_to(self.site.docs) for path in changed)
        try:
            if in_place and self.site.refresh():
                log.info(f"Preview updated in {time.perf_counter() - started:.2f} s")
                return True
            self.site.reload()
        except HubError as exc:
            self._failed(exc)
            return False
        self.build()
        return False

    def settle(self) -> None:
        """Wait until the pages left to render after the last update are written."""
        self.session.settle()

    def close(self) -> None:
        self.site.close()

    def decorate(self, html: str) -> str:
        """Every page served shows the content's errors while there are any."""
        issues = self.errors()
        return with_banner(html, issues) if issues else html


def temporary_site() -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix="hub-serve-"))
    except OSError as exc:
        raise HubError(f"cannot make the preview's folder: {where_and_why(exc)}") from None


def remove(site_dir: Path) -> None:
    shutil.rmtree(site_dir, ignore_errors=True)


def serve_site(open_site: Callable[[Path], EngineSite], host: str, port: int) -> None:
    """`hub serve`: build once, then after each save update only the pages it changes.

    The temporary site folder is removed however the preview ends: Ctrl-C, SIGTERM
    (which the command turns into the same KeyboardInterrupt), or an error.
    """
    site_dir = temporary_site()
    try:
        preview = LivePreview(open_site(site_dir))
    except HubError:
        remove(site_dir)
        raise
    serve(preview, site_dir, host, port)


def serve(preview: LivePreview, site_dir: Path, host: str, port: int) -> None:
    """Build, then serve and update until Ctrl-C (or SIGTERM, which the command turns into it)."""

    def not_found(path: str) -> bytes | None:
        # Under /fr/…, that language's own 404 page (the build writes one per language).
        first = path.lstrip("/").split("/", 1)[0]
        pages = [site_dir / first / "404.html"] if first.isalpha() else []
        page = next((page for page in [*pages, site_dir / "404.html"] if page.is_file()), None)
        return page.read_bytes() if page is not None else None

    server = PreviewServer(site_dir, host, port, preview.site.mount_path, preview.update, preview.decorate,
                           not_found)  # fmt: skip
    try:
        preview.build()
        for path in preview.site.watched:
            server.watch_tree(path)
        server.run()
    except KeyboardInterrupt:
        log.info("Shutting down…")
    finally:
        server.stop()
        preview.site.close()
        remove(site_dir)
