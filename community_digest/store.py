"""The digest's SQLite database: subscribers, sends and deliveries.

One file (extra.hub.digest.database), in WAL mode so that `hub subscribers
unsubscribe` can run while a send is in progress. The schema is versioned with
PRAGMA user_version; each entry of MIGRATIONS brings the file one version up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content.errors import HubError

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from generator.content.project import Project

_V1 = """
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: unsubscribe tokens name it
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '',       -- ';'-separated topic ids; '' = everything
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'quarterly')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unsubscribed')),
    created_at TEXT NOT NULL,
    unsubscribed_at TEXT
);
CREATE TABLE sends (
    issue TEXT PRIMARY KEY,
    frequencies TEXT NOT NULL,             -- ';'-separated, frozen with the recipients
    started_at TEXT NOT NULL,
    recipients INTEGER NOT NULL
);
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    issue TEXT NOT NULL REFERENCES sends (issue),
    subscriber_id INTEGER REFERENCES subscribers (id),  -- NULL once the person is removed
    variant TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'reserved', 'sending', 'sent', 'failed', 'skipped')),
    reserved_boot TEXT,                    -- the OS boot a reservation was made in
    attempts INTEGER NOT NULL DEFAULT 0,
    last_reply TEXT,
    message_id TEXT,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (issue, subscriber_id)
);
CREATE INDEX deliveries_by_state ON deliveries (issue, state);
"""

# Version 2: the subscription service. A person who subscribes through the form is
# `pending` until they confirm; a hard bounce makes them `bounced`. Only `active`
# people are ever mailed a digest. SQLite cannot change a CHECK constraint, so the
# table is rebuilt (foreign keys are off during migrations, see _migrate) and the
# AUTOINCREMENT counter carried over, so that ids are still never reused.
_V2 = """
CREATE TEMP TABLE _old_sequence AS SELECT seq FROM sqlite_sequence WHERE name = 'subscribers';
CREATE TABLE subscribers_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'quarterly')),
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
    created_at TEXT NOT NULL,
    unsubscribed_at TEXT,
    confirmed_at TEXT,
    confirm_nonce TEXT,                    -- names the one confirmation link that works
    confirm_request TEXT,                  -- JSON: the fields asked for, applied on confirmation
    confirm_mailed_at REAL,                -- epoch seconds of the last confirmation mail
    soft_bounces INTEGER NOT NULL DEFAULT 0,  -- soft bounces in a row
    bounced_at TEXT
);
INSERT INTO subscribers_v2 (id, email, name, language, topics, frequency, status, created_at, unsubscribed_at)
    SELECT id, email, name, language, topics, frequency, status, created_at, unsubscribed_at FROM subscribers;
DROP TABLE subscribers;
ALTER TABLE subscribers_v2 RENAME TO subscribers;
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(seq) FROM _old_sequence), 0))
    WHERE name = 'subscribers';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'subscribers', seq FROM _old_sequence
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'subscribers');
DROP TABLE _old_sequence;
CREATE TABLE bounce_reports (
    report_id TEXT PRIMARY KEY,            -- the DSN's Message-ID: each report counts once
    read_at TEXT NOT NULL
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    """A timestamp for the database: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database and bring its schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Autocommit mode: every write goes through `transaction`, with BEGIN IMMEDIATE.
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise HubError(f"{path}: cannot open the subscriber database: {exc}") from None
    return conn


def database_path(project: Project) -> Path:
    """extra.hub.digest.database, relative to mkdocs.yml."""
    return project.resolve(project.settings.digest.database)


def open_project_database(project: Project) -> sqlite3.Connection:
    return open_database(database_path(project))


@contextmanager
def one_sender(database: Path) -> Iterator[None]:
    """Only one `hub digest send` per database at a time (released if the process dies).

    Two senders could not mail anyone twice (each claim is atomic), but they would
    share the rate limit badly and make the progress and summaries meaningless.
    """
    if fcntl is None:  # Windows: no advisory locks; claims stay atomic regardless
        yield
        return
    lock_path = database.with_name(database.name + ".send-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise HubError(
                f"another `hub digest send` is running on {database}; let it finish (or stop it), then rerun"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    if _schema_version(conn, path) == SCHEMA_VERSION:
        return
    with _migration_lock(path):
        # Another connection (the service's threads, a send) may have migrated meanwhile.
        version = _schema_version(conn, path)
        # A table rebuild drops a table others refer to; the keys are checked after.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                # executescript commits first; BEGIN inside keeps each step all-or-nothing.
                conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        finally:
            conn.execute("PRAGMA foreign_keys = ON")


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HubError(
            f"{path}: the database has schema version {version}, newer than this hub "
            f"understands ({SCHEMA_VERSION}); upgrade mobility-hub"
        )
    return version


@contextmanager
def _migration_lock(path: Path) -> Iterator[None]:
    """One migration at a time per database, across threads and processes."""
    if fcntl is None:  # Windows: two first opens at once may collide; rerun then
        yield
        return
    with path.with_name(path.name + ".migrate-lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def transaction(conn: sqlite3.Connection, *, durable: bool = False) -> Iterator[None]:
    """One write transaction. `durable`: fsync the WAL at COMMIT (synchronous=FULL).

    WAL with synchronous=NORMAL already survives a killed process; FULL also
    survives a power cut. The sender asks for it where losing a commit could
    make it mail someone twice (the `sending` mark before each SMTP transaction).
    """
    if durable:
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
    finally:
        if durable:
            conn.execute("PRAGMA synchronous = NORMAL")
