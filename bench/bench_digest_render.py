"""Benchmark: render a 40-item digest issue for 10,000 subscribers in 60 segments.

Each distinct variant is rendered once (Jinja2 -> MJML -> mrml -> CSS inlining);
per subscriber only the tokens are filled (%%name%%, HTML-escaped in the HTML part,
and an HMAC-signed %%unsubscribe_url%%). Target: at most 10 s on this machine.

    .venv/bin/python bench/bench_digest_render.py [--subscribers 10000] [--segments 60]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from community_digest.compiled import compile_issue  # noqa: E402
from generator.content.project import load_project  # noqa: E402

SITE = "https://hub.example.org/"
TOPICS = (
    "partner-career",
    "integration",
    "mentoring",
    "intercultural-agility",
    "repatriation",
    "language-learning",
    "family-life",
    "wellbeing",
)
LANGUAGES = ("en", "fr", "de")
KINDS = [("article", 22), ("story", 10), ("person", 8)]  # 40 items; 4 articles featured
MKDOCS = f"""\
site_name: Mobility Hub
site_url: {SITE}
docs_dir: content
theme: {{name: material, language: en}}
extra:
  hub:
    timezone: Europe/Amsterdam
    digest:
      section_cap: 20
      campaign: {{utm_source: digest, utm_medium: email, utm_campaign: "{{issue}}"}}
"""
INTRO = """\
---
title: Perspectives — benchmark issue
period: 2025-Q3
date: 2025-10-02
---
Forty pieces from the quarter, for every kind of reader. Read the [archive](../).
"""


def _entry(kind: str, n: int, rng: random.Random) -> str:
    section = {"article": "articles", "story": "stories", "person": "people"}[kind]
    lang = "fr" if kind == "article" and n % 7 == 3 else "en"
    url = f"{SITE}{'fr/' if lang == 'fr' else ''}{section}/{kind}-{n}/"
    topics = rng.sample(TOPICS, 2)
    cats = [f'<category term="{kind}" scheme="urn:mobility-hub:type"/>']
    cats += [f'<category term="{t}" scheme="{SITE}topics/"/>' for t in topics]
    if kind == "article" and n < 4:
        cats.append('<category term="featured" scheme="urn:mobility-hub:flag"/>')
        image = f"{SITE}media/{n}.jpg"
        cats.append(f'<link rel="enclosure" href="{image}" type="image/jpeg" title="Photo {n}"/>')
    published = f"2025-{7 + n % 3:02d}-{1 + n % 28:02d}T10:00:00+02:00"
    summary = (
        f"What partners learned about {topics[0].replace('-', ' ')} after a move, item {n}. " * 3
    )
    return (
        f'<entry xml:lang="{lang}"><id>{url}</id><title type="text">A {kind} about '
        f"{topics[0]} and {topics[1]}, number {n}</title>"
        f'<link rel="alternate" type="text/html" href="{url}"/><published>{published}</published>'
        f"<updated>{published}</updated><author><name>Ana Lima</name></author>"
        f'<summary type="text">{summary[:280]}</summary>{"".join(cats)}</entry>\n'
    )


def make_project(root: Path) -> Path:
    rng = random.Random(47)
    (root / "content" / "digests").mkdir(parents=True)
    (root / "site" / "feeds").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    topics = "".join(f"{t}:\n  title: {t.replace('-', ' ').capitalize()}\n" for t in TOPICS)
    (root / "content" / "topics.yml").write_text(topics, encoding="utf-8")
    (root / "content" / "digests" / "bench.md").write_text(INTRO, encoding="utf-8")
    entries = "".join(_entry(kind, n, rng) for kind, count in KINDS for n in range(count))
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{SITE}feeds/all.atom.xml</id><title>Mobility Hub</title>"
        f"<updated>2025-10-01T00:00:00+02:00</updated>\n{entries}</feed>\n"
    )
    (root / "site" / "feeds" / "all.atom.xml").write_text(feed, encoding="utf-8")
    return root / "mkdocs.yml"


def make_segments(count: int) -> list[tuple[str, tuple[str, ...]]]:
    """`count` distinct (language, topics): no topics, single topics, then pairs."""
    topic_sets: list[tuple[str, ...]] = [(), *((t,) for t in TOPICS)]
    topic_sets += [(a, b) for i, a in enumerate(TOPICS) for b in TOPICS[i + 1 :]]
    combos = [(lang, topics) for topics in topic_sets for lang in LANGUAGES]
    return combos[:count]


def fill(body: str, name: str, unsubscribe: str, *, as_html: bool) -> str:
    if as_html:
        name, unsubscribe = html.escape(name), html.escape(unsubscribe)
    return body.replace("%%name%%", name).replace("%%unsubscribe_url%%", unsubscribe)


def personalize_all(compiled, subscribers, secret: bytes) -> int:
    """Fill both parts for every subscriber; returns the bytes produced (so none is skipped)."""
    bodies: dict[str, tuple[str, str]] = {}
    produced = 0
    for email, name, (language, topics) in subscribers:
        variant = compiled.variant_for(language, topics)
        if variant.id not in bodies:
            bodies[variant.id] = (
                variant.html_path.read_text("utf-8"),
                variant.text_path.read_text("utf-8"),
            )
        page, text = bodies[variant.id]
        token = hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]
        url = f"{SITE}unsubscribe/?token={token}"
        produced += len(fill(page, name, url, as_html=True)) + len(
            fill(text, name, url, as_html=False)
        )
    return produced


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--segments", type=int, default=60)
    parser.add_argument("--target", type=float, default=10.0, help="seconds")
    args = parser.parse_args()
    segments = make_segments(args.segments)
    rng = random.Random(2025)
    subscribers = [
        (
            f"reader{i}@example.org",
            rng.choice(["Ana", "Jonas", "", "Zoë <&>"]),
            segments[i % len(segments)],
        )
        for i in range(args.subscribers)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        project = load_project(make_project(Path(tmp)))
        start = time.perf_counter()
        compiled = compile_issue(project, "bench", segments=segments)
        rendered = time.perf_counter()
        produced = personalize_all(compiled, subscribers, b"bench-secret")
        done = time.perf_counter()
        largest = max(v.html_path.stat().st_size for v in compiled.variants)
    total = done - start
    print(f"digest render: 40 items, {args.subscribers} subscribers, {len(segments)} segments")
    print(
        f"  {len(compiled.variants)} distinct variants rendered in {rendered - start:.2f} s "
        f"(largest HTML {largest / 1024:.1f} KB)"
    )
    print(
        f"  tokens filled for {args.subscribers} subscribers in {done - rendered:.2f} s "
        f"({produced / 1e6:.0f} MB of message bodies)"
    )
    verdict = "OK" if total <= args.target else "SLOW"
    print(f"  total {total:.2f} s (target ≤ {args.target:.0f} s): {verdict}")
    return 0 if total <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
