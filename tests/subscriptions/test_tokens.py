"""Every misuse of a token gets the same 400 page and changes nothing."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from community_digest.subscriber_fields import SubscriberFields
from community_digest.subscribers import SubscriberBook
from community_digest.tokens import TokenSigner, scoped_token
from tests.digest_send.smtp_server import SmtpServer

from .conftest import SECRET, form, link_in, row, wait_for_mail

BAD = "This link does not work"


@pytest.fixture
def pending(client: httpx.Client, smtp: SmtpServer) -> str:
    """The confirm token mailed to pending@example.org."""
    assert client.post("subscribe", data=form("pending@example.org")).status_code == 200
    return link_in(wait_for_mail(smtp, 1)[0]).split("token=", 1)[1]


@pytest.fixture
def two(db: sqlite3.Connection) -> tuple[int, int]:
    book = SubscriberBook(db)
    book.add_many([SubscriberFields("one@example.org", frequency="weekly"),
                   SubscriberFields("two@example.org", frequency="weekly")])  # fmt: skip
    return book.require("one@example.org").id, book.require("two@example.org").id


def signer() -> TokenSigner:
    return TokenSigner(SECRET.encode())


def status_of(db: sqlite3.Connection) -> dict[str, str]:
    return {r["email"]: r["status"] for r in db.execute("SELECT email, status FROM subscribers")}


def test_a_confirm_token_works_once(client: httpx.Client, pending: str, db: sqlite3.Connection) -> None:
    assert client.post("confirm", data={"token": pending}).status_code == 200
    again = client.post("confirm", data={"token": pending})
    assert again.status_code == 400 and BAD in again.text
    assert client.get("confirm", params={"token": pending}).status_code == 400


def test_a_new_request_retires_the_older_link(make_service, smtp: SmtpServer, db: sqlite3.Connection,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from community_digest.service import actions

    monkeypatch.setattr(actions, "MAIL_INTERVAL", 0.0)
    service = make_service()
    with httpx.Client(base_url=service.url, timeout=10) as http:
        http.post("subscribe", data=form("twice@example.org"))
        http.post("subscribe", data=form("twice@example.org", frequency="weekly"))
        first, second = (link_in(m).split("token=", 1)[1] for m in wait_for_mail(smtp, 2))
        assert http.post("confirm", data={"token": first}).status_code == 400
        assert row(db, "twice@example.org")["status"] == "pending"
        assert http.post("confirm", data={"token": second}).status_code == 200
    assert row(db, "twice@example.org")["frequency"] == "weekly"


def test_an_expired_confirm_token_is_refused(client: httpx.Client, pending: str, db: sqlite3.Connection) -> None:
    person = row(db, "pending@example.org")
    expired = scoped_token(signer(), "confirm", person["id"], person["email"], expires=int(time.time()) - 1,
                           nonce=person["confirm_nonce"])  # fmt: skip
    answer = client.post("confirm", data={"token": expired})
    assert answer.status_code == 400 and BAD in answer.text
    assert row(db, "pending@example.org")["status"] == "pending"


@pytest.mark.parametrize("purpose", ["preferences", "unsubscribe"])
def test_a_confirm_token_opens_nothing_else(client: httpx.Client, pending: str, db: sqlite3.Connection,
                                            purpose: str) -> None:  # fmt: skip
    assert client.get(purpose, params={"token": pending}).status_code == 400
    if purpose == "unsubscribe":
        answer = client.post("unsubscribe", params={"token": pending}, data={"List-Unsubscribe": "One-Click"})
    else:
        answer = client.post("preferences", data={"token": pending, "action": "erase"})
    assert answer.status_code == 400 and BAD in answer.text
    assert row(db, "pending@example.org")["status"] == "pending"


def test_one_subscribers_tokens_are_useless_for_another(client: httpx.Client, two: tuple[int, int],
                                                        db: sqlite3.Connection) -> None:  # fmt: skip
    one_id, two_id = two
    prefs = scoped_token(signer(), "preferences", one_id, "one@example.org")
    moved = prefs.replace(f"p.{one_id}.", f"p.{two_id}.")
    unsub = signer().token(one_id, "one@example.org")
    moved_unsub = unsub.replace(f"{one_id}.", f"{two_id}.", 1)
    assert client.post("preferences", data={"token": moved, "action": "unsubscribe"}).status_code == 400
    one_click = {"List-Unsubscribe": "One-Click"}
    assert client.post("unsubscribe", params={"token": moved_unsub}, data=one_click).status_code == 400
    assert status_of(db) == {"one@example.org": "active", "two@example.org": "active"}
    # The genuine preferences token cannot unsubscribe through the one-click URL either.
    assert client.post("unsubscribe", params={"token": prefs}, data=one_click).status_code == 400
    assert status_of(db)["one@example.org"] == "active"


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "1.AAAAAAAAAAAAAAAAAAAAAA", "c.1.99999999999.AAAAAAAAAAAAAAAAAAAAAA",
     "p.1.AAAAAAAAAAAAAAAAAAAAAA", "p.99999999999999999999999.AAAAAAAAAAAAAAAAAAAAAA", "<script>x</script>"],
)  # fmt: skip
def test_forged_tokens_get_the_same_page(client: httpx.Client, two: tuple[int, int], db: sqlite3.Connection,
                                         token: str) -> None:  # fmt: skip
    pages = [
        client.get("confirm", params={"token": token}),
        client.post("confirm", data={"token": token}),
        client.get("preferences", params={"token": token}),
        client.post("preferences", data={"token": token, "action": "erase"}),
        client.get("unsubscribe", params={"token": token}),
        client.post("unsubscribe", params={"token": token}, data={"List-Unsubscribe": "One-Click"}),
    ]
    assert [page.status_code for page in pages] == [400] * 6
    assert len({page.text for page in pages}) == 1 and BAD in pages[0].text and "<script>" not in pages[0].text
    assert status_of(db) == {"one@example.org": "active", "two@example.org": "active"}
