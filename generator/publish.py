"""The publish step: feeds, robots.txt and the search index, written into the built site."""

from __future__ import annotations

import subprocess
import sys
from itertools import islice
from pathlib import Path

from .build import SitePlan
from .errors import HubError
from .feed_cache import FeedCache
from .feeds import atom_entry, atom_parts, feed_entries, feed_specs, json_item, json_parts


def robots_txt(plan: SitePlan) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {plan.absolute('sitemap.xml')}\n"


def write_feeds(plan: SitePlan, content_html: dict[str, str], site_dir: Path, cache: FeedCache | None = None) -> None:
    """Every Atom feed of feed_specs and feed.json, into site_dir.

    With a cache, entries serialized by an earlier write are reused when nothing they
    are made from has changed; the output is the same bytes either way. A file that
    already holds the same bytes is not rewritten (the preview server serves this folder).
    """
    entries = feed_entries(plan, content_html)
    limit = plan.settings.feeds.limit
    feeds = []
    for spec in feed_specs(plan):
        chosen = (index for index, entry in enumerate(entries) if spec.select(entry))
        feeds.append((spec, list(chosen if spec.unlimited else islice(chosen, limit))))
    listed = range(min(limit, len(entries)))
    in_atom = sorted({index for _, chosen in feeds for index in chosen})
    if cache is None:
        atom = {index: atom_entry(entries[index]) for index in in_atom}
        items = {index: json_item(entries[index]) for index in listed}
    else:
        atom, items = cache.serialize(entries, atom=in_atom, json=listed)
    for spec, chosen in feeds:
        updated = max((entries[index].updated for index in chosen), default=plan.now)
        _write_if_changed(site_dir / spec.path, atom_parts(plan, spec, updated, [atom[i] for i in chosen]))
    _write_if_changed(site_dir / "feed.json", json_parts(plan, [items[index] for index in listed]))


def _write_if_changed(path: Path, parts: list[bytes]) -> None:
    """Make the file hold the parts' bytes, rewriting it only from the first piece that differs.

    A file that already holds these bytes is not written at all and keeps its mtime.
    Comparing piece by piece spares joining a 40 MB archive feed, and rewriting in place
    spares the kernel dropping and refilling every page of it.
    """
    try:
        file = path.open("r+b")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = path.open("w+b")
    with file:
        same = 0
        while same < len(parts) and file.read(len(parts[same])) == parts[same]:
            same += 1
        if same == len(parts) and not file.read(1):
            return
        file.seek(sum(map(len, parts[:same])))
        file.writelines(parts[same:])
        file.truncate()


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
