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


# Text that is chrome rather than content, inside the pages' data-pagefind-body:
# heading permalinks (¶), the "Article"/"Partner story" kicker and the labels of the
# metadata list ("Published", "Reading time"). Their values stay searchable.
SEARCH_EXCLUDE_SELECTORS = (".headerlink", ".hub-kicker", ".hub-meta dt")


# Only these sections hold indexed pages (translations too, under their language prefix):
# Pagefind then never parses the large listing, topic, country and archive pages at all.
SEARCHED_PAGES = "**/{articles,stories,people,pages,digests}/**/*.html"


def search_command(site_dir: Path, *, language: str) -> list[str]:
    """The Pagefind command line for the built site.

    Only elements marked data-pagefind-body are indexed (item, story, profile and
    plain pages); listings, navigation and footers are not. The whole site is
    indexed as one language, the site's, so the search page (in the site
    language) reaches translations too and the language facet can filter them;
    the <html lang> of each page stays correct for screen readers.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet",
               "--force-language", language.split("-")[0].lower(), "--glob", SEARCHED_PAGES]  # fmt: skip
    for selector in SEARCH_EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


class SearchIndexing:
    """Pagefind (the binary bundled in its PyPI package) over the built pages, in the background.

    It reads only the pages, so the rest of the publish step (feeds) runs meanwhile.
    """

    def __init__(self, site_dir: Path, *, language: str = "en"):
        self.process = subprocess.Popen(search_command(site_dir, language=language), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)  # fmt: skip

    def wait(self) -> None:
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise HubError(f"search indexing failed: {err.strip() or out.strip()}")
