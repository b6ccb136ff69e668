"""The message itself: encoding, headers that nothing can inject into, dry runs, test copies."""

from __future__ import annotations

import json
import random
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from community_digest.compiled import load_compiled
from community_digest.messages import MessageComposer, Recipient, _Template, _to_header
from community_digest.placeholders import Sentinels
from community_digest.tokens import TokenSigner
from generator.content.settings import DigestSettings

from .conftest import DIGEST, ISSUE, SECRET, people, write_compiled

SETTINGS = DigestSettings(**{k: v for k, v in DIGEST.items() if k not in ("database",)})


def _composer(hub_dir, settings: DigestSettings = SETTINGS, **kw) -> MessageComposer:
    compiled = load_compiled(hub_dir / "digest-out", ISSUE)
    assert compiled is not None
    return MessageComposer(compiled, settings, "Test Hub", TokenSigner(SECRET.encode()), **kw)


def _parse(data: bytes) -> EmailMessage:
    return message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


@pytest.mark.parametrize(
    "name",
    [
        "Eve\r\nBcc: victim@example.net",
        "Eve\nBcc: victim@example.net",
        "Eve\rBcc: victim@example.net",
        'Doe, "J." <attacker@example.net>',
        "Zoë 山田 \u2028Bcc: victim@example.net",
        "=?utf-8?q?Bcc=3A_victim=40example=2Enet?=",
    ],
)
def test_names_cannot_inject_headers_or_recipients(hub_dir, name):
    composer = _composer(hub_dir)
    variant = composer.compiled.full_variant()
    message = _parse(composer.render(variant, Recipient("eve@example.org", name, 7)).data)
    assert message["Bcc"] is None and message["Cc"] is None
    to = message["To"].addresses
    assert [a.addr_spec for a in to] == ["eve@example.org"]
    assert "\n" not in to[0].display_name and "\r" not in to[0].display_name
    html = message.get_body(("html",)).get_content()
    assert "<attacker@" not in html  # escaped in the HTML part


def test_subject_with_a_line_break_stays_one_header(hub_dir):
    issue_dir = write_compiled(hub_dir / "digest-out", "evil")
    manifest = json.loads((issue_dir / "manifest.json").read_text())
    manifest["subject"] = "Perspectives\r\nBcc: victim@example.net — Zürich"
    (issue_dir / "manifest.json").write_text(json.dumps(manifest))
    compiled = load_compiled(hub_dir / "digest-out", "evil")
    composer = MessageComposer(compiled, SETTINGS, "Test Hub", TokenSigner(SECRET.encode()))
    message = _parse(composer.render(compiled.full_variant(), Recipient("a@example.org")).data)
    assert message["Bcc"] is None
    assert message["Subject"] == "Perspectives Bcc: victim@example.net — Zürich"


def test_each_variant_has_its_own_subject_in_its_language(hub_dir):
    issue_dir = write_compiled(hub_dir / "digest-out", "worded")
    manifest = json.loads((issue_dir / "manifest.json").read_text())
    french = next(variant for variant in manifest["variants"] if variant["language"] == "fr")
    french["subject"] = "La lettre de Test Hub —\r\nBcc: victim@example.net 1 juil. – 30 sept. 2025"
    (issue_dir / "manifest.json").write_text(json.dumps(manifest))
    compiled = load_compiled(hub_dir / "digest-out", "worded")
    composer = MessageComposer(compiled, SETTINGS, "Test Hub", TokenSigner(SECRET.encode()), test_copy=True)
    variant = compiled.variant_for("fr", ())
    message = _parse(composer.render(variant, Recipient("a@example.org")).data)
    assert message["Bcc"] is None
    assert message["Subject"] == "La lettre de Test Hub — Bcc: victim@example.net 1 juil. – 30 sept. 2025 [test]"
    english = _parse(composer.render(compiled.full_variant("en"), Recipient("b@example.org")).data)
    assert english["Subject"] == compiled.subject + " [test]"  # a variant without one: the issue's


def test_plain_names_are_written_as_the_email_package_would(hub_dir):
    for name in ("Ana Lima", "Anne-Marie O'Neil", "X", "Jo 2"):
        reference = EmailMessage(policy=policy.SMTP)
        reference["To"] = Address(display_name=name, addr_spec="a@example.org")
        expected = reference.as_bytes().removesuffix(b"\r\n")
        assert _to_header(name, "a@example.org") == expected


@pytest.mark.parametrize("name", ["Zoë 山田", 'J. "Jo" Doe, Jr.', "=?utf-8?q?x?=", "Émilie Dubois-Laurent"])
def test_other_names_read_back_exactly(name):
    parsed = _parse(_to_header(name, "a@example.org") + b"\r\n")
    [address] = parsed["To"].addresses
    assert (address.display_name, address.addr_spec) == (name, "a@example.org")


def test_template_encoding_decodes_to_the_filled_text_with_short_lines():
    """Random text, tokens anywhere: QP lines stay within 76 and decode to the filled text."""
    rng = random.Random(1)
    alphabet = "ab cdé—\t.=<>&\"'" + "x" * 10

    def noise(longest: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))

    for _ in range(1000):
        chunks = [noise(200) for _ in range(4)]
        text = "\n".join(chunks) + f"%%name%%{chunks[1]} .\n%%unsubscribe_url%%%%name%%{chunks[2]} "
        values = {
            "%%name%%": noise(100).replace("\t", " ").strip(),
            "%%unsubscribe_url%%": "https://hub.test/u/?token=" + "A" * rng.randint(0, 100),
        }
        sentinels = Sentinels()  # every token in this text is one to fill
        text, slots = sentinels.locate(sentinels.put(text))
        encoded = _Template.of(text, slots).fill(values)
        lines = encoded.split(b"\r\n")
        assert all(len(line) <= 76 and not line.endswith((b" ", b"\t")) for line in lines)
        assert b"\n" not in encoded.replace(b"\r\n", b"")
        part = _parse(
            b'Content-Type: text/plain; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + encoded
        )
        expected = text.replace("%%name%%", values["%%name%%"]).replace(
            "%%unsubscribe_url%%", values["%%unsubscribe_url%%"]
        )
        assert part.get_content().replace("\r\n", "\n") == expected + "\n"


def test_without_an_unsubscribe_url_there_is_no_one_click_header(hub_dir):
    settings = SETTINGS.model_copy(update={"unsubscribe_url": None})
    composer = _composer(hub_dir, settings)
    message = _parse(composer.render(composer.compiled.full_variant(), Recipient("a@example.org", "A", 3)).data)
    token = TokenSigner(SECRET.encode()).token(3, "a@example.org")
    assert message["List-Unsubscribe"] == f"<mailto:unsubscribe@hub.test?subject=unsubscribe%20{token}>"
    assert message["List-Unsubscribe-Post"] is None
    assert f"mailto:unsubscribe@hub.test?subject=unsubscribe%20{token}" in message.get_body(("plain",)).get_content()


def test_html_escapes_the_name_and_text_keeps_it(hub_dir):
    composer = _composer(hub_dir)
    message = _parse(
        composer.render(composer.compiled.full_variant(), Recipient("a@example.org", "Tom & <Jerry>", 3)).data
    )
    assert "Hello Tom &amp; &lt;Jerry&gt;," in message.get_body(("html",)).get_content()
    assert "Hello Tom & <Jerry>," in message.get_body(("plain",)).get_content()


def test_dry_run_writes_every_message_and_sends_nothing(hub, hub_dir, db, subscribe):
    subscribe(people(7))
    out = hub_dir / "dry"
    run = hub("digest", "send", ISSUE, "--dry-run", str(out))
    assert run.code == 0, run.err
    assert run.out.strip() == f"Wrote 7 message(s) to {out}; nothing was sent."
    files = sorted(out.glob("*.eml"))
    assert len(files) == 7
    first = _parse(files[0].read_bytes())
    assert first["To"] == "Person 0 <person0000@example.org>" and first["List-Unsubscribe-Post"]
    assert db.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0


def test_to_sends_one_test_copy_without_touching_the_ledger(hub, smtp, db, subscribe):
    subscribe(people(3))
    run = hub(
        "digest",
        "send",
        ISSUE,
        "--smtp",
        smtp.url,
        "--to",
        "editor@example.org",
        "--variant",
        "fr-all",
    )
    assert run.code == 0, run.err
    assert run.out.startswith("Sent a test copy of 2025-q3 (fr-all) to editor@example.org: 250")
    [message] = smtp.handler.messages
    parsed = message.parsed()
    assert message.rcpt_tos == ("editor@example.org",)
    assert parsed["Subject"] == "Perspectives — Q3 2025 [test]"
    assert "variant=fr-all" in parsed.get_body(("plain",)).get_content()
    assert db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0


def test_custom_periods_need_a_frequency(hub, hub_dir, smtp, subscribe):
    write_compiled(hub_dir / "digest-out", "spring-special", label="2025-03-01..2025-05-31", kind="custom")
    subscribe(people(2, frequency="monthly"))
    run = hub("digest", "send", "spring-special", "--smtp", smtp.url, "--yes")
    assert run.code == 1
    assert run.err.strip() == (
        "spring-special: its period '2025-03-01..2025-05-31' is not a week, month or quarter; "
        "say who gets it with --frequency (weekly, monthly, quarterly, repeatable)"
    )
    ok = hub("digest", "send", "spring-special", "--smtp", smtp.url, "--frequency", "monthly", "--yes")
    assert "This run: 2 sent" in ok.out
    other = hub("digest", "send", "spring-special", "--smtp", smtp.url, "--frequency", "weekly", "--yes")
    assert other.code == 1 and "rerun it with the same --frequency" in other.err


def test_without_yes_the_send_asks_first(hub, smtp, db, subscribe, monkeypatch):
    import io

    subscribe(people(2))
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    run = hub("digest", "send", ISSUE, "--smtp", smtp.url)
    assert "Send 'Perspectives — Q3 2025' to 2 quarterly subscriber(s) through 127.0.0.1:" in run.err
    assert run.code == 130 and smtp.handler.messages == []
    assert db.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0
