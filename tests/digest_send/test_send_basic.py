"""`hub digest send` against a real SMTP server: one message each, right variant and headers."""

from __future__ import annotations

import re
from email.message import EmailMessage

from community_digest.tokens import TokenSigner

from .conftest import ISSUE, SECRET, expected_variant, people, states


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


def test_300_subscribers_get_exactly_one_message_each(hub, smtp, db, subscribe):
    everyone = people(300)
    subscribe(everyone)
    subscribe(people(20, frequency="monthly", start=1000))  # not this issue's frequency

    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert run.code == 0, run.err
    assert "This run: 300 sent, 0 failed, 0 deferred, 0 skipped, 0 possibly sent." in run.out
    counts = smtp.handler.count_by_recipient()
    assert counts == {person.email: 1 for person in everyone}
    assert set(states(db).values()) == {"sent"}
    by_address = {m.rcpt_tos[0]: m.parsed() for m in smtp.handler.messages}
    ids = {row[0]: row[1] for row in db.execute("SELECT email, id FROM subscribers")}
    signer = TokenSigner(SECRET.encode())
    for person in everyone:
        message = by_address[person.email]
        assert message["To"] == f"{person.name} <{person.email}>"
        assert message["From"] == "Mobility Hub <digest@hub.test>"
        assert message["Subject"] == "Perspectives — Q3 2025"
        assert message["Precedence"] == "bulk"
        assert message["List-Id"] == "Test Hub digest <digest.hub.test>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/alternative"
        token = signer.token(ids[person.email], person.email)
        assert message["List-Unsubscribe"] == (
            f"<mailto:unsubscribe@hub.test?subject=unsubscribe%20{token}>, "
            f"<https://hub.test/unsubscribe/?token={token}>"
        )
        text, html = _body(message, "plain"), _body(message, "html")
        variant = expected_variant(person)
        assert f"variant={variant} — é" in text and f"variant={variant} — é" in html
        assert f"Hello {person.name}," in text and f"Hello {person.name}," in html
        assert f'href="https://hub.test/unsubscribe/?token={token}"' in html
        assert "\n.leading dot\n" in text  # dot-stuffing undone by the server
        assert re.fullmatch(r"<digest\.2025-q3\.[0-9a-f]{24}@hub\.test>", message["Message-ID"])
    assert len({m.parsed()["Message-ID"] for m in smtp.handler.messages}) == 300


def test_rerun_after_a_complete_send_sends_nothing(hub, smtp, subscribe):
    subscribe(people(5))
    assert hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes").code == 0
    again = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert again.code == 0, again.err
    assert "This run: 0 sent" in again.out
    assert "5 sent, 0 failed, 0 pending" in again.out
    assert len(smtp.handler.messages) == 5


def test_max_and_rate_limit_a_run_and_a_rerun_resumes(hub, smtp, subscribe):
    subscribe(people(12))
    first = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--max", "5", "--rate", "50/s", "--yes")
    assert first.code == 0, first.err
    assert "This run: 5 sent" in first.out and "7 not sent yet" in first.out
    second = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert "This run: 7 sent" in second.out
    assert set(smtp.handler.count_by_recipient().values()) == {1}
    assert len(smtp.handler.messages) == 12


def test_rate_limit_paces_the_messages(hub, smtp, subscribe):
    import time

    subscribe(people(11))
    started = time.monotonic()
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--rate", "20/s", "--yes")
    assert run.code == 0, run.err
    assert time.monotonic() - started >= 0.5  # 11 messages, 10 gaps of 50 ms


def test_one_click_links_need_the_secret(hub, smtp, subscribe, monkeypatch):
    subscribe(people(1))
    monkeypatch.delenv("HUB_UNSUBSCRIBE_SECRET")
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert run.code == 1
    assert run.err.startswith(
        "HUB_UNSUBSCRIBE_SECRET is not set; extra.hub.digest.unsubscribe_url (one-click unsubscribe) needs it"
    )
    assert smtp.handler.messages == []


def test_an_issue_not_built_yet_is_compiled_first_for_the_subscribers_segments(
    hub, hub_dir, smtp, subscribe, monkeypatch
):
    import shutil

    from community_digest import send_plan
    from community_digest.compiled import load_compiled

    from .conftest import write_compiled

    shutil.rmtree(hub_dir / "digest-out" / ISSUE)
    subscribe(people(6))
    calls = []

    def compile_issue(project, issue, *, segments=None, **options):
        calls.append((issue, segments))
        write_compiled(hub_dir / "digest-out", issue)
        return load_compiled(hub_dir / "digest-out", issue)

    monkeypatch.setattr(send_plan, "compile_issue", compile_issue)
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert run.code == 0, run.err
    segments = [("en", ()), ("en", ("mentoring",)), ("fr", ()), ("fr", ("mentoring",))]
    assert calls == [(ISSUE, segments)]
    assert len(smtp.handler.messages) == 6
