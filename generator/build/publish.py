"""The publish step: feeds, robots.txt and the search index, written into the built site."""

from __future__ import annotations

import gzip
import io
import threading
from datetime import UTC, datetime, time
from itertools import islice
from pathlib import Path

from generator.content.errors import HubError
from generator.site.feed_formats import atom_entry, atom_parts, json_item, json_parts
from generator.site.feed_languages import language_feeds
from generator.site.feeds import feed_entries, feed_specs
from generator.site.mentors import DATA as MENTOR_DATA
from generator.site.mentors import language_data, page_data, page_json
from generator.site.plan import SitePlan

from .feed_cache import FeedCache
from .search_index import Shard, ShardStore, index_and_publish


def robots_txt(plan: SitePlan) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {plan.absolute('sitemap.xml')}\n"


def generated_files(plan: SitePlan) -> dict[str, str]:
    """The pages the plan adds to content/ (listings, hubs) and robots.txt. A page's title
    and template reach the engine as its metadata (site/templates.page_meta), not as text."""
    return {src_uri: page.body for src_uri, page in plan.generated.items()} | {"robots.txt": robots_txt(plan)}


def write_sitemap(xml: str, site_dir: Path, built: datetime) -> None:
    """sitemap.xml and its .gz, stamped with the build's day (as the engine stamps its own)."""
    data = xml.encode("utf-8")
    _write_if_changed(site_dir / "sitemap.xml", [data])
    day = datetime.combine(built.astimezone(UTC).date(), time(), tzinfo=UTC)
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, filename="sitemap.xml.gz", mode="wb", mtime=int(day.timestamp())) as out:
        out.write(data)
    _write_if_changed(site_dir / "sitemap.xml.gz", [packed.getvalue()])


def write_feeds(plan: SitePlan, content_html: dict[str, str], site_dir: Path, cache: FeedCache | None = None) -> None:
    """Every Atom feed of feed_specs and feed.json, into site_dir.

    With a cache, entries serialized by an earlier write are reused when nothing they
    are made from has changed; the output is the same bytes either way. A file that
    already holds the same bytes is not rewritten (the preview server serves this folder).
    """
    entries = feed_entries(plan, content_html, cache.entries if cache is not None else None)
    limit = plan.settings.feeds.limit
    feeds = []
    for spec in feed_specs(plan):
        chosen = (index for index, entry in enumerate(entries) if spec.select(entry))
        feeds.append((spec, list(chosen if spec.unlimited else islice(chosen, limit))))
    json_feeds = []
    for language in language_feeds(plan):
        chosen = (index for index, entry in enumerate(entries) if language.member(entry))
        json_feeds.append((language, list(islice(chosen, limit))))
    listed = sorted({index for _, chosen in json_feeds for index in chosen})
    in_atom = sorted({index for _, chosen in feeds for index in chosen})
    if cache is None:
        atom = {index: atom_entry(entries[index]) for index in in_atom}
        items = {index: json_item(entries[index]) for index in listed}
    else:
        atom, items = cache.serialize(entries, atom=in_atom, json=listed)
    for spec, chosen in feeds:
        updated = max((entries[index].updated for index in chosen), default=plan.now)
        _write_if_changed(site_dir / spec.path, atom_parts(plan, spec, updated, [atom[i] for i in chosen]))
    for language, chosen in json_feeds:
        lang = language.lang if language.prefix else ""
        parts = json_parts(plan, [items[index] for index in chosen], lang, language.prefix)
        _write_if_changed(site_dir / language.json_path, parts)


def write_mentor_data(plan: SitePlan, site_dir: Path) -> None:
    """/mentors/mentors.json: the scoring rule and the public mentors the questionnaire ranks
    (and /<lang>/mentors/mentors.json, its wording and names in each other language)."""
    data = page_data(plan.relations.people, plan.hub.topics, plan.language, plan.url_of)
    _write_if_changed(site_dir / MENTOR_DATA, [page_json(data)])
    for lang in plan.edition_languages[1:]:
        data = language_data(plan.relations.people, plan.hub.topics, lang, plan.url_of)
        _write_if_changed(site_dir / plan.edition(lang).prefix / MENTOR_DATA, [page_json(data)])


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


class SearchIndexing:
    """The search index, made in a thread while the rest of the publish step (feeds) runs.

    Pagefind runs over the shards whose pages changed; every shard's bundle is then
    linked into the site.
    """

    def __init__(self, store: ShardStore, shards: list[Shard], site_dir: Path, *, jobs: int):
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, args=(store, shards, site_dir, jobs), daemon=True)
        self.thread.start()

    def _run(self, store: ShardStore, shards: list[Shard], site_dir: Path, jobs: int) -> None:
        try:
            index_and_publish(store, shards, site_dir, jobs=jobs)
        except OSError as exc:
            self.error = HubError(f"search indexing failed: {exc}")
        except Exception as exc:  # noqa: BLE001 (raised again by wait(), in the build's thread)
            self.error = exc

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error
