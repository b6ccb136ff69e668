"""The whole loop on real parts: subscribe, confirmation mail, confirm, and a digest send."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from tests.digest_send.conftest import write_compiled
from tests.digest_send.smtp_server import SmtpServer

from .conftest import ISSUE, form, link_in, row, wait_for_mail


def test_subscribe_confirm_then_the_digest_reaches_them_once(
    client: httpx.Client, smtp: SmtpServer, db: sqlite3.Connection, hub, hub_dir: Path
) -> None:
    answer = client.post("subscribe", data=form("ana@example.org", name="Ana <b>", topics=["mentoring"]))
    assert answer.status_code == 200
    assert "Check your inbox" in answer.text and "ana@example.org" in answer.text
    assert row(db, "ana@example.org")["status"] == "pending"

    (mail,) = wait_for_mail(smtp, 1)
    assert mail.rcpt_tos == ("ana@example.org",)
    assert "Confirm your subscription" in mail.parsed()["Subject"]
    link = link_in(mail)
    assert "/confirm?token=c." in link

    # A mail scanner fetching the link changes nothing.
    page = client.get(link)
    assert page.status_code == 200 and '<form method="post" action="confirm">' in page.text
    assert row(db, "ana@example.org")["status"] == "pending"
    result = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert result.code == 0, result.err
    assert smtp.handler.count_by_recipient()["ana@example.org"] == 1  # only the confirmation mail

    token = link.split("token=", 1)[1]
    confirmed = client.post("confirm", data={"token": token})
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    person = row(db, "ana@example.org")
    assert (person["status"], person["name"], person["topics"], person["frequency"]) == (
        "active", "Ana <b>", "mentoring", "quarterly")  # fmt: skip

    issue = "2025-q4"
    write_compiled(hub_dir / "digest-out", issue=issue, label="2025-Q4")
    for _ in range(2):  # a rerun sends nothing more
        result = hub("digest", "send", issue, "--smtp", smtp.url, "--yes")
        assert result.code == 0, result.err
    digests = [m for m in smtp.handler.messages if "Perspectives" in str(m.parsed()["Subject"])]
    assert [m.rcpt_tos for m in digests] == [("ana@example.org",)]


def test_the_same_answer_for_a_known_address_and_a_reminder_instead_of_a_new_link(
    client: httpx.Client, smtp: SmtpServer, db: sqlite3.Connection
) -> None:
    db.execute("INSERT INTO subscribers (email, language, frequency, status, created_at) "
               "VALUES ('known@example.org', 'fr', 'monthly', 'active', 'x')")  # fmt: skip
    new = client.post("subscribe", data=form("new@example.org"))
    known = client.post("subscribe", data=form("known@example.org", frequency="weekly"))
    assert new.status_code == known.status_code == 200
    assert new.text.replace("new@", "X@") == known.text.replace("known@", "X@")
    mails = {m.rcpt_tos[0]: m for m in wait_for_mail(smtp, 2)}
    assert "/preferences?token=p." in link_in(mails["known@example.org"])
    assert row(db, "known@example.org")["frequency"] == "monthly"  # nothing changed without confirmation
