"""Origin, rate limits, honeypot, sizes, escaping and logs."""

from __future__ import annotations

import logging
import sqlite3
import time

import httpx
import pytest

from community_digest.service.limits import Limit
from tests.digest_send.smtp_server import SmtpServer

from .conftest import SITE, form, link_in, row, wait_for_mail


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "https://hub.example.org.evil.example",
                                    "http://hub.example.org"])  # fmt: skip
def test_a_form_from_a_foreign_origin_is_refused(service, smtp: SmtpServer, db: sqlite3.Connection,
                                                 origin: str) -> None:  # fmt: skip
    with httpx.Client(base_url=service.url, timeout=10, headers={"Origin": origin}) as http:
        answer = http.post("subscribe", data=form("ana@example.org"))
        assert answer.status_code == 403 and "Request refused" in answer.text
        assert http.post("preferences", data={"token": "x", "action": "erase"}).status_code == 403
    assert row(db, "ana@example.org") is None and smtp.handler.messages == []


@pytest.mark.parametrize("origin", [SITE, "https://HUB.example.org:443", None])
def test_the_sites_and_the_services_own_origin_pass(service, smtp: SmtpServer, origin: str | None) -> None:
    headers = {"Origin": origin} if origin else {}
    with httpx.Client(base_url=service.url, timeout=10, headers=headers) as http:
        assert http.post("subscribe", data=form("ana@example.org")).status_code == 200
        own = service.url.rstrip("/")
        assert http.post("subscribe", data=form("bo@example.org"), headers={"Origin": own}).status_code == 200


def test_one_confirmation_mail_per_address_per_ten_minutes(client: httpx.Client, smtp: SmtpServer,
                                                           db: sqlite3.Connection) -> None:  # fmt: skip
    answers = [client.post("subscribe", data=form("Ana@Example.org")) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    wait_for_mail(smtp, 1)
    assert client.post("subscribe", data=form("ana@example.org", frequency="weekly")).status_code == 200
    assert len(smtp.handler.messages) == 1
    assert db.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 1


def test_a_client_cannot_turn_the_form_into_a_mail_cannon(make_service, smtp: SmtpServer) -> None:
    service = make_service(subscribe_limit=Limit(3, 600.0))
    with httpx.Client(base_url=service.url, timeout=10) as http:
        codes = [http.post("subscribe", data=form(f"p{i}@example.org")).status_code for i in range(6)]
        # Another visitor, as the reverse proxy on loopback names them, has a count of their own.
        other = http.post("subscribe", data=form("q@example.org"), headers={"X-Forwarded-For": "192.0.2.7"})
    assert codes == [200, 200, 200, 429, 429, 429]
    assert other.status_code == 200
    assert sorted(m.rcpt_tos[0] for m in wait_for_mail(smtp, 4)) == [
        "p0@example.org", "p1@example.org", "p2@example.org", "q@example.org"]  # fmt: skip


def test_every_request_counts_against_a_client(make_service) -> None:
    service = make_service(request_limit=Limit(5, 60.0))
    with httpx.Client(base_url=service.url, timeout=10) as http:
        codes = [http.get("health").status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2


def test_the_honeypot_gets_the_same_answer_and_nothing_happens(client: httpx.Client, smtp: SmtpServer,
                                                               db: sqlite3.Connection) -> None:  # fmt: skip
    bot = client.post("subscribe", data=form("bot@example.org", website="http://spam.example"))
    human = client.post("subscribe", data=form("bot@example.org"))
    assert bot.status_code == 200 and bot.text == human.text
    assert len(wait_for_mail(smtp, 1)) == 1


def test_large_bodies_and_bad_fields_are_refused_without_a_trace(client: httpx.Client, smtp: SmtpServer,
                                                                 db: sqlite3.Connection) -> None:  # fmt: skip
    huge = client.post("subscribe", data=form("ana@example.org", name="x" * 20_000))
    assert huge.status_code == 413
    bad = client.post("subscribe", data=form("not-an-address<script>", topics=["<b>nope</b>"], frequency="daily"))
    assert bad.status_code == 400
    assert "&lt;script&gt;" in bad.text and "<script>" not in bad.text and "&lt;b&gt;nope" in bad.text
    assert "frequency" in bad.text and "topics" in bad.text
    assert db.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 0 and smtp.handler.messages == []


FR_ERRORS = ["Adresse e-mail : il faut une adresse comme nom@exemple.org (reçu : « ana@ »)",
             "Fréquence : il faut chaque semaine, chaque mois ou chaque trimestre (reçu : « daily »)"]


@pytest.mark.parametrize(
    ("language", "title", "errors"),
    [
        ("fr", "Vérifiez le formulaire", FR_ERRORS),
        ("de", "Bitte prüfen Sie das Formular", ["E-Mail-Adresse: erwartet wird eine Adresse wie name@beispiel.de",
                                                 "Häufigkeit: erwartet wird wöchentlich"]),
        ("pt", "Verifique o formulário", ["Endereço de e-mail: é preciso um endereço como nome@exemplo.pt",
                                          "Frequência: é preciso semanal, mensal ou trimestral"]),
        ("en", "Please check the form", ["email: expected an e-mail address like name@example.org, got “ana@”",
                                         "frequency: expected weekly, monthly or quarterly, got “daily”"]),
    ],
)  # fmt: skip
def test_form_errors_come_back_in_the_subscribers_language(client: httpx.Client, db: sqlite3.Connection,
                                                           language: str, title: str, errors: list[str]) -> None:
    answer = client.post("subscribe", data=form("ana@", language=language, frequency="daily"))
    assert answer.status_code == 400 and f'<html lang="{language}">' in answer.text
    assert f"<h1>{title}</h1>" in answer.text
    shown = [item.split("</li>")[0] for item in answer.text.split("<li>")[1:]]
    assert len(shown) == 2 and all(item.startswith(error) for item, error in zip(shown, errors, strict=True)), shown
    assert db.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 0


def test_a_refusal_before_the_form_is_read_speaks_the_browsers_language(client: httpx.Client) -> None:
    huge = {**form("ana@example.org"), "name": "x" * 20_000}
    french = client.post("subscribe", data=huge, headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})
    assert french.status_code == 413 and french.text.startswith("Le formulaire envoyé est trop long")
    german = client.post("subscribe", data=huge, headers={"Accept-Language": "de"})
    assert german.status_code == 413 and german.text.startswith("Das Formular war zu lang")


def test_what_a_visitor_typed_is_escaped_in_pages_and_mail(client: httpx.Client, smtp: SmtpServer) -> None:
    answer = client.post("subscribe", data=form('"><img src=x>@example.org'))
    assert answer.status_code == 400 and "<img" not in answer.text
    client.post("subscribe", data=form("ana@example.org", name="Ana\r\nBcc: victim@example.org"))
    assert smtp.handler.messages == []  # a name with a line break is refused, not mailed
    named = client.post("subscribe", data=form("ana@example.org", name="<i>Ana</i>"))
    assert named.status_code == 200
    (mail,) = wait_for_mail(smtp, 1)
    assert mail.rcpt_tos == ("ana@example.org",) and "Bcc" not in mail.data.decode("ascii", "replace")


def test_a_failed_mail_leaves_the_database_as_it_was(client: httpx.Client, smtp: SmtpServer,
                                                     db: sqlite3.Connection,
                                                     caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    caplog.set_level(logging.INFO, logger="hub.subscriptions")
    smtp.script.permanent["ana@example.org"] = "550 no such mailbox ana@example.org"
    answer = client.post("subscribe", data=form("ana@example.org"))
    assert answer.status_code == 503
    assert row(db, "ana@example.org") is None
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "confirm mail not sent: the server answered 550" in logged and "ana@" not in logged
    smtp.script.permanent.clear()
    assert client.post("subscribe", data=form("ana@example.org")).status_code == 200  # the limit was not used up
    assert len(wait_for_mail(smtp, 1)) == 1


def test_logs_hold_no_token(client: httpx.Client, smtp: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hub.subscriptions")
    client.post("subscribe", data=form("ana@example.org"))
    link = link_in(wait_for_mail(smtp, 1)[0])
    token = link.split("token=", 1)[1]
    client.get(link)
    client.post("confirm", data={"token": token})
    deadline = time.monotonic() + 5  # the line is written just after the answer
    while "POST /confirm" not in (logged := "\n".join(r.getMessage() for r in caplog.records)):
        assert time.monotonic() < deadline, logged
        time.sleep(0.01)
    assert "GET /confirm 200" in logged and "POST /confirm 200" in logged
    assert token not in logged and "ana@example.org" not in logged
