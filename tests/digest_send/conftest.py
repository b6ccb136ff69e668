"""Fixtures for sending tests: a small hub with a compiled issue, a real SMTP server, `hub`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from community_digest.placeholders import Sentinels, slots_data
from community_digest.store import open_database
from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook
from tests.hubkit import HubRun, run_hub, write_hub

from .smtp_server import Script, SmtpServer

ISSUE = "2025-q3"
SECRET = "test-secret-0123456789abcdef"
DIGEST = {
    "from_address": "Mobility Hub <digest@hub.test>",
    "list_id": "digest.hub.test",
    "unsubscribe_mailto": "unsubscribe@hub.test",
    "unsubscribe_url": "https://hub.test/unsubscribe/",
    "database": ".hub/subscribers.sqlite3",
    "output_dir": "digest-out",
}
VARIANTS = (("en-all", "en", ()), ("fr-all", "fr", ()), ("en-mentoring", "en", ("mentoring",)))


def write_compiled(out_dir: Path, issue: str = ISSUE, label: str = "2025-Q3", kind: str = "quarter") -> Path:
    """A compiled issue as `hub digest build` leaves it: manifest + one html/txt per variant."""
    issue_dir = out_dir / issue
    issue_dir.mkdir(parents=True, exist_ok=True)
    variants = []
    sentinels = Sentinels()  # every token in these templates is one to fill
    for variant_id, language, topics in VARIANTS:
        html, html_slots = sentinels.locate(
            sentinels.put(
                f"<html><body><p>Hello %%name%%,</p><p>variant={variant_id} — é</p>\n"
                f'<p><a href="%%unsubscribe_url%%">Unsubscribe</a></p></body></html>\n'
            )
        )
        text, text_slots = sentinels.locate(
            sentinels.put(
                f"Hello %%name%%,\nvariant={variant_id} — é\n.leading dot\nUnsubscribe: %%unsubscribe_url%%\n"
            )
        )
        (issue_dir / f"{variant_id}.html").write_text(html, encoding="utf-8")
        (issue_dir / f"{variant_id}.txt").write_text(text, encoding="utf-8")
        variants.append(
            {
                "id": variant_id,
                "language": language,
                "topics": list(topics),
                "html": f"{variant_id}.html",
                "text": f"{variant_id}.txt",
                "eml": f"{variant_id}.eml",
                "slots": {"html": slots_data(html_slots), "text": slots_data(text_slots)},
            }
        )
    manifest = {
        "format": 2,
        "issue": issue,
        "title": "Perspectives — Q3 2025",
        "subject": "Perspectives — Q3 2025",
        "period": {"label": label, "kind": kind},
        "web_url": f"https://hub.test/digests/{issue}/",
        "variants": variants,
        "language": "en",
        "topics": ["mentoring"],
        "aliases": {},
    }
    (issue_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return issue_dir


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_UNSUBSCRIBE_SECRET", SECRET)
    monkeypatch.delenv("HUB_SMTP_USER", raising=False)
    monkeypatch.delenv("HUB_SMTP_PASSWORD", raising=False)


@pytest.fixture
def hub_dir(tmp_path: Path) -> Path:
    write_hub(tmp_path, {}, hub={"digest": DIGEST})
    write_compiled(tmp_path / "digest-out")
    return tmp_path


@pytest.fixture
def hub(hub_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., HubRun]:
    """Run `hub -f <hub_dir>/mkdocs.yml ARGS...` in this process, as the console script does."""

    def run(*args: str) -> HubRun:
        return run_hub(["-f", str(hub_dir / "mkdocs.yml"), *args], monkeypatch, capsys)

    return run


@pytest.fixture
def db(hub_dir: Path) -> Iterator[sqlite3.Connection]:
    conn = open_database(hub_dir / ".hub" / "subscribers.sqlite3")
    yield conn
    conn.close()


def people(count: int, *, frequency: str = "quarterly", start: int = 0) -> list[SubscriberFields]:
    """`count` subscribers: every third French, every fifth on mentoring only."""
    return [
        SubscriberFields(
            email=f"person{i:04d}@example.org",
            name=f"Person {i}",
            language="fr" if i % 3 == 0 else "en",
            topics=("mentoring",) if i % 5 == 0 else (),
            frequency=frequency,
        )
        for i in range(start, start + count)
    ]


def expected_variant(person: SubscriberFields) -> str:
    if person.language == "en" and person.topics == ("mentoring",):
        return "en-mentoring"
    return f"{person.language}-all"


@pytest.fixture
def subscribe(db: sqlite3.Connection) -> Callable[[Sequence[SubscriberFields]], None]:
    return lambda batch: SubscriberBook(db).add_many(batch) and None


@pytest.fixture
def smtp_factory() -> Iterator[Callable[..., SmtpServer]]:
    servers: list[SmtpServer] = []

    def make(script: Script | None = None, **tls: object) -> SmtpServer:
        server = SmtpServer(script, **tls).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def smtp(smtp_factory: Callable[..., SmtpServer]) -> SmtpServer:
    return smtp_factory()


def states(conn: sqlite3.Connection, issue: str = ISSUE) -> dict[str, str]:
    """Lower-cased address -> delivery state, for the people still in the database."""
    rows = conn.execute(
        "SELECT s.email, d.state FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.issue = ?",
        (issue,),
    ).fetchall()
    return {row[0].lower(): row[1] for row in rows}
