"""Delivery status notifications (RFC 3464) read from a Maildir or an mbox.

A DSN is a multipart/report (report-type=delivery-status) whose
message/delivery-status part has one block per recipient with `Action`,
`Status` (RFC 3463: class.subject.detail) and `Final-Recipient`. We read:

- hard: Action failed with a 5.x.x status (no such mailbox, domain gone, ...);
  except 5.2.2 "mailbox full", which passes with time and counts as soft;
- soft: Action delayed, or any 4.x.x status;
- Action delivered, relayed or expanded: the address works, its soft count restarts.

Each report is counted once (its Message-ID is kept), so reading the same
mailbox twice changes nothing. A message that is not a DSN is listed, not fatal.
"""

from __future__ import annotations

import email
import hashlib
import mailbox
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from generator.content.errors import HubError

from .store import now, transaction

MAX_REPORT_BYTES = 5_000_000
_STATUS = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})")


@dataclass(frozen=True, slots=True)
class Bounce:
    """One recipient's line of a report."""

    address: str
    kind: str
    """hard, soft or delivered."""
    status: str


@dataclass(frozen=True, slots=True)
class Report:
    source: str
    """Where it came from (the Maildir file name, or the mbox message number)."""
    report_id: str
    bounces: tuple[Bounce, ...]
    sent: float = 0.0
    """Its Date (epoch seconds; 0 when missing): reports are applied oldest first."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    source: str
    reason: str


@dataclass
class MailboxContents:
    reports: list[Report] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


def classify(action: str, status: str) -> str | None:
    """hard, soft, delivered, or None for an action this file does not act on."""
    action = action.strip().lower()
    match = _STATUS.match(status.strip())
    code = match[1] if match else ""
    if action in ("delivered", "relayed", "expanded"):
        return "delivered"
    if action == "delayed" or code == "4":
        return "soft"
    if action == "failed" and code == "5":
        return "soft" if (match[2], match[3]) == ("2", "2") else "hard"  # type: ignore[index]
    return "hard" if action == "failed" else None


def parse_report(data: bytes, source: str) -> Report | Unreadable:
    """The bounces one message reports, or why it is not a readable DSN."""
    if len(data) > MAX_REPORT_BYTES:
        return Unreadable(source, f"larger than {MAX_REPORT_BYTES} bytes")
    message = email.message_from_bytes(data, policy=policy.default)
    if message.get_content_type() != "multipart/report" or (
        str(message.get_param("report-type", "")).lower() != "delivery-status"
    ):
        return Unreadable(source, "not a delivery status notification (multipart/report; report-type=delivery-status)")
    status_part = next((p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None)
    blocks = status_part.get_payload() if status_part is not None else None
    if not isinstance(blocks, list) or len(blocks) < 2:
        return Unreadable(source, "the report has no per-recipient status")
    bounces = tuple(b for b in (_bounce(block) for block in blocks[1:]) if b is not None)
    if not bounces:
        return Unreadable(source, "no recipient with an Action, a Status and a Final-Recipient")
    report_id = str(message.get("Message-ID") or "").strip() or hashlib.sha256(data).hexdigest()
    return Report(source, report_id[:300], bounces, _date_of(message))


def _date_of(message: EmailMessage) -> float:
    try:
        return parsedate_to_datetime(str(message.get("Date") or "")).timestamp()
    except (TypeError, ValueError):
        return 0.0


def _bounce(block: EmailMessage) -> Bounce | None:
    recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
    address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
    status = str(block.get("Status") or "")
    kind = classify(str(block.get("Action") or ""), status)
    if "@" not in address or kind is None or len(address) > 320:
        return None
    return Bounce(address, kind, status.strip()[:20])


def read_mailbox(path: Path) -> MailboxContents:
    """Every message of a Maildir (a folder with cur/ new/ tmp/) or an mbox file."""
    contents = MailboxContents()
    for source, data in _messages(path):
        parsed = parse_report(data, source)
        if isinstance(parsed, Report):
            contents.reports.append(parsed)
        else:
            contents.unreadable.append(parsed)
    # "In a row" follows the order the reports were written, not the file names.
    contents.reports.sort(key=lambda report: report.sent)
    return contents


def _messages(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            raise HubError(f"{path}: expected a Maildir (a folder with cur/, new/ and tmp/) or an mbox file")
        box: mailbox.Mailbox = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.keys()):
            yield f"{path / key}", box.get_bytes(key)
        return
    if not path.is_file():
        raise HubError(f"{path}: no such Maildir or mbox file")
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.keys(), start=1):
            yield f"{path} message {number}", box.get_bytes(key)
    finally:
        box.close()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What reading one recipient's line did, for the report."""

    address: str
    kind: str
    effect: str


def apply_report(conn: sqlite3.Connection, report: Report, soft_limit: int) -> list[Outcome] | None:
    """Mark the subscribers a report names, in one transaction; None if it was read before."""
    with transaction(conn):
        try:
            conn.execute("INSERT INTO bounce_reports (report_id, read_at) VALUES (?, ?)", (report.report_id, now()))
        except sqlite3.IntegrityError:
            return None
        return [_apply(conn, bounce, soft_limit) for bounce in report.bounces]


def _apply(conn: sqlite3.Connection, bounce: Bounce, soft_limit: int) -> Outcome:
    row = conn.execute("SELECT id, status, soft_bounces FROM subscribers WHERE email = ?", (bounce.address,)).fetchone()
    if row is None:
        return Outcome(bounce.address, bounce.kind, "not a subscriber")
    if bounce.kind == "delivered":
        conn.execute("UPDATE subscribers SET soft_bounces = 0 WHERE id = ?", (row["id"],))
        return Outcome(bounce.address, bounce.kind, "delivered: soft bounces start again from 0")
    soft = row["soft_bounces"] + 1 if bounce.kind == "soft" else row["soft_bounces"]
    suppress = bounce.kind == "hard" or soft >= soft_limit
    status = "bounced" if suppress and row["status"] == "active" else row["status"]
    conn.execute(
        "UPDATE subscribers SET soft_bounces = ?, status = ?,"
        " bounced_at = CASE WHEN ? THEN ? ELSE bounced_at END WHERE id = ?",
        (soft, status, status == "bounced" and row["status"] != "bounced", now(), row["id"]),
    )
    counted = f" ({soft} of {soft_limit} in a row)" if bounce.kind == "soft" else ""
    if status == "bounced" and row["status"] == "active":
        return Outcome(bounce.address, bounce.kind, f"{bounce.status}{counted}: marked bounced, not mailed again")
    return Outcome(bounce.address, bounce.kind, f"{bounce.status}{counted}: {row['status']}")
