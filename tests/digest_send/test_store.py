"""The database file: created on first use, WAL, schema version, newer files refused."""

from __future__ import annotations

import sqlite3

import pytest

from community_digest.store import SCHEMA_VERSION, open_database
from generator.content.errors import HubError


def test_first_use_creates_the_file_and_schema(tmp_path):
    path = tmp_path / "deep" / "er" / "subscribers.sqlite3"
    conn = open_database(path)
    assert path.is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"subscribers", "sends", "deliveries"} <= tables
    conn.close()
    open_database(path).close()  # opening again migrates nothing and keeps the data


def test_addresses_are_unique_regardless_of_case(tmp_path):
    conn = open_database(tmp_path / "db.sqlite3")
    insert = "INSERT INTO subscribers (email, language, frequency, created_at) VALUES (?, 'en', 'weekly', '2025-01-01')"
    conn.execute(insert, ("ana@example.org",))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert, ("ANA@Example.org",))


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    open_database(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HubError) as caught:
        open_database(path)
    assert str(caught.value) == (
        f"{path}: the database has schema version {SCHEMA_VERSION + 1}, newer than this hub "
        f"understands ({SCHEMA_VERSION}); upgrade mobility-hub"
    )


def test_not_a_database(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_text("this is not SQLite, just text that is long enough to have a header" * 20)
    with pytest.raises(HubError, match="cannot open the subscriber database"):
        open_database(path)
