"""Send an issue to 10,000 subscribers through a local aiosmtpd server; print messages/s.

    .venv/bin/python bench/bench_send.py [--subscribers 10000] [--synthetic] [--keep DIR]

The SMTP server runs in its own process (so it does not share the sender's GIL)
and only counts what it accepts. The sender is the real `hub digest send`, run as
a subprocess against a throwaway copy of the sample hub whose ledger is an SQLite
file on disk. The issue is the sample's, built with `hub build` and `hub digest
build` (in their own variants per language and topics), or with --synthetic (or
when that build fails) a generated one of 40 kB. Target: 200 messages per second.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ISSUE = "bench-q3"
TARGET = 200.0


def _serve(port: int, ready, counter) -> None:  # noqa: ANN001 (multiprocessing objects)
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _hub_command(root: Path, *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("hub")), "-f", str(root / "mkdocs.yml"), *args]


def _write_hub(root: Path) -> None:
    """A copy of the sample hub, with a digest configured for one-click unsubscribe links."""
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, root / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "      database:",
        "      unsubscribe_url: https://hub.example.org/unsubscribe/\n      output_dir: digest-out\n      database:",
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def _sample_issue(root: Path, env: dict[str, str]) -> str | None:
    """Build the site and the sample's first digest issue; None (and why) if that fails."""
    issues = sorted(path.stem for path in (root / "content" / "digests").glob("*.md"))
    if not issues:
        return None
    for args in (("build", "--no-strict"), ("digest", "build", issues[0])):
        done = subprocess.run(_hub_command(root, *args), env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"(hub {' '.join(args)} failed, using a synthetic issue: {done.stderr.strip()})")
            return None
    return issues[0]


def _write_issue(out: Path) -> str:
    """A synthetic compiled issue about the size of a real one (about 40 kB of HTML)."""
    issue_dir = out / ISSUE
    issue_dir.mkdir(parents=True)
    item = (
        '<tr><td style="padding:12px;font-family:Arial"><a href="https://hub.example.org/'
        'articles/a/">Finding work as a trailing partner in Singapore</a><p>Résumé tips, '
        "permits and networks — what worked for five partners.</p></td></tr>\n"
    )
    html = (
        f"<html><body><p>Hello %%name%%,</p><table>{item * 150}</table>"
        '<a href="%%unsubscribe_url%%">Unsubscribe</a></body></html>\n'
    )
    text = (
        "Hello %%name%%,\n\n" + "Finding work in Singapore — résumé tips\n" * 150 + "Unsubscribe: %%unsubscribe_url%%\n"
    )
    variants = []
    for language in ("en", "fr"):
        (issue_dir / f"{language}-all.html").write_text(html, encoding="utf-8")
        (issue_dir / f"{language}-all.txt").write_text(text, encoding="utf-8")
        variants.append(
            {
                "id": f"{language}-all",
                "language": language,
                "topics": [],
                "html": f"{language}-all.html",
                "text": f"{language}-all.txt",
                "eml": f"{language}-all.eml",
            }
        )
    manifest = {
        "format": 1,
        "issue": ISSUE,
        "title": "Bench",
        "subject": "Perspectives — bench",
        "period": {"label": "2025-Q3", "kind": "quarter"},
        "web_url": "https://hub.example.org/digests/bench-q3/",
        "variants": variants,
        "language": "en",
        "topics": [],
        "aliases": {},
    }
    (issue_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return ISSUE


def _subscribe(root: Path, count: int) -> None:
    """`count` quarterly subscribers in four languages, on none, one or two topics."""
    from community_digest.store import open_database
    from community_digest.subscriber_fields import SubscriberFields
    from community_digest.subscribers import SubscriberBook

    topics = sorted(yaml.safe_load((root / "content" / "topics.yml").read_text(encoding="utf-8")))
    languages = ("en", "en", "fr", "de", "pt")
    people = [
        SubscriberFields(
            email=f"reader{i:05d}@example.org",
            name=f"Reader {i}",
            language=languages[i % len(languages)],
            topics=tuple(sorted({topics[i % len(topics)], topics[i % 3]}))[: i % 3],
            frequency="quarterly",
        )
        for i in range(count)
    ]
    conn = open_database(root / ".hub" / "subscribers.sqlite3")
    SubscriberBook(conn).add_many(people)
    conn.close()


def _serve_in_background() -> tuple[multiprocessing.Process, int, Any]:
    port, ready, counter = _free_port(), multiprocessing.Event(), multiprocessing.Value("l", 0)
    server = multiprocessing.Process(target=_serve, args=(port, ready, counter), daemon=True)
    server.start()
    if not ready.wait(20):
        sys.exit("the SMTP server did not start")
    return server, port, counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--synthetic", action="store_true", help="Skip building the sample.")
    parser.add_argument("--keep", type=Path, help="Build the throwaway hub here and keep it.")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="hub-bench-"))
    env = {**os.environ, "HUB_UNSUBSCRIBE_SECRET": "bench-secret-0123456789"}
    for name in ("HUB_SMTP_USER", "HUB_SMTP_PASSWORD"):
        env.pop(name, None)
    _write_hub(root)
    _subscribe(root, args.subscribers)
    issue = (None if args.synthetic else _sample_issue(root, env)) or _write_issue(root / "digest-out")
    server, port, counter = _serve_in_background()
    try:
        command = _hub_command(root, "digest", "send", issue, "--yes")
        command += ["--smtp", f"smtp://127.0.0.1:{port}"]
        started = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.join(5)
    if result.returncode != 0:
        sys.exit(f"hub digest send failed:\n{result.stdout}\n{result.stderr}")
    print(result.stdout.strip())
    rate = counter.value / elapsed
    print(
        f"{counter.value} messages of issue {issue} received in {elapsed:.1f} s (the whole "
        f"command; ledger on disk in {root / '.hub'}): {rate:.0f} messages/s; target {TARGET:.0f}/s"
    )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if rate >= TARGET and counter.value == args.subscribers else 1)


if __name__ == "__main__":
    main()
