"""The links a sent digest carries lead to the service, and work."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx

from tests.digest_send.conftest import write_compiled
from tests.digest_send.smtp_server import SmtpServer

from .conftest import ISSUE, row


def test_one_click_with_the_token_from_a_sent_digests_header(service, smtp: SmtpServer, db: sqlite3.Connection,
                                                             hub, hub_dir: Path) -> None:  # fmt: skip
    db.execute("INSERT INTO subscribers (email, language, frequency, status, created_at) "
               "VALUES ('ana@example.org', 'en', 'quarterly', 'active', 'x')")  # fmt: skip
    assert hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes").code == 0
    (digest,) = smtp.handler.messages
    message = digest.parsed()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert links[0].startswith("mailto:unsubscribe@hub.test")
    one_click = links[1]
    assert one_click.startswith(f"{service.url}unsubscribe?token=")

    # What Gmail or Yahoo send: a bare POST, no Origin, no cookie.
    answer = httpx.post(one_click, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert answer.status_code == 200 and "You are unsubscribed" in answer.text
    assert row(db, "ana@example.org")["status"] == "unsubscribed"

    write_compiled(hub_dir / "digest-out", issue="2025-q4", label="2025-Q4")
    assert hub("digest", "send", "2025-q4", "--smtp", smtp.url, "--yes").code == 0
    assert len(smtp.handler.messages) == 1  # nothing more for them
