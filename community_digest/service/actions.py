"""What the service does to the subscriber database; each function is one transaction.

A subscription request never changes what an existing person receives: it is
stored as `confirm_request` (with a fresh nonce that the mailed link carries)
and applied only when the link is confirmed. A new address gets a `pending`
row, which no send ever picks. At most one confirmation mail per address per
`MAIL_INTERVAL` seconds: a request inside that window is answered the same way
but mails nothing.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from enum import Enum

from ..store import now, transaction
from ..subscriber_fields import SubscriberFields
from ..subscribers import Subscriber, SubscriberBook

MAIL_INTERVAL = 600.0


class MailKind(Enum):
    CONFIRM = "confirm"
    """A confirmation link for a new or returning subscriber."""
    ALREADY = "already"
    """The address is active: remind them of their preferences link instead."""


@dataclass(frozen=True, slots=True)
class MailOrder:
    """A mail the request calls for, and how to take the request back if it can't be sent."""

    kind: MailKind
    subscriber: Subscriber
    nonce: str
    previous: sqlite3.Row | None
    """The row as it was before (None: the row is new)."""


def request_subscription(conn: sqlite3.Connection, fields: SubscriberFields, at: float) -> MailOrder | None:
    """Record a request; the mail to send, or None inside the per-address interval."""
    request = json.dumps(
        {"name": fields.name, "language": fields.language, "topics": list(fields.topics), "frequency": fields.frequency}
    )
    nonce = secrets.token_urlsafe(12)
    with transaction(conn):
        row = conn.execute("SELECT * FROM subscribers WHERE email = ?", (fields.email,)).fetchone()
        if row is not None and row["confirm_mailed_at"] and at - row["confirm_mailed_at"] < MAIL_INTERVAL:
            return None
        if row is None:
            conn.execute(
                "INSERT INTO subscribers (email, name, language, topics, frequency, status, created_at,"
                " confirm_nonce, confirm_request, confirm_mailed_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
                (fields.email, fields.name, fields.language, ";".join(fields.topics), fields.frequency, now(),
                 nonce, request, at),
            )  # fmt: skip
        elif row["status"] == "active":
            nonce = ""
            conn.execute("UPDATE subscribers SET confirm_mailed_at = ? WHERE id = ?", (at, row["id"]))
        else:
            conn.execute(
                "UPDATE subscribers SET confirm_nonce = ?, confirm_request = ?, confirm_mailed_at = ? WHERE id = ?",
                (nonce, request, at, row["id"]),
            )
        current = conn.execute("SELECT * FROM subscribers WHERE email = ?", (fields.email,)).fetchone()
    kind = MailKind.ALREADY if row is not None and row["status"] == "active" else MailKind.CONFIRM
    return MailOrder(kind, Subscriber.from_row(current), nonce, row)


def withdraw(conn: sqlite3.Connection, order: MailOrder) -> None:
    """The mail could not be sent: put the row back as it was (unless it changed since)."""
    with transaction(conn):
        if order.previous is None:
            conn.execute(
                "DELETE FROM subscribers WHERE id = ? AND status = 'pending' AND confirm_nonce = ?",
                (order.subscriber.id, order.nonce),
            )
            return
        old = order.previous
        conn.execute(
            "UPDATE subscribers SET confirm_nonce = ?, confirm_request = ?, confirm_mailed_at = ?"
            " WHERE id = ? AND COALESCE(confirm_nonce, '') = ?",
            (old["confirm_nonce"], old["confirm_request"], old["confirm_mailed_at"], old["id"], order.nonce),
        )


def confirm(conn: sqlite3.Connection, subscriber_id: int, nonce: str) -> bool:
    """Apply the confirmed request and make the person active; False if the nonce is stale."""
    with transaction(conn):
        row = conn.execute(
            "SELECT confirm_request FROM subscribers WHERE id = ? AND confirm_nonce = ?", (subscriber_id, nonce)
        ).fetchone()
        if row is None:
            return False
        asked = json.loads(row["confirm_request"])
        conn.execute(
            "UPDATE subscribers SET name = ?, language = ?, topics = ?, frequency = ?, status = 'active',"
            " unsubscribed_at = NULL, confirmed_at = ?, confirm_nonce = NULL, confirm_request = NULL,"
            " soft_bounces = 0, bounced_at = NULL WHERE id = ?",
            (asked["name"], asked["language"], ";".join(asked["topics"]), asked["frequency"], now(), subscriber_id),
        )
    return True


def update_preferences(
    conn: sqlite3.Connection, subscriber_id: int, language: str, topics: tuple[str, ...], frequency: str
) -> bool:
    """Change what an existing person receives (the next send picks it up)."""
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE subscribers SET language = ?, topics = ?, frequency = ? WHERE id = ?",
            (language, ";".join(topics), frequency, subscriber_id),
        )
    return cursor.rowcount == 1


def unsubscribe(conn: sqlite3.Connection, subscriber: Subscriber) -> None:
    """Stop mailing them; repeating it changes nothing (one-click clients may retry)."""
    SubscriberBook(conn).unsubscribe(subscriber)


def erase(conn: sqlite3.Connection, subscriber: Subscriber) -> None:
    """The data-protection request: the row goes, deliveries keep only counts."""
    SubscriberBook(conn).remove(subscriber)


def confirm_nonce(conn: sqlite3.Connection, subscriber_id: int) -> str | None:
    row = conn.execute("SELECT confirm_nonce FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
    return row[0] if row else None
