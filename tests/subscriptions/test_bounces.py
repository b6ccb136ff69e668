"""`hub subscribers bounces` over a Maildir and an mbox of real-shaped DSNs."""

from __future__ import annotations

import mailbox
import sqlite3
from pathlib import Path

import pytest

from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook

from .conftest import row

DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: digest@hub.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <{report_id}@mx.example.net>
Date: Mon, 06 Oct 2025 09:{minute:02d}:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. I'm sorry to have to inform you
that your message could not be delivered to one or more recipients.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 06 Oct 2025 08:59:58 +0000

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {diagnostic}

--BOUNDARY
Content-Type: text/rfc822-headers

From: Mobility Hub <digest@hub.test>
To: {address}
Subject: Perspectives - Q3 2025
Message-ID: <digest.2025-q3.abc@hub.test>

--BOUNDARY--
"""

PLAIN = """\
From: someone@example.org
To: digest@hub.test
Subject: Re: Perspectives
Message-ID: <reply-1@example.org>

Thanks for the digest!
"""


def dsn(report_id: str, address: str, action: str, status: str, diagnostic: str = "550 5.1.1 unknown",
        minute: int = 0) -> str:  # fmt: skip
    text = DSN.format(report_id=report_id, address=address, action=action, status=status, diagnostic=diagnostic,
                      minute=minute)  # fmt: skip
    return text.replace("\n", "\r\n")


@pytest.fixture
def subscribed(db: sqlite3.Connection) -> None:
    SubscriberBook(db).add_many(
        [SubscriberFields(f"{name}@example.org", frequency="weekly") for name in ("gone", "full", "slow", "fine")]
    )


def messages() -> list[str]:
    return [
        dsn("r1", "gone@example.org", "failed", "5.1.1", "550 5.1.1 <gone@example.org>: user unknown"),
        dsn("r2", "full@example.org", "failed", "5.2.2", "552 5.2.2 mailbox full"),
        dsn("r3", "slow@example.org", "delayed", "4.4.1", "connection timed out"),
        dsn("r4", "slow@example.org", "delayed", "4.4.1"),
        dsn("r5", "slow@example.org", "failed", "4.4.7", "delivery time expired"),
        dsn("r6", "nobody@example.org", "failed", "5.1.1"),
        PLAIN.replace("\n", "\r\n"),
        "garbage without headers \x00\xff",
    ]


def test_a_maildir_of_reports(hub, hub_dir: Path, db: sqlite3.Connection, subscribed: None) -> None:
    box = mailbox.Maildir(hub_dir / "bounces", create=True)
    keys = [box.add(text.encode("utf-8", "surrogateescape")) for text in messages()]
    result = hub("subscribers", "bounces", str(hub_dir / "bounces"))
    assert result.code == 0, result.err
    assert "Read 8 message(s)" in result.out and "6 bounce report(s)" in result.out
    assert "hard bounce: gone@example.org: 5.1.1: marked bounced" in result.out
    assert "soft bounce: slow@example.org: 4.4.7 (3 of 3 in a row): marked bounced" in result.out
    assert "nobody@example.org: not a subscriber" in result.out
    assert "Not bounce reports (2)" in result.out and keys[6] in result.out and keys[7] in result.out
    statuses = {e: row(db, f"{e}@example.org")["status"] for e in ("gone", "full", "slow", "fine")}
    assert statuses == {"gone": "bounced", "full": "active", "slow": "bounced", "fine": "active"}
    assert row(db, "full@example.org")["soft_bounces"] == 1

    again = hub("subscribers", "bounces", str(hub_dir / "bounces"))
    assert "6 report(s) were read before and changed nothing" in again.out
    assert row(db, "full@example.org")["soft_bounces"] == 1


def test_bounced_people_get_no_digest(hub, hub_dir: Path, db: sqlite3.Connection, subscribed: None, smtp) -> None:
    box = mailbox.mbox(hub_dir / "bounces.mbox", create=True)
    box.add(dsn("r1", "gone@example.org", "failed", "5.1.1").encode())
    box.flush()
    box.close()
    assert hub("subscribers", "bounces", str(hub_dir / "bounces.mbox")).code == 0
    from tests.digest_send.conftest import write_compiled

    write_compiled(hub_dir / "digest-out", issue="2025-w40", label="2025-W40", kind="week")
    assert hub("digest", "send", "2025-w40", "--smtp", smtp.url, "--yes").code == 0
    assert sorted(smtp.handler.count_by_recipient()) == ["fine@example.org", "full@example.org", "slow@example.org"]


def test_a_delivered_report_restarts_the_soft_count(hub, hub_dir: Path, db: sqlite3.Connection,
                                                    subscribed: None) -> None:  # fmt: skip
    box = mailbox.Maildir(hub_dir / "bounces", create=True)
    actions = ("delayed", "delayed", "delivered", "delayed", "delayed")
    for number, action in reversed(list(enumerate(actions))):  # written in another order than dated
        box.add(dsn(f"s{number}", "slow@example.org", action, "4.4.1" if action == "delayed" else "2.0.0",
                    minute=number))  # fmt: skip
    assert hub("subscribers", "bounces", str(hub_dir / "bounces")).code == 0
    assert row(db, "slow@example.org")["status"] == "active"
    assert row(db, "slow@example.org")["soft_bounces"] == 2


def test_a_missing_mailbox_is_a_clear_error(hub, hub_dir: Path) -> None:
    result = hub("subscribers", "bounces", str(hub_dir / "nowhere"))
    assert result.code == 1 and "no such Maildir or mbox file" in result.err
