"""Who gets an issue and what happened to each message: the `sends` and `deliveries` tables.

A delivery moves pending -> sending -> sent | failed (or pending -> skipped when
the person unsubscribed or was removed after the send began). The `sending` mark
is committed durably before the SMTP transaction and the outcome right after it,
so after a crash at most the one message in flight is left `sending`: possibly
sent, and never retried unless the operator asks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .store import now, transaction
from .subscribers import split_topics

STATES = ("pending", "sending", "sent", "failed", "skipped")


@dataclass(frozen=True, slots=True)
class SendRecord:
    issue: str
    frequencies: tuple[str, ...]
    started_at: str
    recipients: int


@dataclass(frozen=True, slots=True)
class Delivery:
    """A pending delivery with what is needed to write the message."""

    id: int
    subscriber_id: int
    email: str
    name: str
    language: str
    topics: tuple[str, ...]
    variant: str


@dataclass(frozen=True, slots=True)
class LedgerCounts:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.failed + self.skipped


@dataclass(frozen=True, slots=True)
class Failure:
    subscriber_id: int | None
    reply: str


ChooseVariant = Callable[[str, Sequence[str]], str]


class Ledger:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def send_record(self, issue: str) -> SendRecord | None:
        row = self.conn.execute("SELECT * FROM sends WHERE issue = ?", (issue,)).fetchone()
        if row is None:
            return None
        return SendRecord(
            row["issue"], tuple(row["frequencies"].split(";")), row["started_at"], row["recipients"]
        )

    def freeze(self, issue: str, frequencies: Sequence[str], choose: ChooseVariant) -> SendRecord:
        """Start a send: one pending delivery per active subscriber of these frequencies.

        Runs in one transaction, so an unsubscribe either lands before (and the
        person is not on the list) or after (and the sender skips them).
        """
        stamp = now()
        marks = ", ".join("?" * len(frequencies))
        with transaction(self.conn, durable=True):
            rows = self.conn.execute(
                "SELECT id, language, topics FROM subscribers"
                f" WHERE status = 'active' AND frequency IN ({marks}) ORDER BY id",
                tuple(frequencies),
            ).fetchall()
            self.conn.execute(
                "INSERT INTO sends (issue, frequencies, started_at, recipients) VALUES (?, ?, ?, ?)",
                (issue, ";".join(frequencies), stamp, len(rows)),
            )
            self.conn.executemany(
                "INSERT INTO deliveries (issue, subscriber_id, variant, updated_at)"
                " VALUES (?, ?, ?, ?)",
                [
                    (issue, row["id"], choose(row["language"], split_topics(row["topics"])), stamp)
                    for row in rows
                ],
            )
        return SendRecord(issue, tuple(frequencies), stamp, len(rows))

    def skip_departed(self, issue: str) -> int:
        """Pending deliveries of people who unsubscribed or were removed since: skipped."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE deliveries SET state = 'skipped', updated_at = ?,"
                " last_reply = 'unsubscribed after the send started'"
                " WHERE issue = ? AND state = 'pending' AND (subscriber_id IS NULL"
                " OR subscriber_id IN (SELECT id FROM subscribers WHERE status != 'active'))",
                (now(), issue),
            )
        return cursor.rowcount

    def requeue_possibly_sent(self, issue: str) -> int:
        """The operator's explicit choice: send `sending` (possibly sent) ones again."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE deliveries SET state = 'pending', updated_at = ?"
                " WHERE issue = ? AND state = 'sending'",
                (now(), issue),
            )
        return cursor.rowcount

    def pending(self, issue: str, limit: int | None = None) -> list[Delivery]:
        rows = self.conn.execute(
            "SELECT d.id, d.subscriber_id, d.variant, s.email, s.name, s.language, s.topics"
            " FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
            " WHERE d.issue = ? AND d.state = 'pending' AND s.status = 'active'"
            " ORDER BY d.id LIMIT ?",
            (issue, -1 if limit is None else limit),
        ).fetchall()
        return [
            Delivery(
                id=row["id"],
                subscriber_id=row["subscriber_id"],
                email=row["email"],
                name=row["name"],
                language=row["language"],
                topics=split_topics(row["topics"]),
                variant=row["variant"],
            )
            for row in rows
        ]

    def count_candidates(self, frequencies: Sequence[str]) -> int:
        marks = ", ".join("?" * len(frequencies))
        return self.conn.execute(
            f"SELECT COUNT(*) FROM subscribers WHERE status = 'active' AND frequency IN ({marks})",
            tuple(frequencies),
        ).fetchone()[0]

    def candidates(self, frequencies: Sequence[str], choose: ChooseVariant) -> list[Delivery]:
        """Who `freeze` would put on the list now (for a dry run); writes nothing."""
        marks = ", ".join("?" * len(frequencies))
        rows = self.conn.execute(
            "SELECT id, email, name, language, topics FROM subscribers"
            f" WHERE status = 'active' AND frequency IN ({marks}) ORDER BY id",
            tuple(frequencies),
        ).fetchall()
        deliveries = []
        for row in rows:
            topics = split_topics(row["topics"])
            deliveries.append(
                Delivery(0, row["id"], row["email"], row["name"], row["language"], topics,
                         choose(row["language"], topics))
            )
        return deliveries

    def claim(self, delivery_id: int, message_id: str) -> bool:
        """pending -> sending, durably, if the person is still subscribed; False if not."""
        with transaction(self.conn, durable=True):
            cursor = self.conn.execute(
                "UPDATE deliveries SET state = 'sending', attempts = attempts + 1,"
                " message_id = ?, updated_at = ?"
                " WHERE id = ? AND state = 'pending' AND subscriber_id IN"
                " (SELECT id FROM subscribers WHERE status = 'active')",
                (message_id, now(), delivery_id),
            )
        return cursor.rowcount == 1

    def finish(self, delivery_id: int, state: str, reply: str) -> None:
        """Record the outcome of the transaction of a `sending` delivery.

        `pending` releases it (the server surely did not take it: retry later);
        `sent` and `failed` are final; `sending` keeps it possibly sent.
        Not fsynced: losing this commit leaves the row `sending`, the safe side.
        """
        stamp = now()
        sent_at = stamp if state == "sent" else None
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE deliveries SET state = ?, last_reply = ?, updated_at = ?,"
                " sent_at = COALESCE(?, sent_at) WHERE id = ? AND state = 'sending'",
                (state, reply[:1000], stamp, sent_at, delivery_id),
            )

    def counts(self, issue: str) -> LedgerCounts:
        rows = self.conn.execute(
            "SELECT state, COUNT(*) FROM deliveries WHERE issue = ? GROUP BY state", (issue,)
        ).fetchall()
        return LedgerCounts(**{state: count for state, count in rows})

    def failures(self, issue: str, state: str = "failed", limit: int = 20) -> list[Failure]:
        rows = self.conn.execute(
            "SELECT subscriber_id, last_reply FROM deliveries WHERE issue = ? AND state = ?"
            " ORDER BY id LIMIT ?",
            (issue, state, limit),
        ).fetchall()
        return [Failure(row[0], row[1] or "") for row in rows]
