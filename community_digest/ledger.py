"""Who gets an issue and what happened to each message: the `sends` and `deliveries` tables.

A delivery moves pending -> reserved -> sending -> sent | failed (or to skipped
when the person unsubscribed or was removed after the send began).

Why `reserved`: the sender must never lose a `sending` mark, or a crash could
make it mail someone twice. Flushing the disk before every message costs one
fsync each (several milliseconds on a busy disk). Instead a batch of deliveries
is reserved in one fsynced commit, and each message's `sending` mark and outcome
are plain WAL commits (synchronous=NORMAL), which survive the sending process
being killed but not an OS crash or power cut. On resume:

- same OS boot: every commit made it, so a delivery still `reserved` was never
  started and goes back to pending; the only possibly sent one is `sending`;
- another boot (the machine went down): marks after the last fsync may be lost,
  so a delivery still `reserved` may have been sent; it counts as possibly sent.

Either way a delivery is never sent twice unless the operator asks
(`--retry-possibly-sent`). Where the boot can't be identified, batches are of
one message, i.e. an fsync before every message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .store import now, transaction
from .subscribers import split_topics

STATES = ("pending", "reserved", "sending", "sent", "failed", "skipped")
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str | None:
    """This OS boot's id (Linux), or None where there is none to read."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip() or None
    except OSError:
        return None


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
    reserved: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.reserved + self.sending + self.sent + self.failed + self.skipped


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
        return SendRecord(row["issue"], tuple(row["frequencies"].split(";")), row["started_at"], row["recipients"])

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
                "INSERT INTO deliveries (issue, subscriber_id, variant, updated_at) VALUES (?, ?, ?, ?)",
                [(issue, row["id"], choose(row["language"], split_topics(row["topics"])), stamp) for row in rows],
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
                "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE issue = ? AND state = 'sending'",
                (now(), issue),
            )
        return cursor.rowcount

    def requeue_failed(self, ids: Sequence[int]) -> int:
        """failed -> pending for these deliveries (refused with a 5xx: never delivered)."""
        with transaction(self.conn):
            cursor = self.conn.executemany(
                "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'failed'",
                [(now(), delivery_id) for delivery_id in ids],
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
                Delivery(
                    0,
                    row["id"],
                    row["email"],
                    row["name"],
                    row["language"],
                    topics,
                    choose(row["language"], topics),
                )
            )
        return deliveries

    def recover(self, issue: str, boot: str | None) -> int:
        """Reservations left by a run that died: pending again, or possibly sent.

        Returns how many became possibly sent (the machine restarted since).
        """
        stamp = now()
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE deliveries SET state = 'pending', reserved_boot = NULL, updated_at = ?"
                " WHERE issue = ? AND state = 'reserved' AND reserved_boot = ?",  # None: none
                (stamp, issue, boot),
            )
            lost = self.conn.execute(
                "UPDATE deliveries SET state = 'sending', reserved_boot = NULL, updated_at = ?,"
                " last_reply = 'the machine restarted during the send; this may have been sent'"
                " WHERE issue = ? AND state = 'reserved'",
                (stamp, issue),
            )
        return lost.rowcount

    def reserve(self, ids: Sequence[int], boot: str | None) -> set[int]:
        """pending -> reserved for these deliveries, fsynced; returns those reserved."""
        stamp = now()
        with transaction(self.conn, durable=True):
            self.conn.executemany(
                "UPDATE deliveries SET state = 'reserved', reserved_boot = ?, updated_at = ?"
                " WHERE id = ? AND state = 'pending'",
                [(boot, stamp, delivery_id) for delivery_id in ids],
            )
            marks = ", ".join("?" * len(ids))
            rows = self.conn.execute(
                f"SELECT id FROM deliveries WHERE id IN ({marks}) AND state = 'reserved'",
                tuple(ids),
            ).fetchall()
        return {row[0] for row in rows}

    def unreserve(self, issue: str) -> None:
        """What this run reserved but did not start goes back to pending."""
        self.conn.execute(
            "UPDATE deliveries SET state = 'pending', reserved_boot = NULL, updated_at = ?"
            " WHERE issue = ? AND state = 'reserved'",
            (now(), issue),
        )

    def claim(self, delivery_id: int, message_id: str) -> bool:
        """reserved -> sending if the person is still subscribed; False if not.

        One statement, so one (WAL, not fsynced) commit: see the module docstring.
        """
        cursor = self.conn.execute(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1,"
            " message_id = ?, updated_at = ?"
            " WHERE id = ? AND state = 'reserved' AND EXISTS (SELECT 1 FROM subscribers s"
            " WHERE s.id = deliveries.subscriber_id AND s.status = 'active')",
            (message_id, now(), delivery_id),
        )
        return cursor.rowcount == 1

    def finish(self, delivery_id: int, state: str, reply: str) -> None:
        """Record the outcome of the SMTP transaction of a `sending` delivery.

        `reserved`: the server surely did not take it (retry it); `sent` and
        `failed` are final; `sending` keeps it possibly sent.
        """
        stamp = now()
        self.conn.execute(
            "UPDATE deliveries SET state = ?, last_reply = ?, updated_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
            " WHERE id = ? AND state = 'sending'",
            (state, reply[:1000], stamp, state, stamp, delivery_id),
        )

    def counts(self, issue: str) -> LedgerCounts:
        rows = self.conn.execute(
            "SELECT state, COUNT(*) FROM deliveries WHERE issue = ? GROUP BY state", (issue,)
        ).fetchall()
        return LedgerCounts(**dict(rows))

    def failures(self, issue: str, state: str = "failed", limit: int = 20) -> list[Failure]:
        rows = self.conn.execute(
            "SELECT subscriber_id, last_reply FROM deliveries WHERE issue = ? AND state = ? ORDER BY id LIMIT ?",
            (issue, state, limit),
        ).fetchall()
        return [Failure(row[0], row[1] or "") for row in rows]
