"""What the digest's hardening tests share: a project with digest settings, `hub` in-process,
subscribers, a loopback feed server that can redirect or dribble, and an SMTP server that
stops answering.

Servers bind 127.0.0.1 only, and every wait in them is bounded in time.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from community_digest.store import open_database
from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook
from tests import hubkit
from tests.digest.hubproject import make_project
from tests.digest_send.smtp_server import Received, RecordingHandler, Script, SmtpServer
from tests.hubkit import HubRun

ISSUE = "2025-q3"
SECRET = "hardening-secret-0123456789"
UNSUBSCRIBE_URL = "https://hub.example.org/unsubscribe/"


def digest_project(root: Path, partners: list[str], **digest: Any) -> Path:
    """The digest tests' Q3 2025 project, with more `extra.hub.digest` settings; returns mkdocs.yml."""
    config = make_project(root, partners=partners)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["extra"]["hub"]["digest"].update(digest)
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


def rss(entries: list[dict[str, str]], title: str = "Partner Network") -> str:
    """An RSS 2.0 feed; each entry's values are written as given (escape them yourself)."""
    items = "".join(
        f"<item><title>{e['title']}</title><link>{e['link']}</link>"
        f"<pubDate>{e.get('date', 'Tue, 12 Aug 2025 08:00:00 +0000')}</pubDate>"
        f"<description>{e.get('text', 'A partner post.')}</description></item>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://partner.example/</link>"
        f"<description>News</description><language>en</language>\n{items}</channel></rss>\n"
    )


def run_hub(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> HubRun:
    """`hub -f CONFIG ARGS...` in this process, as the console script runs it."""
    return hubkit.run_hub(["-f", str(config), *args], monkeypatch, capsys)


def subscribe(root: Path, people: list[tuple[str, str]], frequency: str = "quarterly") -> dict[str, int]:
    """Add (email, name) pairs to the project's database; returns email -> subscriber id."""
    conn = open_database(root / ".hub" / "subscribers.sqlite3")
    try:
        fields = [SubscriberFields(email=e, name=n, language="en", frequency=frequency) for e, n in people]
        SubscriberBook(conn).add_many(fields)
        return {row[0]: row[1] for row in conn.execute("SELECT email, id FROM subscribers")}
    finally:
        conn.close()


def delivery_states(root: Path) -> dict[str, str]:
    conn = open_database(root / ".hub" / "subscribers.sqlite3")
    try:
        rows = conn.execute(
            "SELECT s.email, d.state FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
        ).fetchall()
        return {row[0]: row[1] for row in rows}
    finally:
        conn.close()


# -- a feed server on 127.0.0.1 -----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    location: str | None = None
    dribble: float | None = None
    """Seconds between bytes: the response (status line included) is sent a byte at a time."""
    headers_at_once: bool = False
    """With `dribble`: send the status line and headers at once, dribble only the body."""


@dataclass
class FeedServer:
    """A minimal HTTP/1.0 server with fixed routes; it records every path asked for."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode("ascii", "replace")
            self.requests.append(path)
            route = self.routes.get(path, Route(404, b"not found"))
            head = f"HTTP/1.0 {route.status} X\r\nContent-Type: application/rss+xml\r\n"
            head += f"Location: {route.location}\r\n" if route.location else ""
            response = head.encode() + b"\r\n" + route.body
            at_once = len(head) + 2 if route.headers_at_once else 0
            try:
                if route.dribble is None:
                    conn.sendall(response)
                    return
                conn.sendall(response[:at_once])
                for byte in response[at_once : at_once + 200]:  # bounded: 200 bytes, and the stop event
                    conn.sendall(bytes([byte]))
                    if self._stop.wait(route.dribble):
                        return
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


# -- an SMTP server that stops answering ----------------------------------------------------


class StallingHandler(RecordingHandler):
    """Answers the first `answered` messages, then keeps the next one without a reply and
    never answers MAIL again: a server that hangs. Each stall ends when the client goes,
    when the test releases it, or after 20 s."""

    def __init__(self, answered: int):
        super().__init__(Script())
        self.answered = answered

    async def _stall(self, server: Any) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not self.release.is_set():
            if server.transport is None or server.transport.is_closing():
                return
            await asyncio.sleep(0.02)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, N802
        if len(self.messages) > self.answered:
            await self._stall(server)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        with self.lock:
            self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
            number = len(self.messages)
        if number > self.answered:
            self.held.set()
            await self._stall(server)
        return f"250 OK queued as {number}"


def stalling_smtp(answered: int) -> SmtpServer:
    server = SmtpServer()
    server.handler = StallingHandler(answered)
    server.controller.handler = server.handler  # the controller builds its sessions at start()
    return server.start()


def within(seconds: float, action: Callable[[], Any]) -> tuple[Any, float]:
    """The action's result and how long it took; fails if it took longer than `seconds`."""
    began = time.monotonic()
    result = action()
    elapsed = time.monotonic() - began
    assert elapsed < seconds, f"took {elapsed:.1f} s, more than {seconds} s"
    return result, elapsed
