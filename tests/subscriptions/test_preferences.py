"""The preference centre and the unsubscribe page: GET shows, POST changes."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from community_digest.ledger import Ledger
from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook
from community_digest.tokens import TokenSigner, scoped_token
from tests.digest_send.smtp_server import SmtpServer

from .conftest import SECRET, form, link_in, row, wait_for_mail


@pytest.fixture
def ana(db: sqlite3.Connection) -> int:
    book = SubscriberBook(db)
    book.add_many([SubscriberFields("ana@example.org", name="Ana", language="en", frequency="monthly")])
    return book.require("ana@example.org").id


def prefs_token(subscriber_id: int) -> str:
    return scoped_token(TokenSigner(SECRET.encode()), "preferences", subscriber_id, "ana@example.org")


def test_preferences_show_then_change(client: httpx.Client, db: sqlite3.Connection, ana: int) -> None:
    token = prefs_token(ana)
    page = client.get("preferences", params={"token": token})
    assert page.status_code == 200
    assert 'value="monthly" checked' in page.text and 'name="topics" value="mentoring"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["referrer-policy"] == "same-origin"  # the token goes to no other site
    choices = {"language": "fr", "frequency": "weekly", "topics": ["mentoring", "integration"]}
    saved = client.post("preferences", data={"token": token, "action": "save", **choices})
    assert saved.status_code == 200 and "Vos choix sont enregistrés" in saved.text
    person = row(db, "ana@example.org")
    assert (person["language"], person["frequency"], person["topics"], person["status"]) == (
        "fr", "weekly", "integration;mentoring", "active")  # fmt: skip


def test_a_bad_choice_changes_nothing(client: httpx.Client, db: sqlite3.Connection, ana: int) -> None:
    answer = client.post("preferences", data={"token": prefs_token(ana), "action": "save", "language": "fr",
                                              "frequency": "daily"})  # fmt: skip
    assert answer.status_code == 400
    assert row(db, "ana@example.org")["frequency"] == "monthly"
    assert row(db, "ana@example.org")["language"] == "en"


def test_a_send_already_started_keeps_its_list(client: httpx.Client, db: sqlite3.Connection, ana: int) -> None:
    Ledger(db).freeze("2025-10", ["monthly"], lambda language, topics: f"{language}-all")
    client.post("preferences", data={"token": prefs_token(ana), "action": "save", "language": "fr",
                                     "frequency": "weekly"})  # fmt: skip
    (variant,) = db.execute("SELECT variant FROM deliveries WHERE issue = '2025-10'").fetchone()
    assert variant == "en-all" and row(db, "ana@example.org")["frequency"] == "weekly"


def test_erase_removes_everything_and_the_link_stops_working(client: httpx.Client, db: sqlite3.Connection,
                                                            ana: int) -> None:  # fmt: skip
    Ledger(db).freeze("2025-10", ["monthly"], lambda language, topics: f"{language}-all")
    token = prefs_token(ana)
    answer = client.post("preferences", data={"token": token, "action": "erase"})
    assert answer.status_code == 200 and "Your data is erased" in answer.text
    assert row(db, "ana@example.org") is None
    assert db.execute("SELECT subscriber_id, state FROM deliveries").fetchall()[0][:] == (None, "skipped")
    assert client.get("preferences", params={"token": token}).status_code == 400


def test_unsubscribe_get_asks_and_post_one_click_unsubscribes(client: httpx.Client, db: sqlite3.Connection,
                                                              ana: int) -> None:  # fmt: skip
    token = TokenSigner(SECRET.encode()).token(ana, "ana@example.org")
    page = client.get("unsubscribe", params={"token": token})
    assert page.status_code == 200 and 'name="List-Unsubscribe" value="One-Click"' in page.text
    assert row(db, "ana@example.org")["status"] == "active"
    # RFC 8058: what a mail provider sends; no Origin, no cookie.
    with httpx.Client(base_url=client.base_url, timeout=10) as provider:
        for _ in range(2):  # a retry is answered the same way
            done = provider.post("unsubscribe", params={"token": token}, data={"List-Unsubscribe": "One-Click"})
            assert done.status_code == 200 and "set-cookie" not in done.headers
    assert row(db, "ana@example.org")["status"] == "unsubscribed"


def test_preferences_unsubscribe_then_only_a_confirmed_request_resubscribes(
    client: httpx.Client, db: sqlite3.Connection, ana: int
) -> None:
    token = prefs_token(ana)
    client.post("preferences", data={"token": token, "action": "unsubscribe"})
    assert row(db, "ana@example.org")["status"] == "unsubscribed"
    client.post("preferences", data={"token": token, "action": "save", "language": "en", "frequency": "weekly"})
    assert row(db, "ana@example.org")["status"] == "unsubscribed"  # saving choices does not resubscribe
    client.post("subscribe", data={"email": "ana@example.org", "language": "en", "frequency": "weekly"})
    assert row(db, "ana@example.org")["status"] == "unsubscribed"  # until the mailed link is confirmed



def test_a_pending_person_unsubscribed_by_hand_cannot_be_confirmed_by_the_old_link(
    client: httpx.Client, smtp: SmtpServer, db: sqlite3.Connection, hub
) -> None:
    client.post("subscribe", data=form("late@example.org"))
    token = link_in(wait_for_mail(smtp, 1)[0]).split("token=", 1)[1]
    result = hub("subscribers", "unsubscribe", "late@example.org")
    assert result.code == 0 and "Unsubscribed late@example.org" in result.out
    assert client.post("confirm", data={"token": token}).status_code == 400
    assert row(db, "late@example.org")["status"] == "unsubscribed"
