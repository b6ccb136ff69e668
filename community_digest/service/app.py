"""The ASGI application: routes under the path of extra.hub.subscriptions.url, and the
guards every request passes (body size, per-client rate, a log line without tokens).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store import open_database
from .config import ServiceConfig
from .limits import ClientLimiter
from .pages import Pages
from .preferences import preferences
from .routes import ServiceState, confirm, subscribe, unsubscribe
from .texts import best_language, texts

log = logging.getLogger("hub.subscriptions")


class BodyTooLarge(Exception):
    pass


class Guard:
    """Refuses large bodies and clients over their rate; logs method, path, status, time.

    The log line has the path only: query strings and bodies carry tokens and addresses.
    """

    def __init__(self, app: ASGIApp, config: ServiceConfig):
        self.app = app
        self.max_body = config.max_body
        self.limiter = ClientLimiter(config.request_limit)
        self.language = config.default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [0]
        client = (scope.get("client") or ("unknown", 0))[0]

        async def tracked_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            if not self.limiter.allow(client):
                await self._refusal(scope, "busy_body", 429)(scope, receive, tracked_send)
            elif self._declared_size(scope) > self.max_body:
                await self._refusal(scope, "too_large_body", 413)(scope, receive, tracked_send)
            else:
                await self.app(scope, self._bounded(receive), tracked_send)
        except BodyTooLarge:
            await self._refusal(scope, "too_large_body", 413)(scope, receive, tracked_send)
        finally:
            took = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.1fms", scope["method"], scope["path"][:200], status[0], took)

    def _refusal(self, scope: Scope, key: str, status: int) -> PlainTextResponse:
        """A refusal before any route runs, in the visitor's language (their browser's)."""
        accept = next((value for name, value in scope["headers"] if name == b"accept-language"), b"")
        return PlainTextResponse(texts(best_language(accept.decode("latin-1")[:200], self.language))[key], status)

    @staticmethod
    def _declared_size(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                return int(value) if value.isdigit() else 1 << 62
        return 0

    def _bounded(self, receive: Receive) -> Receive:
        seen = [0]

        async def bounded() -> Message:
            message = await receive()
            seen[0] += len(message.get("body", b""))
            if seen[0] > self.max_body:
                raise BodyTooLarge
            return message

        return bounded


class Checkpointer:
    """Copies the WAL into the database file every `interval` seconds, off the request path.

    PASSIVE: it never waits for, nor blocks, a reader or a writer; a send running
    at the same time checkpoints on its own as well.
    """

    def __init__(self, database: Path, interval: float = 1.0):
        self.database = database
        self.interval = interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def _run(self) -> None:
        conn = open_database(self.database)
        try:
            while not self.stop.wait(self.interval):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    @asynccontextmanager
    async def running(self, app: Starlette) -> AsyncIterator[None]:
        self.thread.start()
        try:
            yield
        finally:
            self.stop.set()
            await run_in_threadpool(self.thread.join, 10)


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed: %s", request.method, request.url.path[:200], type(exc).__name__)
    state: ServiceState = request.app.state.service
    return state.pages.message(state.config.default_language, "unavailable", 500)


def create_app(config: ServiceConfig) -> Starlette:
    base = urlsplit(config.base_url).path.rstrip("/")
    routes = [
        Route(f"{base}/subscribe", subscribe, methods=["POST"]),
        Route(f"{base}/confirm", confirm, methods=["GET", "POST"]),
        Route(f"{base}/preferences", preferences, methods=["GET", "POST"]),
        Route(f"{base}/unsubscribe", unsubscribe, methods=["GET", "POST"]),
        Route(f"{base}/health", _health, methods=["GET"]),
    ]
    checkpoints = Checkpointer(config.database)
    app = Starlette(routes=routes, exception_handlers={Exception: _server_error}, lifespan=checkpoints.running)
    app.state.service = ServiceState(
        config=config,
        pages=Pages.create(config.site_name, config.site_url),
        subscribe_limiter=ClientLimiter(config.subscribe_limit),
        local=threading.local(),
    )
    return Guard(app, config)  # type: ignore[return-value]
