"""What the server says, and what the ledger then holds: 4xx, 5xx, drops, logins."""

from __future__ import annotations

import pytest

from .conftest import ISSUE, people, states
from .smtp_server import Script, free_port

# The test server takes a login over plain TCP on loopback; aiosmtpd warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
FAST = ("--retry-delay", "0.02", "--yes")


def _attempts(db, email: str) -> tuple[str, int, str | None]:
    row = db.execute(
        "SELECT d.state, d.attempts, d.last_reply FROM deliveries d"
        " JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = ?",
        (email,),
    ).fetchone()
    return tuple(row)


def test_451_is_retried_then_accepted(hub, smtp, db, subscribe):
    batch = people(6)
    subscribe(batch)
    smtp.script.transient = {
        batch[1].email: ["451 4.3.0 Greylisted, try again"],
        batch[4].email: ["451 4.3.0 Greylisted", "452 4.2.2 Mailbox full for now"],
    }
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert run.code == 0, run.err
    assert "This run: 6 sent, 0 failed, 0 deferred" in run.out
    assert smtp.handler.count_by_recipient() == {p.email: 1 for p in batch}
    assert (_attempts(db, batch[1].email))[:2] == ("sent", 2)
    assert (_attempts(db, batch[4].email))[:2] == ("sent", 3)


def test_4xx_past_the_retry_limit_is_deferred_to_a_rerun(hub, smtp, db, subscribe):
    batch = people(3)
    subscribe(batch)
    smtp.script.transient = {batch[0].email: ["450 4.2.0 Try later"] * 3}
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--retries", "2", *FAST)
    assert run.code == 0, run.err
    assert "This run: 2 sent, 0 failed, 1 deferred" in run.out
    assert "1 not sent yet: rerun the same command to resume." in run.out
    assert _attempts(db, batch[0].email) == ("pending", 2, "450 4.2.0 Try later")
    again = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert "This run: 1 sent" in again.out
    assert smtp.handler.count_by_recipient() == {p.email: 1 for p in batch}


def test_550_is_recorded_as_failed_with_the_reply_and_reported(hub, smtp, db, subscribe):
    batch = people(4)
    subscribe(batch)
    bad = batch[2].email
    smtp.script.permanent = {bad: f"550 5.1.1 <{bad}>: Recipient address rejected"}
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert run.code == 0, run.err
    assert "This run: 3 sent, 1 failed, 0 deferred, 0 skipped, 0 possibly sent." in run.out
    subscriber_id = db.execute("SELECT id FROM subscribers WHERE email = ?", (bad,)).fetchone()[0]
    assert f"  failed: subscriber #{subscriber_id}: 550 5.1.1 <(address)>: Recipient address rejected" in run.out
    assert _attempts(db, bad) == ("failed", 1, f"550 5.1.1 <{bad}>: Recipient address rejected")
    assert bad not in run.out + run.err
    again = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert "This run: 0 sent, 0 failed" in again.out  # failures are final, not retried
    assert bad not in smtp.handler.count_by_recipient()


def test_connection_dropped_before_the_message_is_retried_on_a_new_connection(hub, smtp, db, subscribe):
    batch = people(10)
    subscribe(batch)
    smtp.script.drop_at_rcpt = {4, 8}
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert run.code == 0, run.err
    assert "This run: 10 sent, 0 failed, 0 deferred, 0 skipped, 0 possibly sent." in run.out
    assert smtp.handler.count_by_recipient() == {p.email: 1 for p in batch}
    assert set(states(db).values()) == {"sent"}


def test_connection_dropped_after_the_message_is_possibly_sent_and_never_resent(hub, smtp, db, subscribe):
    batch = people(8)
    subscribe(batch)
    smtp.script.drop_after_data = {3}  # the server keeps the 3rd message but never says so
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert run.code == 0, run.err
    assert "This run: 7 sent, 0 failed, 0 deferred, 0 skipped, 1 possibly sent." in run.out
    assert "1 possibly sent: a run stopped during their SMTP transaction." in run.out
    held = smtp.handler.messages[2].rcpt_tos[0]
    assert states(db)[held] == "sending"
    hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert smtp.handler.count_by_recipient() == {p.email: 1 for p in batch}
    resend = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--retry-possibly-sent", *FAST)
    assert "1 possibly sent message(s) were queued again on request." in resend.out
    assert smtp.handler.count_by_recipient()[held] == 2  # the operator chose to risk it


def test_wrong_password_is_a_clear_error_and_nothing_is_marked(hub, smtp_factory, db, subscribe, monkeypatch):
    subscribe(people(3))
    server = smtp_factory(Script(password="right horse battery"))
    monkeypatch.setenv("HUB_SMTP_USER", "digest")
    monkeypatch.setenv("HUB_SMTP_PASSWORD", "wrong staple")
    run = hub("digest", "send", ISSUE, "--smtp", server.url, *FAST)
    assert run.code == 1
    assert run.err.strip() == (
        f"the SMTP server 127.0.0.1:{server.port} refused the login of HUB_SMTP_USER: "
        "535 5.7.8 Authentication credentials invalid; check HUB_SMTP_USER and HUB_SMTP_PASSWORD"
    )
    assert "wrong staple" not in run.out + run.err
    assert "Traceback" not in run.err
    assert db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
    assert server.handler.messages == []
    monkeypatch.setenv("HUB_SMTP_PASSWORD", "right horse battery")
    ok = hub("digest", "send", ISSUE, "--smtp", server.url, *FAST)
    assert ok.code == 0, ok.err
    assert len(server.handler.messages) == 3 and server.handler.logins[-1] == "digest"


def test_a_server_that_wants_a_login_stops_the_run_without_marking_anyone(hub, smtp_factory, db, subscribe):
    subscribe(people(3))
    server = smtp_factory(Script(password="secret"))
    run = hub("digest", "send", ISSUE, "--smtp", server.url, *FAST)
    assert run.code == 1
    assert "refused the sender: 530 5.7.0 Authentication required" in run.err
    assert set(states(db).values()) == {"pending"}


def test_unreachable_server_is_a_clear_error(hub, db, subscribe):
    subscribe(people(2))
    port = free_port()
    run = hub("digest", "send", ISSUE, "--smtp", f"smtp://127.0.0.1:{port}", *FAST)
    assert run.code == 1
    assert run.err.startswith(f"cannot connect to the SMTP server 127.0.0.1:{port}:")
    assert db.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0


def test_password_never_goes_in_the_url(hub):
    run = hub("digest", "send", ISSUE, "--smtp", "smtp://me:pw@127.0.0.1:25", "--yes")
    assert run.code == 1
    assert run.err.strip() == ("--smtp: put no user or password in the URL; set HUB_SMTP_USER and HUB_SMTP_PASSWORD")


def test_a_server_that_keeps_deferring_stops_the_run_in_bounded_time(hub, smtp, db, subscribe):
    subscribe(people(40))
    smtp.script.drop_at_rcpt = set(range(3, 10_000))  # after two messages, every try fails
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--retries", "2", *FAST)
    assert run.code == 1
    assert run.err.strip().splitlines()[-1] == (
        "stopped: the server deferred 20 messages in a row; rerun the command to resume"
    )
    assert "This run: 2 sent, 0 failed, 20 deferred" in run.out
    assert list(states(db).values()).count("pending") == 38


def test_a_server_that_refuses_everyone_stops_the_run_and_marks_nobody_failed(hub, smtp, db, subscribe):
    batch = people(30)
    subscribe(batch)
    smtp.script.permanent = {p.email: "554 5.7.1 Relay access denied" for p in batch}
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, *FAST)
    assert run.code == 1
    assert run.err.strip().splitlines()[-1] == (
        "stopped: the server refused 10 recipients in a row (last: 554 5.7.1 Relay access denied); "
        "they are kept for a rerun: check the server's settings (relaying, login); "
        "rerun the command to resume"
    )
    assert "This run: 0 sent, 0 failed, 10 deferred" in run.out
    assert set(states(db).values()) == {"pending"}
