"""A database written before the subscription service opens with the new states."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from community_digest.store import MIGRATIONS, open_database


def test_a_version_1_database_keeps_its_people_sends_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN;{MIGRATIONS[0]}PRAGMA user_version = 1;COMMIT;")
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        old.execute("INSERT INTO subscribers (email, language, frequency, created_at) "
                    "VALUES (?, 'en', 'weekly', 't')", (email,))  # fmt: skip
    old.execute("INSERT INTO sends VALUES ('2025-w01', 'weekly', 't', 1)")
    old.execute("INSERT INTO deliveries (issue, subscriber_id, variant, state, updated_at) "
                "VALUES ('2025-w01', 1, 'en-all', 'sent', 't')")  # fmt: skip
    old.execute("DELETE FROM subscribers WHERE id = 3")  # its id must never come back
    old.close()

    conn = open_database(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = conn.execute("SELECT id, email, status FROM subscribers ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(1, "a@example.org", "active"), (2, "b@example.org", "active")]
    assert conn.execute("SELECT subscriber_id, state FROM deliveries").fetchone()[:] == (1, "sent")
    conn.execute("INSERT INTO subscribers (email, language, frequency, status, created_at) "
                 "VALUES ('d@example.org', 'en', 'weekly', 'pending', 't')")  # fmt: skip
    assert conn.execute("SELECT id FROM subscribers WHERE email = 'd@example.org'").fetchone()[0] == 4
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE subscribers SET status = 'gone' WHERE id = 1")
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_export_with_every_state_imports_back(hub, hub_dir: Path, db: sqlite3.Connection) -> None:
    for email, status in (("a@example.org", "active"), ("p@example.org", "pending"),
                          ("b@example.org", "bounced"), ("u@example.org", "unsubscribed")):  # fmt: skip
        db.execute("INSERT INTO subscribers (email, language, frequency, status, created_at) "
                   "VALUES (?, 'en', 'weekly', ?, 't')", (email, status))  # fmt: skip
    exported = hub_dir / "everyone.csv"
    assert hub("subscribers", "export", str(exported)).code == 0
    db.execute("DELETE FROM subscribers")
    result = hub("subscribers", "import", str(exported))
    assert result.code == 0, result.err
    states = dict(db.execute("SELECT email, status FROM subscribers").fetchall())
    assert states == {"a@example.org": "active", "p@example.org": "pending", "b@example.org": "bounced",
                      "u@example.org": "unsubscribed"}  # fmt: skip
