"""How long `hub serve` takes to show a saved edit: the page, its listing and the feed.

    .venv/bin/python bench/serve_latency.py [--items 5000] [--edits 3]

Generates (or reuses) bench/out/hub-N, starts `hub serve` on a free loopback port,
waits for the first build, then saves two articles (an ordinary one and the newest)
several times each, first with a new closing sentence, then with a new title, and
measures for each save the seconds until the article page, the archive listing (for a
title) and feeds/all.atom.xml all show it (the page's own time is printed too). Every
wait is bounded.
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


def wait_until(check, seconds: float, since: float | None = None) -> float:
    start = time.monotonic() if since is None else since
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)
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
    for label, times in measure_saves(hub_dir, args.edits).items():
        for kind, seconds in times.items():
            print(f"  {label}, {kind} edits: median {statistics.median(seconds):.2f} s, "
                  f"max {max(seconds):.2f} s over {len(seconds)} saves")  # fmt: skip


def measure_saves(hub_dir: Path, edits: int, say=print) -> dict[str, dict[str, list[float]]]:
    """Start `hub serve` on hub_dir, save two articles `edits` times per kind; seconds per save."""
    articles = sorted((hub_dir / "content/articles").glob("*.md"))
    # The first by file name is an ordinary article; the newest is on the home page and,
    # ranked by recency, in the related items of hundreds of pages: the slowest to update.
    chosen = {"an ordinary article": articles[0], "the newest article": newest(articles)}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (hub_dir / "serve.log").open("w")
    server = subprocess.Popen([str(HUB), "-f", str(hub_dir / "mkdocs.yml"), "serve", "--port", str(port)],
                              stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    try:
        started = wait_until(lambda: bool(page(base)), 600)
        say(f"N={hub_dir.name}: first build and serve in {started:.1f} s")
        found = {}
        for label, article in chosen.items():
            say(f"{label}: {article.name}")
            found[label] = save_and_watch(article, base, edits, say)
        return found
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def newest(articles: list[Path]) -> Path:
    """The published article with the latest date (front matter read with a pattern)."""
    dated = []
    for path in articles:
        text = path.read_text(encoding="utf-8")
        found = re.search(r"^date: ([0-9-]{10})", text, flags=re.M)
        if found and not re.search(r"^draft: true", text, flags=re.M) and found[1] <= time.strftime("%Y-%m-%d"):
            dated.append((found[1], path.name, path))
    return max(dated)[2]


def save_and_watch(article: Path, base: str, edits: int, say=print) -> dict[str, list[float]]:
    """Save `article` with a new closing sentence, then with a new title, `edits` times each."""
    original = article.read_text(encoding="utf-8")
    slug = article.stem
    year = re.search(r"^date: (\d{4})", original, flags=re.M)
    # "body"/"title": page, listing and feed all show the save; "page: …": the page alone.
    times: dict[str, list[float]] = {"body": [], "title": [], "page: body": [], "page: title": []}
    try:
        # All body saves first: each keeps the title, so it is a body edit and nothing else.
        for kind in ("body", "title"):
            for edit in range(edits):
                marker = f"Benchmark {kind} {edit}-{time.time_ns()}"
                if kind == "title":
                    text = re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M)
                    # The title shows on the page, in its year of the archive and in the feed.
                    urls = [f"{base}archive/{year.group(1) if year else ''}/", f"{base}feeds/all.atom.xml"]
                else:
                    text = f"{original.rstrip()}\n\n{marker} closes the article.\n"
                    urls = [f"{base}feeds/all.atom.xml"]  # the feed carries the whole text
                article.write_text(text, encoding="utf-8")
                saved = time.monotonic()
                # Shown means shown everywhere: the page, then (checked one after the other, as a
                # reader would open them) the listing and the feed; the time is when the last did.
                first = wait_until(lambda m=marker: m in page(f"{base}articles/{slug}/"), 120, since=saved)
                for url in urls:
                    seen = wait_until(lambda m=marker, u=url: m in page(u), 120, since=saved)
                times[kind].append(seen)
                times[f"page: {kind}"].append(first)
                say(f"  save {edit + 1} ({kind}): page after {first:.2f} s; page, listing and feed "
                    f"after {seen:.2f} s")  # fmt: skip
                time.sleep(0.5)  # an editor does not save twice within a second
    finally:
        article.write_text(original, encoding="utf-8")
    return times


if __name__ == "__main__":
    main()
