"""`hub subscribers serve` as an operator runs it: refusals, then a real start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from tests.digest_send.smtp_server import SmtpServer

HUB = Path(sys.executable).with_name("hub")


def serve(hub_dir: Path, smtp: SmtpServer, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [str(HUB), "-f", str(hub_dir / "mkdocs.yml"), "subscribers", "serve", "--port", str(port),
               "--smtp", smtp.url]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_it_refuses_to_start_without_the_secret(hub_dir: Path, smtp: SmtpServer, port: int) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HUB_UNSUBSCRIBE_SECRET"}
    process = serve(hub_dir, smtp, port, env)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "HUB_UNSUBSCRIBE_SECRET is not set" in err and "Traceback" not in err


def test_it_refuses_to_start_without_its_url(hub_dir: Path, smtp: SmtpServer, port: int) -> None:
    config_file = hub_dir / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    del config["extra"]["hub"]["subscriptions"]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    process = serve(hub_dir, smtp, port, dict(os.environ))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "extra.hub.subscriptions.url is not set" in err and "Traceback" not in err


def test_it_serves_on_loopback_and_stops_on_sigterm(hub_dir: Path, smtp: SmtpServer, port: int) -> None:
    process = serve(hub_dir, smtp, port, dict(os.environ))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
                time.sleep(0.1)
        assert answer.status_code == 200 and "server" not in answer.headers
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    assert "Subscriptions for http://127.0.0.1:" in err
    assert (hub_dir / ".hub" / "subscribers.sqlite3").is_file()
