"""The preview's web server: the site folder over HTTP, reloading open pages after each update.

Engine-free on purpose: it serves files and runs a callback when watched paths
change, so `hub serve` needs nothing of the engine's own development server (whose
hooks are private API). Changes are seen through inotify (watchdog), not polling:
polling stats every file twice a second, 10,000 calls on a 5,000-item hub.

A page learns of an update by long polling `/livereload/<epoch>`: the answer comes
when the epoch moves on (or after a while, and the page asks again).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchdog.events
import watchdog.observers

log = logging.getLogger("generator.preview")

POLL_SECONDS = 30.0
"""How long a page's reload request is held open before it is answered unchanged."""
_WRITES = (watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
           watchdog.events.FileMovedEvent, watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent,
           watchdog.events.DirMovedEvent)  # fmt: skip
"""Not opened/closed events: the preview's own reads would trigger updates forever."""
_RELOAD_SCRIPT = """<script>(function(){var epoch=%d;function poll(){fetch("/livereload/"+epoch,{cache:"no-store"})
.then(function(r){return r.text()}).then(function(t){if(+t>epoch){location.reload()}else{poll()}})
.catch(function(){setTimeout(poll,2000)})}if(document.readyState==="complete"){poll()}
else{window.addEventListener("load",poll)}})();</script>"""


def serve_url(host: str, port: int, mount_path: str) -> str:
    """The address pages are served at: `http://host:port/path/`."""
    return f"http://{host}:{port}{normalize_mount_path(mount_path)}"


def normalize_mount_path(path: str) -> str:
    return ("/" + path.lstrip("/")).rstrip("/") + "/"


class Changes(watchdog.events.FileSystemEventHandler):
    """Paths changed since the last update, collected on the observer's thread."""

    def __init__(self, on_change: Callable[[], None]):
        self.on_change = on_change
        self.lock = threading.Lock()
        self.paths: set[Path] = set()
        self.watched: list[Path] = []
        """Folders (with everything under them) and single files (not their neighbours)."""

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if not isinstance(event, _WRITES):
            return
        paths = {Path(os.fsdecode(event.src_path))}
        if event.dest_path:
            paths.add(Path(os.fsdecode(event.dest_path)))
        paths = {path for path in paths if any(path == watched or path.is_relative_to(watched)
                                               for watched in self.watched)}  # fmt: skip
        if paths:
            with self.lock:
                self.paths |= paths
            self.on_change()

    def take(self) -> set[Path]:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


class PreviewServer(ThreadingHTTPServer):
    """Serves `root` under `mount_path`; `update(changed paths)` runs after each batch of saves.

    `decorate(html)` is applied to every HTML page served (the content's errors, shown
    on every page while there are any); `not_found(path)` gives the 404 page's bytes for a
    missing path (relative to the mount path).
    """

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int, mount_path: str, update: Callable[[set[Path]], object],
                 decorate: Callable[[str], str], not_found: Callable[[str], bytes | None]):  # fmt: skip
        super().__init__((host, port), _Handler)
        self.root = root.resolve()
        self.mount_path = normalize_mount_path(mount_path)
        self.update, self.decorate, self.not_found = update, decorate, not_found
        self.epoch = 0
        self.epoch_moved = threading.Condition()
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.changes = Changes(self.wanted.set)
        self.observer = watchdog.observers.Observer()  # inotify on Linux
        self.updater = threading.Thread(target=self._update_loop, name="preview-updates", daemon=True)
        self.running = False

    def watch_tree(self, path: Path) -> None:
        """Watch a folder (everything under it) or one file for writes, creations, deletions and renames."""
        folder = path if path.is_dir() else path.parent
        self.changes.watched.append(path)
        self.observer.schedule(self.changes, str(folder), recursive=path.is_dir())

    def run(self) -> None:
        """Serve until shutdown() (from another thread) or KeyboardInterrupt."""
        self.observer.start()
        self.updater.start()
        self.running = True
        log.info(f"Serving on {serve_url(*self.server_address[:2], self.mount_path)}")  # type: ignore[misc]
        self.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()
        if self.running:  # shutdown() waits for serve_forever(), which must have started
            self.shutdown()
            self.observer.stop()
        self.server_close()

    def _update_loop(self) -> None:
        while not self.stopping.is_set():
            self.wanted.wait()
            if self.stopping.is_set():
                return
            self.wanted.clear()
            try:
                self.update(self.changes.take())
            except Exception:  # the preview must outlive any one failed update; the log says why
                log.exception("updating the preview failed")
            with self.epoch_moved:
                self.epoch += 1
                self.epoch_moved.notify_all()

    def wait_for_update(self, seen: int) -> int:
        with self.epoch_moved:
            self.epoch_moved.wait_for(lambda: self.epoch > seen or self.stopping.is_set(), timeout=POLL_SECONDS)
            return self.epoch

    def file_for(self, url_path: str) -> Path | None:
        """The file a URL path names under root, never outside it (`..`, links)."""
        if not (url_path + "/").startswith(self.mount_path):
            return None
        relative = posixpath.normpath(unquote(url_path[len(self.mount_path):]) or ".")
        if relative.startswith("../") or relative == "..":
            return None
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        path = urlsplit(self.path).path
        if path.startswith("/livereload/"):
            seen = path.removeprefix("/livereload/").split("/", 1)[0]
            epoch = self.server.wait_for_update(int(seen) if seen.isdigit() else 0)
            return self._send(HTTPStatus.OK, str(epoch).encode(), "text/plain")
        if path == "/" and self.server.mount_path != "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.server.mount_path)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        target = self.server.file_for(path)
        if target is None:
            page = self.server.not_found(path.removeprefix(self.server.mount_path))
            return self._send(HTTPStatus.NOT_FOUND, self._page(page) if page else b"Not found", "text/html")
        if target.name == "index.html" and not path.endswith(("/", ".html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = target.read_bytes()
        if content_type == "text/html":
            data = self._page(data)
        self._send(HTTPStatus.OK, data, content_type)

    def _page(self, data: bytes) -> bytes:
        html = self.server.decorate(data.decode("utf-8", errors="replace"))
        script = _RELOAD_SCRIPT % self.server.epoch
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        return html.encode("utf-8")

    def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if content_type.startswith("text/") or content_type.endswith("json") else ""
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the standard library's name)
        """Requests are not worth a line each in an editor's terminal."""
