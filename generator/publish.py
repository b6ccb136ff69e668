"""The publish step: feeds, robots.txt and the search index, written into the built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .build import SitePlan
from .errors import HubError
from .feeds import atom_feed, feed_entries, feed_specs, json_feed


def robots_txt(plan: SitePlan) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {plan.absolute('sitemap.xml')}\n"


def write_feeds(plan: SitePlan, content_html: dict[str, str], site_dir: Path) -> None:
    entries = feed_entries(plan, content_html)
    limit = plan.settings.feeds.limit
    for spec in feed_specs(plan):
        selected = [entry for entry in entries if spec.select(entry)]
        path = site_dir / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(atom_feed(plan, spec, selected if spec.unlimited else selected[:limit]))
    (site_dir / "feed.json").write_bytes(json_feed(plan, entries[:limit]))


def index_search(site_dir: Path) -> None:
    """Run Pagefind (the binary bundled in its PyPI package) over the built pages."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise HubError(f"search indexing failed: {finished.stderr.strip() or finished.stdout.strip()}")
