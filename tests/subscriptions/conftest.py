"""Fixtures for the subscription service: a small hub, a real SMTP server, the service
itself served by uvicorn on 127.0.0.1 from a thread, and an HTTP client for it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import uvicorn

from community_digest.service.app import create_app
from community_digest.service.config import ServiceConfig, service_config
from community_digest.smtp_client import SmtpTarget
from community_digest.store import open_database
from generator.content.project import load_project
from tests.digest_send.conftest import DIGEST, ISSUE, SECRET, hub, smtp, smtp_factory, write_compiled
from tests.digest_send.smtp_server import Received, SmtpServer, free_port
from tests.hubkit import write_hub

SITE = "https://hub.example.org"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/\w+\?token=\S+)")
__all__ = ["ISSUE", "SECRET", "SITE", "hub", "smtp", "smtp_factory"]  # fixtures shared with the send tests


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_UNSUBSCRIBE_SECRET", SECRET)
    for name in ("HUB_SMTP_USER", "HUB_SMTP_PASSWORD", "HUB_DKIM_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def hub_dir(tmp_path: Path, port: int) -> Path:
    """A hub whose subscriptions.url is the service about to run on `port`."""
    digest = {**DIGEST, "unsubscribe_url": None}
    write_hub(tmp_path, {}, hub={"digest": digest, "subscriptions": {"url": f"http://127.0.0.1:{port}/"}},
              site_url=f"{SITE}/")  # fmt: skip
    write_compiled(tmp_path / "digest-out")
    return tmp_path


class RunningService:
    """uvicorn serving the app from a thread; stopped (bounded) by `stop`."""

    def __init__(self, config: ServiceConfig, port: int):
        self.config = config
        self.url = f"http://127.0.0.1:{port}/"
        settings = uvicorn.Config(create_app(config), host="127.0.0.1", port=port, access_log=False,
                                  log_level="warning", lifespan="on")  # fmt: skip
        self.server = uvicorn.Server(settings)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> RunningService:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the subscription service did not start within 10 s")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def make_service(hub_dir: Path, port: int, smtp: SmtpServer) -> Iterator[Callable[..., RunningService]]:
    running: list[RunningService] = []

    def make(**overrides: object) -> RunningService:
        project = load_project(hub_dir / "mkdocs.yml")
        config = replace(service_config(project, SmtpTarget.parse(smtp.url)), **overrides)
        service = RunningService(config, port).start()
        running.append(service)
        return service

    yield make
    for service in running:
        service.stop()


@pytest.fixture
def service(make_service: Callable[..., RunningService]) -> RunningService:
    return make_service()


@pytest.fixture
def client(service: RunningService) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=10, headers={"Origin": SITE}) as http:
        yield http


@pytest.fixture
def db(hub_dir: Path) -> Iterator[sqlite3.Connection]:
    conn = open_database(hub_dir / ".hub" / "subscribers.sqlite3")
    yield conn
    conn.close()


def form(email: str, **fields: object) -> dict[str, object]:
    return {"email": email, "name": "", "language": "en", "frequency": "quarterly", "website": "", **fields}


def wait_for_mail(smtp: SmtpServer, count: int, timeout: float = 10.0) -> list[Received]:
    deadline = time.monotonic() + timeout
    while len(smtp.handler.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} mail(s), got {len(smtp.handler.messages)}")
        time.sleep(0.02)
    return list(smtp.handler.messages)


def link_in(message: Received) -> str:
    body = message.parsed().get_body(("plain",)).get_content()
    found = LINK.search(body)
    assert found, body
    return found[1]


def row(db: sqlite3.Connection, email: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM subscribers WHERE email = ?", (email,)).fetchone()
