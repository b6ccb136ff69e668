"""`hub subscribers ...`: import (each bad row reported), add, list, export, unsubscribe, remove."""

from __future__ import annotations

import textwrap

from community_digest.tokens import INVALID_TOKEN, TokenSigner

from .conftest import ISSUE, SECRET, people

TOPICS = "integration, mentoring, partner-career"


def _csv(hub_dir, text: str, name: str = "people.csv"):
    path = hub_dir / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


BAD = """
    email,name,language,topics,frequency
    ana@example.org,Ana Lima,pt,mentoring;integration,monthly
    not-an-address,Bob,en,,weekly
    cy@example.org,Cy,english,,weekly
    dee@example.org,Dee,en,cooking;mentoring,weekly
    eve@example.org,Eve,en,,daily
    ANA@example.org,Ana again,pt,,monthly
    fay@example.org,"Fay
    Bcc: victim@example.net",en,,weekly
    gus@example.org,Gus,de,,quarterly,extra

    hal@example.org,,,,
"""
BAD_REPORT = [
    "email: expected an e-mail address like name@example.org (An email address must have an "
    "@-sign), got 'not-an-address'",
    "language: expected an ISO 639-1 language code like en, fr or pt, got 'english'",
    f"topics: expected topic ids from topics.yml ({TOPICS}), got 'cooking'",
    "frequency: expected weekly, monthly or quarterly, got 'daily'",
    "email: expected each address once in the file (first on line 2), got 'ANA@example.org'",
    "name: expected a name on one line, at most 200 characters, got 'Fay\\nBcc: victim@example.net'",
    "row: expected 5 fields as in the header, got 6",
]


def test_import_reports_every_bad_row_with_its_line_and_imports_nothing(hub, hub_dir, db):
    path = _csv(hub_dir, BAD)
    run = hub("subscribers", "import", str(path))
    assert run.code == 1
    lines = [3, 4, 5, 6, 7, 8, 10]
    expected = [f"{path}:{line}: {message}" for line, message in zip(lines, BAD_REPORT, strict=True)]
    expected.append(
        f"{path}: 7 problem(s); nothing was imported (fix the file, or add --skip-invalid to import the good rows)"
    )
    assert run.err.splitlines() == expected
    assert db.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 0


def test_skip_invalid_imports_the_good_rows_and_lists_the_rest(hub, hub_dir, db):
    path = _csv(hub_dir, BAD)
    run = hub("subscribers", "import", str(path), "--skip-invalid")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [f"Imported 2 subscriber(s) from {path}."]
    assert run.err.count(f"{path}:") == 7
    rows = db.execute("SELECT email, name, language, topics, frequency FROM subscribers").fetchall()
    assert [tuple(row) for row in rows] == [
        ("ana@example.org", "Ana Lima", "pt", "integration;mentoring", "monthly"),
        ("hal@example.org", "", "en", "", "monthly"),  # defaults: site language, all, monthly
    ]


def test_existing_addresses_are_left_alone_and_unsubscribed_ones_stay_unsubscribed(hub, hub_dir):
    assert hub("subscribers", "add", "ana@example.org", "--name", "Ana").code == 0
    assert hub("subscribers", "add", "bo@example.org").code == 0
    assert hub("subscribers", "unsubscribe", "BO@example.org").code == 0
    path = _csv(
        hub_dir,
        """
        EMAIL,Name
        Ana@Example.org,Ana Renamed
        bo@example.org,Bo
        cy@example.org,Cy
    """,
    )
    run = hub("subscribers", "import", str(path))
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        f"Imported 1 subscriber(s) from {path}.",
        "1 already subscribed: left unchanged.",
        "1 unsubscribed earlier: not resubscribed (only `hub subscribers add EMAIL "
        "--resubscribe`, at their request, does that).",
    ]
    listing = hub("subscribers", "list").out
    assert "Ana Renamed" not in listing
    assert "bo@example.org" in listing and "unsubscribed" in listing


def test_header_problems(hub, hub_dir):
    path = _csv(hub_dir, "mail,name\nx@example.org,X\n")
    run = hub("subscribers", "import", str(path))
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        f"{path}:1: header: expected an email column, got 'mail, name'",
        f"{path}:1: header: expected columns from email, name, language, topics, frequency, status, got 'mail'",
    ]


def test_add_checks_fields_and_refuses_duplicates(hub):
    bad = hub("subscribers", "add", "x@example", "--language", "xx", "--topics", "nope")
    assert bad.code == 1
    assert bad.err.splitlines() == [
        "email: expected an e-mail address like name@example.org (The part after the @-sign "
        "is not valid. It should have a period), got 'x@example'",
        "language: expected an ISO 639-1 language code like en, fr or pt, got 'xx'",
        f"topics: expected topic ids from topics.yml ({TOPICS}), got 'nope'",
    ]
    assert hub("subscribers", "add", "x@example.org", "--topics", "mentoring,integration").code == 0
    again = hub("subscribers", "add", "X@EXAMPLE.ORG")
    assert (again.code, again.err.strip()) == (1, "X@example.org is already subscribed")


def test_export_reimports_to_the_same_subscribers(hub, hub_dir, subscribe):
    subscribe(people(5))
    hub("subscribers", "unsubscribe", "person0002@example.org")
    out = hub_dir / "export.csv"
    assert hub("subscribers", "export", str(out)).code == 0
    exported = out.read_text(encoding="utf-8")
    assert exported.splitlines()[0] == "email,name,language,topics,frequency,status"
    assert "person0002@example.org,Person 2,en,,quarterly,unsubscribed" in exported
    for number in range(5):
        hub("subscribers", "remove", f"person{number:04d}@example.org")
    assert hub("subscribers", "import", str(out)).code == 0
    assert hub("subscribers", "export").out == exported.replace("\n", "\r\n")  # RFC 4180 line ends


def test_unsubscribe_by_token_checks_the_hmac(hub, db, subscribe):
    subscribe(people(2))
    subscriber_id = db.execute("SELECT id FROM subscribers ORDER BY id").fetchone()[0]
    token = TokenSigner(SECRET.encode()).token(subscriber_id, "person0000@example.org")
    forged = TokenSigner(b"not the secret, but long").token(subscriber_id, "person0000@example.org")
    bad = hub("subscribers", "unsubscribe", "--token", forged)
    assert (bad.code, bad.err.strip()) == (1, INVALID_TOKEN)
    garbage = hub("subscribers", "unsubscribe", "--token", "12345")
    assert garbage.code == 1 and garbage.err.startswith("invalid unsubscribe token")
    ok = hub("subscribers", "unsubscribe", "--token", token)
    assert (ok.code, ok.out.strip()) == (0, f"Unsubscribed subscriber #{subscriber_id}.")
    assert "person0000" not in ok.out + ok.err  # the token names nobody, neither does the reply
    status = db.execute("SELECT status FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()
    assert status[0] == "unsubscribed"


def test_unsubscribe_by_token_needs_the_secret(hub, subscribe, monkeypatch):
    subscribe(people(1))
    monkeypatch.delenv("HUB_UNSUBSCRIBE_SECRET")
    run = hub("subscribers", "unsubscribe", "--token", "1.AAAAAAAAAAAAAAAAAAAAAA")
    assert run.code == 1 and run.err.startswith("HUB_UNSUBSCRIBE_SECRET is not set;")


def test_unsubscribed_before_the_send_and_removed_or_unsubscribed_during_it_get_nothing(hub, smtp, db, subscribe):
    batch = people(10)
    subscribe(batch)
    hub("subscribers", "unsubscribe", batch[1].email)  # before the send: not on the list
    first = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--max", "3", "--yes")
    assert "This run: 3 sent" in first.out
    hub("subscribers", "unsubscribe", batch[6].email)  # during the send
    removed = hub("subscribers", "remove", batch[7].email)
    assert removed.out.strip().endswith("1 delivery record(s) no longer name them.")

    rest = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")

    assert "This run: 4 sent, 0 failed, 0 deferred, 1 skipped" in rest.out
    received = smtp.handler.count_by_recipient()
    assert received == {p.email: 1 for i, p in enumerate(batch) if i not in (1, 6, 7)}
    erased = db.execute("SELECT state, message_id, last_reply FROM deliveries WHERE subscriber_id IS NULL").fetchall()
    assert [tuple(row) for row in erased] == [("skipped", None, "subscriber removed")]
    assert db.execute("SELECT COUNT(*) FROM subscribers WHERE email = ?", (batch[7].email,)).fetchone()[0] == 0
