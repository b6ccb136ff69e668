"""DKIM: digests and the service's mails, verified by dkimpy against the configured public key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dkim
import httpx
import pytest
import yaml
from dkim import dknewkey

from tests.digest_send.smtp_server import SmtpServer

from .conftest import ISSUE, SITE, form, wait_for_mail

SELECTOR, DOMAIN = "hub2025", "hub.test"


@pytest.fixture
def dns_record(hub_dir: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A fresh key pair (dkimpy's own key generator): the private key in HUB_DKIM_KEY_FILE,
    and the TXT record an operator would publish, to verify with."""
    key_file, record_file = hub_dir / "dkim.pem", hub_dir / "dkim.txt"
    dknewkey.GenRSAKeys(str(key_file), verbose=False)
    dknewkey.ExtractRSADnsPublicKey(str(key_file), str(record_file), verbose=False)
    monkeypatch.setenv("HUB_DKIM_KEY_FILE", str(key_file))
    config_file = hub_dir / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["hub"]["digest"]["dkim"] = {"selector": SELECTOR, "domain": DOMAIN}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return record_file.read_bytes()


def verifier(record: bytes) -> Callable[..., bytes | None]:
    """dkimpy's DNS lookup, answered with the record the operator would publish."""

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return dnsfunc


def test_a_sent_digest_is_signed_with_its_list_headers(dns_record: bytes, hub, smtp: SmtpServer, db) -> None:
    db.execute("INSERT INTO subscribers (email, language, frequency, status, created_at) "
               "VALUES ('ana@example.org', 'en', 'quarterly', 'active', 'x')")  # fmt: skip
    result = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert result.code == 0, result.err
    (message,) = smtp.handler.messages
    assert dkim.verify(message.data, dnsfunc=verifier(dns_record))
    header = str(message.parsed()["DKIM-Signature"]).replace(" ", "").replace("\r\n", "")
    signed = header.split("h=", 1)[1].split(";", 1)[0].lower().split(":")
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "subject"} <= set(signed)
    assert f"d={DOMAIN}" in header and f"s={SELECTOR}" in header
    # Changing the one-click link breaks the signature.
    tampered = message.data.replace(b"unsubscribe?token=", b"unsubscribe?token=1", 1)
    assert tampered != message.data and not dkim.verify(tampered, dnsfunc=verifier(dns_record))


def test_the_services_confirmation_mail_is_signed(dns_record: bytes, make_service, smtp: SmtpServer) -> None:
    service = make_service()
    with httpx.Client(base_url=service.url, timeout=10, headers={"Origin": SITE}) as http:
        assert http.post("subscribe", data=form("ana@example.org")).status_code == 200
    (message,) = wait_for_mail(smtp, 1)
    assert dkim.verify(message.data, dnsfunc=verifier(dns_record))
    tampered = message.data.replace(b"works for 48 hours", b"works for 99 hours")
    assert tampered != message.data and not dkim.verify(tampered, dnsfunc=verifier(dns_record))


def test_a_missing_key_file_is_a_clear_error(dns_record: bytes, hub, hub_dir: Path, smtp: SmtpServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("HUB_DKIM_KEY_FILE", str(hub_dir / "missing.pem"))
    result = hub("digest", "send", ISSUE, "--smtp", smtp.url, "--yes")
    assert result.code == 1 and "HUB_DKIM_KEY_FILE: cannot read the DKIM key" in result.err
    assert smtp.handler.messages == []
