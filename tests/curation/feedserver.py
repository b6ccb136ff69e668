"""Partner feeds served from 127.0.0.1: well-behaved ones and hostile ones.

A route is a body, a redirect, a body that is dribbled and never finishes, or a body
far larger than any cap. Every loop here is bounded in count and time, and stops
when the server does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DRIBBLE_SECONDS = 0.2
DRIBBLE_MOST = 150  # 30 s at most, far past any test's feed_timeout
CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    content_type: str = "application/rss+xml; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


@dataclass(frozen=True, slots=True)
class NeverEnds:
    """Headers at once, then a byte every DRIBBLE_SECONDS: never the whole body."""


@dataclass(frozen=True, slots=True)
class Huge:
    size: int


Route = Body | Redirect | NeverEnds | Huge


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.stopping = threading.Event()
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        """The most requests answered at the same time (the client fetching side by side)."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        with self.server.lock:
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
        try:
            self._answer()
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def _answer(self) -> None:
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        elif isinstance(route, Body):
            self._headers(200, route.content_type, len(route.data))
            self.wfile.write(route.data)
        elif isinstance(route, Redirect):
            self.send_response(302)
            self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif isinstance(route, NeverEnds):
            self._dribble()
        else:
            self._flood(route.size)

    def _headers(self, status: int, content_type: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _dribble(self) -> None:
        self._headers(200, "application/rss+xml", 10_000_000)
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        for _ in range(DRIBBLE_MOST):
            if self.server.stopping.wait(DRIBBLE_SECONDS):
                return
            try:
                self.wfile.write(b" ")
                self.wfile.flush()
            except OSError:
                return

    def _flood(self, size: int) -> None:
        self._headers(200, "application/rss+xml", size)
        head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
        self.wfile.write(head)
        sent, filler = len(head), b"x" * CHUNK
        while sent < size and not self.server.stopping.is_set():
            try:
                self.wfile.write(filler[: size - sent])
            except OSError:
                return  # the client stopped reading at its cap
            sent += CHUNK


@contextmanager
def serving() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
