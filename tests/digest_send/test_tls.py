"""--starttls and --ssl against aiosmtpd with a throwaway certificate for 127.0.0.1."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from .conftest import ISSUE, people
from .smtp_server import Script

pytestmark = [
    pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command"),
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),  # --ssl: see SmtpServer
]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_context(certificate, monkeypatch) -> ssl.SSLContext:
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the sender trusts it like a real CA
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize("mode", ["--starttls", "--ssl"])
def test_login_over_tls(mode, hub, smtp_factory, subscribe, monkeypatch, tls_context):
    subscribe(people(3))
    server = smtp_factory(Script(password="s3cret"), tls=tls_context, implicit_tls=mode == "--ssl")
    monkeypatch.setenv("HUB_SMTP_USER", "digest")
    monkeypatch.setenv("HUB_SMTP_PASSWORD", "s3cret")
    run = hub("digest", "send", ISSUE, "--smtp", server.url, mode, "--yes")
    assert run.code == 0, run.err
    assert len(server.handler.messages) == 3 and server.handler.logins == ["digest"]


def test_the_password_is_not_sent_in_clear_to_another_host(hub, monkeypatch):
    monkeypatch.setenv("HUB_SMTP_USER", "digest")
    monkeypatch.setenv("HUB_SMTP_PASSWORD", "s3cret")
    run = hub("digest", "send", ISSUE, "--smtp", "smtp://mail.example.org:587", "--yes")
    assert run.code == 1
    assert run.err.strip() == (
        "refusing to send the SMTP password unencrypted to mail.example.org:587; add --starttls or --ssl"
    )
