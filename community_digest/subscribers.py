"""Subscribers in the digest database: add, look up, list, unsubscribe and erase.

Addresses are unique regardless of case. An unsubscribed person keeps a row
(status `unsubscribed`) so that a later import cannot quietly resubscribe them;
`remove` erases the row and the personal data in their delivery records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.content.errors import HubError

from .store import now, transaction
from .subscriber_fields import SubscriberFields


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    name: str
    language: str
    topics: tuple[str, ...]
    frequency: str
    status: str
    created_at: str
    unsubscribed_at: str | None

    @property
    def active(self) -> bool:
        return self.status == "active"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Subscriber:
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            language=row["language"],
            topics=split_topics(row["topics"]),
            frequency=row["frequency"],
            status=row["status"],
            created_at=row["created_at"],
            unsubscribed_at=row["unsubscribed_at"],
        )


@dataclass(frozen=True, slots=True)
class Removal:
    subscriber_id: int
    deliveries_anonymized: int


class NotSubscribed(HubError):
    """No subscriber has this address."""


def split_topics(stored: str) -> tuple[str, ...]:
    return tuple(topic for topic in stored.split(";") if topic)


class SubscriberBook:
    """The subscribers table; every method is one transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def find(self, email: str) -> Subscriber | None:
        row = self.conn.execute("SELECT * FROM subscribers WHERE email = ? COLLATE NOCASE", (email.strip(),)).fetchone()
        return Subscriber.from_row(row) if row else None

    def get(self, subscriber_id: int) -> Subscriber | None:
        row = self.conn.execute("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
        return Subscriber.from_row(row) if row else None

    def existing(self, emails: Iterable[str]) -> dict[str, Subscriber]:
        """Subscribers among `emails`, keyed by lower-cased address."""
        wanted = sorted({email.lower() for email in emails})
        found: dict[str, Subscriber] = {}
        for start in range(0, len(wanted), 500):  # SQLite limits bound parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT * FROM subscribers WHERE email IN ({marks})"
            for row in self.conn.execute(query, chunk):
                found[row["email"].lower()] = Subscriber.from_row(row)
        return found

    def add_many(self, people: Iterable[SubscriberFields]) -> int:
        """Insert new subscribers in one transaction; an existing address is an error."""
        stamp = now()
        rows = [
            (
                p.email,
                p.name,
                p.language,
                ";".join(p.topics),
                p.frequency,
                p.status,
                stamp,
                stamp if p.status == "unsubscribed" else None,
            )
            for p in people
        ]
        try:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT INTO subscribers (email, name, language, topics, frequency, status,"
                    " created_at, unsubscribed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.IntegrityError:
            raise HubError("an address is already subscribed; nothing was added") from None
        return len(rows)

    def resubscribe(self, subscriber_id: int, fields: SubscriberFields) -> None:
        """Make an unsubscribed person active again (only on their explicit request)."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE subscribers SET name = ?, language = ?, topics = ?, frequency = ?,"
                " status = 'active', unsubscribed_at = NULL WHERE id = ?",
                (
                    fields.name,
                    fields.language,
                    ";".join(fields.topics),
                    fields.frequency,
                    subscriber_id,
                ),
            )

    def all(self, status: str | None = None) -> Iterator[Subscriber]:
        query = "SELECT * FROM subscribers"
        params: tuple[str, ...] = ()
        if status:
            query += " WHERE status = ?"
            params = (status,)
        for row in self.conn.execute(query + " ORDER BY id", params):
            yield Subscriber.from_row(row)

    def unsubscribe(self, subscriber: Subscriber) -> bool:
        """Mark them unsubscribed (from active, pending or bounced); False when they already were.

        A confirmation link still out stops working: coming back takes a new request.
        """
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?, confirm_nonce = NULL,"
                " confirm_request = NULL WHERE id = ? AND status != 'unsubscribed'",
                (now(), subscriber.id),
            )
        return cursor.rowcount == 1

    def remove(self, subscriber: Subscriber) -> Removal:
        """Erase the person; their delivery records keep only counts, no personal data.

        The server's reply is dropped too (it often quotes the address), and the
        Message-ID (derived from the address). A delivery not yet made is skipped.
        """
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE deliveries SET subscriber_id = NULL, message_id = NULL,"
                " last_reply = 'subscriber removed',"
                " state = CASE WHEN state = 'pending' THEN 'skipped' ELSE state END,"
                " updated_at = ? WHERE subscriber_id = ?",
                (now(), subscriber.id),
            )
            self.conn.execute("DELETE FROM subscribers WHERE id = ?", (subscriber.id,))
        return Removal(subscriber.id, cursor.rowcount)

    def require(self, email: str) -> Subscriber:
        found = self.find(email)
        if found is None:
            raise NotSubscribed(f"no subscriber has the address {email.strip()!r}")
        return found
