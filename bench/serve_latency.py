"""How long `hub serve` takes to show a saved edit: the page, its listing and the feed.

    .venv/bin/python bench/serve_latency.py [--items 5000] [--edits 3]

Generates (or reuses) bench/out/hub-N, starts `hub serve` on a free loopback port,
waits for the first build, then appends a sentence to one article several times and
measures, for each save (a new title), the seconds until the article page, its
year in the archive and feeds/all.atom.xml all show it. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / ".venv" / "bin" / "hub"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_until(check, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.05)
    raise TimeoutError(f"not seen within {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    hub_dir = ROOT / "bench" / "out" / f"hub-{args.items}"
    if not (hub_dir / "mkdocs.yml").exists():
        subprocess.run([sys.executable, str(ROOT / "bench/generate_hub.py"), "--items", str(args.items),
                        "--out", str(hub_dir)], check=True)  # fmt: skip
    article = sorted((hub_dir / "content/articles").glob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    slug = article.stem
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (hub_dir / "serve.log").open("w")
    server = subprocess.Popen([str(HUB), "-f", str(hub_dir / "mkdocs.yml"), "serve", "--port", str(port)],
                              stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    try:
        started = wait_until(lambda: bool(page(base)), 600)
        print(f"N={args.items}: first build and serve in {started:.1f} s")
        times = []
        for edit in range(args.edits):
            marker = f"Benchmark title {edit}-{time.time_ns()}"
            article.write_text(re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M),
                               encoding="utf-8")  # fmt: skip
            year = re.search(r"^date: (\d{4})", original, flags=re.M)
            urls = [f"{base}articles/{slug}/", f"{base}archive/{year.group(1) if year else ''}/",
                    f"{base}feeds/all.atom.xml"]  # fmt: skip
            try:
                seen = wait_until(lambda m=marker, u=tuple(urls): all(m in page(url) for url in u), 120)
            except TimeoutError:
                missing = [url for url in urls if marker not in page(url)]
                raise TimeoutError(f"{marker!r} missing from {missing}") from None
            times.append(seen)
            print(f"  save {edit + 1}: page, archive listing and feed updated after {seen:.2f} s")
        print(f"median {statistics.median(times):.2f} s over {len(times)} saves")
    finally:
        article.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
