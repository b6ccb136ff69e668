"""A send and the service on the same database at the same time: nothing lost, nobody twice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from community_digest.subscribers import SubscriberBook
from community_digest.tokens import TokenSigner
from tests.digest_send.conftest import people
from tests.digest_send.smtp_server import SmtpServer

from .conftest import ISSUE, SECRET, form, link_in, row

HUB = Path(sys.executable).with_name("hub")


def test_subscribes_and_unsubscribes_while_a_send_runs(service, smtp: SmtpServer, db: sqlite3.Connection,
                                                        hub_dir: Path) -> None:  # fmt: skip
    book = SubscriberBook(db)
    book.add_many(people(150))
    leaving = [book.require(f"person{i:04d}@example.org") for i in range(0, 150, 10)]
    signer = TokenSigner(SECRET.encode())
    send = subprocess.Popen(
        [str(HUB), "-f", str(hub_dir / "mkdocs.yml"), "digest", "send", ISSUE, "--smtp", smtp.url, "--yes",
         "--rate", "150/s"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while db.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0:  # wait for the frozen list
            assert time.monotonic() < deadline and send.poll() is None, send.stderr.read() if send.stderr else ""
            time.sleep(0.02)
        with httpx.Client(base_url=service.url, timeout=10) as http, ThreadPoolExecutor(8) as pool:
            subscribed = list(pool.map(lambda i: http.post("subscribe", data=form(f"new{i}@example.org"),
                                                           headers={"X-Forwarded-For": f"192.0.2.{i}"}), range(30)))
            one_click = list(pool.map(
                lambda s: http.post("unsubscribe", params={"token": signer.token(s.id, s.email)},
                                    data={"List-Unsubscribe": "One-Click"}),
                leaving,
            ))  # fmt: skip
            mails = list(smtp.handler.messages)
            links = {m.rcpt_tos[0]: link_in(m) for m in mails if "Confirm" in m.parsed()["Subject"]}
            confirmed = list(pool.map(lambda link: http.post("confirm", data={"token": link.split("token=")[1]}),
                                      links.values()))  # fmt: skip
        out, err = send.communicate(timeout=60)
    finally:
        if send.poll() is None:
            send.kill()
    assert send.returncode == 0, err
    assert {a.status_code for a in subscribed + one_click + confirmed} == {200}
    assert len(links) == 30
    assert all(row(db, f"new{i}@example.org")["status"] == "active" for i in range(30))
    assert all(row(db, s.email)["status"] == "unsubscribed" for s in leaving)
    counts = smtp.handler.count_by_recipient()
    assert max(counts.values()) == 1  # nobody twice
    digest_to = {m.rcpt_tos[0] for m in smtp.handler.messages if "Perspectives" in str(m.parsed()["Subject"])}
    assert not any(address.startswith("new") for address in digest_to)  # the frozen list stays frozen
    states = dict(db.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())
    assert states.get("sent", 0) + states.get("skipped", 0) == 150 and states.get("sent", 0) == len(digest_to)
