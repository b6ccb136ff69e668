"""Load on the subscription service while a digest send runs on the same database.

    .venv/bin/python bench/subscriptions_load.py [--subscribes 300] [--unsubscribes 300]
        [--recipients 1000] [--concurrency 8] [--max-seconds 60]

Everything runs on loopback: a counting aiosmtpd server in its own process, the
real `hub subscribers serve` and `hub digest send` as subprocesses over one
SQLite file, and an async HTTP client. While the send runs, the client posts
subscribe forms (each from another client address, as the reverse proxy would
name them) and RFC 8058 one-click unsubscribes, then confirms every request it
made (the confirm link is signed here from the database's nonce, as the mailed
one is). It prints requests per second, p50/p99 latency and the final counts:
every confirmed subscription active and every one-click unsubscribed.
Targets: 200 requests/s, p99 under 100 ms. Exit 1 when a count is off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from itertools import zip_longest
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_send import _free_port, _serve_in_background  # noqa: E402

SECRET = "bench-secret-0123456789"
TARGET_RATE, TARGET_P99_MS = 200.0, 100.0


def _write_hub(root: Path, port: int) -> str:
    """The digest tests' small hub (an issue intro and a hub feed written to the contract),
    with the service configured; returns the issue, compiled for real by the send."""
    from tests.digest.hubproject import make_project

    config_file = make_project(root)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["hub"]["subscriptions"] = {"url": f"http://127.0.0.1:{port}/"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return "2025-q3"


def _recipients(root: Path, count: int) -> list[tuple[int, str]]:
    """`count` active quarterly subscribers; their (id, address)."""
    from community_digest.store import open_database
    from community_digest.subscriber_fields import SubscriberFields
    from community_digest.subscribers import SubscriberBook

    conn = open_database(root / ".hub" / "subscribers.sqlite3")
    people = [SubscriberFields(f"reader{i:05d}@example.org", frequency="quarterly") for i in range(count)]
    SubscriberBook(conn).add_many(people)
    rows = conn.execute("SELECT id, email FROM subscribers ORDER BY id").fetchall()
    conn.close()
    return [(row[0], row[1]) for row in rows]


def _hub(root: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("hub")), "-f", str(root / "mkdocs.yml"), *args]


async def _timed(latencies: list[float], codes: list[int], call: Callable[[], Awaitable[httpx.Response]]) -> None:
    started = time.perf_counter()
    response = await call()
    latencies.append((time.perf_counter() - started) * 1000)
    codes.append(response.status_code)


async def _drive(calls: list[Callable[[], Awaitable[httpx.Response]]], concurrency: int, deadline: float,
                 latencies: list[float], codes: list[int]) -> None:  # fmt: skip
    queue = list(reversed(calls))

    async def worker() -> None:
        while queue and time.monotonic() < deadline:
            await _timed(latencies, codes, queue.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _client(number: int) -> dict[str, str]:
    """Each visitor at their own address, as the reverse proxy in front of the service names them."""
    return {"X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"}


def _confirm_tokens(database: Path, emails: list[str]) -> list[str]:
    """The confirm token each person would find in their mail (signed with the service's secret)."""
    from community_digest.tokens import TokenSigner, scoped_token

    signer, expires = TokenSigner(SECRET.encode()), int(time.time()) + 3600
    conn = sqlite3.connect(database)
    tokens = []
    for email in emails:
        row = conn.execute("SELECT id, email, confirm_nonce FROM subscribers WHERE email = ?", (email,)).fetchone()
        if row and row[2]:
            tokens.append(scoped_token(signer, "confirm", row[0], row[1], expires=expires, nonce=row[2]))
    conn.close()
    return tokens


async def _load(url: str, args: argparse.Namespace, leaving: list[tuple[int, str]], database: Path) -> dict:
    from community_digest.tokens import TokenSigner

    signer = TokenSigner(SECRET.encode())
    latencies: list[float] = []
    codes: list[int] = []
    emails = [f"new{i:05d}@example.org" for i in range(args.subscribes)]
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=10, limits=limits) as http:

        def subscribe(i: int) -> Callable[[], Awaitable[httpx.Response]]:
            data = {"email": emails[i], "language": "en", "frequency": "monthly", "website": ""}
            return lambda: http.post("subscribe", data=data, headers=_client(i))

        def one_click(person: tuple[int, str]) -> Callable[[], Awaitable[httpx.Response]]:
            token = signer.token(*person)
            return lambda: http.post("unsubscribe", params={"token": token}, data={"List-Unsubscribe": "One-Click"},
                                     headers=_client(100_000 + person[0]))  # fmt: skip

        kinds = zip_longest([subscribe(i) for i in range(args.subscribes)], [one_click(p) for p in leaving])
        mixed = [call for pair in kinds for call in pair if call is not None]  # the two kinds interleaved
        started = time.perf_counter()
        deadline = time.monotonic() + args.max_seconds
        await _drive(mixed, args.concurrency, deadline, latencies, codes)
        confirms = [
            (lambda token=token, i=i: http.post("confirm", data={"token": token}, headers=_client(i)))
            for i, token in enumerate(_confirm_tokens(database, emails))
        ]
        await _drive(confirms, args.concurrency, deadline, latencies, codes)
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "codes": codes, "elapsed": elapsed, "confirms": len(confirms), "emails": emails}


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the service stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(f"{url}health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit("the service did not answer within 30 s")


def _wait_for_freeze(database: Path, send: subprocess.Popen, seconds: float = 60) -> None:
    """The load starts once the send has frozen its list (after compiling the issue)."""
    deadline = time.monotonic() + seconds
    conn = sqlite3.connect(database)
    try:
        while conn.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0:
            if send.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the send did not begin: {send.stderr.read() if send.stderr else ''}")
            time.sleep(0.02)
    finally:
        conn.close()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribes", type=int, default=300)
    parser.add_argument("--unsubscribes", type=int, default=300)
    parser.add_argument("--recipients", type=int, default=1000, help="Subscribers the send goes to.")
    parser.add_argument("--concurrency", type=int, default=8, help="Requests in flight at once.")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--no-send", action="store_true", help="The same load with no send beside it.")
    args = parser.parse_args()
    args.unsubscribes = min(args.unsubscribes, args.recipients)
    return args


def _start_send(root: Path, issue: str, smtp_url: str, env: dict[str, str]) -> subprocess.Popen:
    send = subprocess.Popen(_hub(root, "digest", "send", issue, "--yes", "--smtp", smtp_url), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    _wait_for_freeze(root / ".hub" / "subscribers.sqlite3", send)
    return send


def main() -> None:
    args = _arguments()
    root = Path(tempfile.mkdtemp(prefix="hub-subscriptions-bench-"))
    env = {**os.environ, "HUB_UNSUBSCRIBE_SECRET": SECRET}
    for name in ("HUB_SMTP_USER", "HUB_SMTP_PASSWORD", "HUB_DKIM_KEY_FILE"):
        env.pop(name, None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    issue = _write_hub(root, port)
    people = _recipients(root, args.recipients)
    leaving = people[-args.unsubscribes :] if args.unsubscribes else []
    smtp, smtp_port, _ = _serve_in_background()
    smtp_url = f"smtp://127.0.0.1:{smtp_port}"
    service = subprocess.Popen(_hub(root, "subscribers", "serve", "--port", str(port), "--smtp", smtp_url),
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    send = None
    try:
        _wait_for(url, service)
        send = None if args.no_send else _start_send(root, issue, smtp_url, env)
        result = asyncio.run(_load(url, args, leaving, root / ".hub" / "subscribers.sqlite3"))
        send_code, send_err = (send.wait(600), send.stderr.read()) if send else (None, "")
    finally:
        service.terminate()
        service.wait(20)
        if send and send.poll() is None:
            send.kill()
        smtp.terminate()
        smtp.join(5)
    ok = _report(root, args, result, leaving, send_code, send_err)
    shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if ok else 1)


def _report(root: Path, args: argparse.Namespace, result: dict, leaving: list[tuple[int, str]],
            send_code: int | None, send_err: str) -> bool:  # fmt: skip
    latencies, codes = sorted(result["latencies"]), result["codes"]
    count = len(latencies)
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[min(count - 1, int(count * 0.99))] if latencies else 0.0
    rate = count / result["elapsed"] if result["elapsed"] else 0.0
    conn = sqlite3.connect(root / ".hub" / "subscribers.sqlite3")
    query = "SELECT COUNT(*) FROM subscribers WHERE email LIKE 'new%' AND status = 'active'"
    active_new = conn.execute(query).fetchone()[0]
    gone = {row[0] for row in conn.execute("SELECT id FROM subscribers WHERE status = 'unsubscribed'")}
    states = dict(conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())
    conn.close()
    unsubscribed = sum(1 for person in leaving if person[0] in gone)
    statuses = {code: codes.count(code) for code in sorted(set(codes))}
    print(f"{count} requests in {result['elapsed']:.2f} s: {rate:.0f} requests/s (target {TARGET_RATE:.0f}); "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (target < {TARGET_P99_MS:.0f}); answers {statuses}")  # fmt: skip
    print(f"subscribed and confirmed: {active_new} of {args.subscribes} active (confirm links {result['confirms']}); "
          f"one-click: {unsubscribed} of {len(leaving)} unsubscribed")  # fmt: skip
    if send_code is not None:
        print(f"send during the load: exit {send_code}, deliveries {states}")
    if send_code:
        print(send_err[-2000:])
    return (not send_code and active_new == args.subscribes and unsubscribed == len(leaving)
            and set(codes) == {200})  # fmt: skip


if __name__ == "__main__":
    main()
