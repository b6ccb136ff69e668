"""Reading what `hub curate` decides on: a partner's feed, and the articles already in content/.

A feed is fetched with the digest's fetcher (http/https only, one deadline for the whole
fetch, a redirect limit with every hop checked again, public addresses only, a size
cap) and parsed from bytes by the digest's reader, so the two read partners alike.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from community_digest.fetching import FeedError, fetch
from community_digest.sources import FeedItem, parse_feed
from generator.content.errors import ContentIssue
from generator.content.project import Project
from generator.content.settings import CurationFeed
from generator.content.yaml_source import read_source

from .canonical import canonical_url

_DECLARED = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(slots=True)
class FeedEntries:
    items: list[FeedItem]
    warnings: list[str] = field(default_factory=list)
    """Entries skipped, each with why (no link, no date, a private address)."""


def check_text(data: bytes, location: str) -> None:
    """FeedError unless the bytes are what an XML feed in UTF-8 (or a declared encoding) is.

    feedparser would read bytes that are not UTF-8 as another encoding and hand over
    mojibake; a partner's broken feed is reported instead, so an editor never gets a
    draft of garbled text.
    """
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        raise FeedError(location, None, "is JSON (a JSON Feed?), which hub curate does not read: "
                                        "give the partner's RSS or Atom feed")  # fmt: skip
    if data.startswith(_WIDE_BOMS):
        return
    declared = _DECLARED.match(data.removeprefix(codecs.BOM_UTF8).lstrip())
    if declared and _encoding(declared[1]) != "utf-8":
        return  # another encoding, declared: feedparser decodes it
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FeedError(location, None,
                        f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line})") from None  # fmt: skip


def _encoding(name: bytes) -> str:
    try:
        return codecs.lookup(name.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return "unknown"


def read_feed(project: Project, feed: CurationFeed, *, allow_private: bool) -> FeedEntries:
    """The feed's entries; FeedError (naming the feed's URL) when it can't be fetched or read."""
    settings = project.settings.curation
    data = fetch(feed.url, base=project.root, timeout=settings.feed_timeout,
                 max_bytes=settings.feed_max_bytes, allow_private=allow_private)  # fmt: skip
    check_text(data, feed.url)
    read = parse_feed(data, feed.url, zone=project.settings.zone, partner=True)
    return FeedEntries(read.items, read.warnings)


def credited_urls(articles: Path) -> tuple[set[str], list[str]]:
    """Canonical `source.url` of every article (drafts too), and a warning per file not read."""
    found: set[str] = set()
    warnings: list[str] = []
    if not articles.is_dir():
        return found, warnings
    for path in sorted(articles.glob("*.md")):
        if path.is_symlink() or not path.is_file():
            continue  # never followed (hub check reports the link)
        source = read_source(f"content/articles/{path.name}", path.read_bytes())
        if isinstance(source, ContentIssue):
            warnings.append(f"{source}; its source.url is not known, so an entry it credits may be drafted again")
            continue
        credited = source.front.data.get("source")
        if isinstance(credited, dict) and isinstance(credited.get("url"), str):
            found.add(canonical_url(credited["url"]))
    return found, warnings
