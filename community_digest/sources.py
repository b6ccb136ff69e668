"""Feeds in, FeedItems out: the hub's own Atom feed and partners' RSS/Atom feeds.

feedparser never raises: it flags problems in `bozo` and will happily parse an
HTTP error page. Here every problem becomes a FeedError naming the feed and the
HTTP status, or a warning naming the entry. Feeds are always fetched here (with a
timeout and a size cap) and handed to feedparser as bytes, so it never fetches
or opens anything itself.
"""

from __future__ import annotations

import html
import re
import xml.sax
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import nh3

from .feeddates import parse_feed_date
from .fetching import FeedError as FeedError
from .fetching import fetch as fetch
from .fetching import is_public_link, is_url
from .placeholders import inert_text, inert_url

TYPE_SCHEME = "urn:mobility-hub:type"
FLAG_SCHEME = "urn:mobility-hub:flag"
COUNTRY_SCHEME = "urn:iso:std:iso:3166"
HUB_TYPES = ("article", "story", "person")
PARTNER = "partner"
SUMMARY_LIMIT = 300

# What partner HTML may keep; everything else (script, style, form, iframe,
# event handlers, javascript: links) is dropped before it reaches an e-mail.
ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry, as the digest needs it; plain text only (titles, summaries)."""

    id: str
    title: str
    url: str
    summary: str
    type: str
    """article, story, person (the hub's) or partner."""
    published: datetime
    lang: str | None = None
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    featured: bool = False
    authors: tuple[str, ...] = ()
    image: str | None = None
    image_alt: str | None = None
    source: str | None = None
    """The partner feed's title, or the original publication of a curated article."""
    translations: tuple[str, ...] = ()
    """URLs of the piece's versions in other languages (the hub's <link rel="alternate" hreflang>)."""


@dataclass(slots=True)
class FeedRead:
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: FeedRead) -> None:
        self.items.extend(other.items)
        self.warnings.extend(other.warnings)


# -- parsing ----------------------------------------------------------------


def sanitize_partner_html(fragment: str) -> str:
    """Partner HTML reduced to the allow-list; links get rel="noopener noreferrer"."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: no tags, entities decoded, whitespace collapsed."""
    spaced = re.sub(r"(?i)<(br|/p|/li|/blockquote)\b[^>]*>", " ", sanitize_partner_html(fragment))
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Cut at a word boundary near `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return f"{cut}…"


def _check_parsed(parsed: Any, location: str) -> None:
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):
        line = getattr(problem, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        raise FeedError(location, None, f"is not well-formed XML ({problem.getMessage()}{where})")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(location, None, "is not an RSS or Atom feed")


def _text(detail: Any, fallback: str = "") -> str:
    if not detail:
        return fallback
    value = detail.get("value", "")
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return html_to_text(value)
    return " ".join(value.split())


def _link(entry: Any, rel: str) -> dict[str, str] | None:
    return next((link for link in entry.get("links", ()) if link.get("rel") == rel), None)


def _terms(entry: Any, matches: Any) -> tuple[str, ...]:
    found = (
        tag.get("term", "") for tag in entry.get("tags", ()) if matches(tag.get("scheme") or "")
    )
    return tuple(dict.fromkeys(term for term in found if term))


@dataclass(frozen=True, slots=True)
class _FeedContext:
    location: str
    zone: ZoneInfo
    partner: bool
    feed_title: str
    feed_lang: str | None


def _when(entry: Any, ctx: _FeedContext) -> datetime | None:
    for key in ("published", "updated", "created"):
        # dict.get: FeedParserDict maps a missing `updated` to `published` with a warning.
        moment, _ = parse_feed_date(dict.get(entry, key), ctx.zone)
        if moment is not None:
            return moment
    return None


def _image(entry: Any) -> tuple[str | None, str | None]:
    link = _link(entry, "enclosure")
    if link and (link.get("type") or "").startswith("image/") and is_url(link.get("href", "")):
        return link["href"], link.get("title") or None
    return None, None


def _hub_fields(entry: Any) -> dict[str, Any]:
    types = _terms(entry, lambda scheme: scheme == TYPE_SCHEME)
    via = _link(entry, "via")
    image, alt = _image(entry)
    return {
        "type": next((kind for kind in types if kind in HUB_TYPES), "article"),
        "topics": _terms(entry, lambda scheme: scheme.endswith("/topics/")),
        "countries": _terms(entry, lambda scheme: scheme == COUNTRY_SCHEME),
        "featured": "featured" in _terms(entry, lambda scheme: scheme == FLAG_SCHEME),
        "image": image,
        "image_alt": alt,
        "source": via.get("title") if via else None,
        "translations": tuple(link["href"] for link in entry.get("links", ())
                              if link.get("rel") == "alternate" and link.get("hreflang") and link.get("href")),
    }


def _partner_fields(entry: Any, ctx: _FeedContext) -> dict[str, Any]:
    # Partners' categories have no agreed scheme; a term equal to a hub topic id
    # still lets a personalized variant pick the entry up.
    terms = tuple(
        dict.fromkeys(tag.get("term", "") for tag in entry.get("tags", ()) if tag.get("term"))
    )
    return {
        "type": PARTNER,
        "topics": terms,
        "source": ctx.feed_title or urlsplit(ctx.location).netloc,
    }


def _summary(entry: Any) -> str:
    detail = entry.get("summary_detail")
    if not detail and entry.get("content"):
        detail = entry["content"][0]
    return shorten(_text(detail))


def _own_link(entry: Any) -> str:
    """The entry's link: feedparser's `link` is the last alternate, which may be a translation's."""
    for link in entry.get("links", ()):
        if link.get("rel") == "alternate" and not link.get("hreflang") and link.get("href"):
            return str(link["href"])
    return entry.get("link") or ""


def _entry_item(entry: Any, ctx: _FeedContext) -> FeedItem | str:
    """The item, or a warning saying why the entry was skipped."""
    title = _text(entry.get("title_detail"), entry.get("title", "")) or "(untitled)"
    url = urljoin(ctx.location if is_url(ctx.location) else "", _own_link(entry))
    if not is_url(url):
        return f"feed {ctx.location}: entry {title!r} has no http(s) link; skipped"
    if ctx.partner and not is_public_link(url):
        return f"feed {ctx.location}: entry {title!r} links to a local or private address ({url}); skipped"
    published = _when(entry, ctx)
    if published is None:
        return f"feed {ctx.location}: entry {title!r} ({url}) has no readable date; skipped"
    fields = _partner_fields(entry, ctx) if ctx.partner else _hub_fields(entry)
    detail = entry.get("title_detail") or {}
    item = FeedItem(
        id=(entry.get("id") or "").strip() or url,
        title=title,
        url=url,
        summary=_summary(entry),
        published=published,
        lang=detail.get("language") or ctx.feed_lang,
        authors=tuple(a["name"] for a in entry.get("authors", ()) if a.get("name")),
        **fields,
    )
    return inert_item(item)


def inert_item(item: FeedItem) -> FeedItem:
    """The item with no per-recipient placeholder left in any text or link (see placeholders.py)."""
    return replace(
        item,
        id=inert_text(item.id),
        title=inert_text(item.title),
        url=inert_url(item.url),
        summary=inert_text(item.summary),
        authors=tuple(inert_text(name) for name in item.authors),
        image=inert_url(item.image) if item.image else None,
        image_alt=inert_text(item.image_alt) if item.image_alt else None,
        source=inert_text(item.source) if item.source else None,
        topics=tuple(inert_text(topic) for topic in item.topics),
        countries=tuple(inert_text(code) for code in item.countries),
    )


def parse_feed(data: bytes, location: str, *, zone: ZoneInfo, partner: bool) -> FeedRead:
    """Items of one feed (bytes, never a path or URL), with warnings for skipped entries."""
    headers = {"content-location": location} if is_url(location) else {}
    parsed = feedparser.parse(data, response_headers=headers)
    _check_parsed(parsed, location)
    feed = parsed.get("feed", {})
    ctx = _FeedContext(
        location,
        zone,
        partner,
        _text(feed.get("title_detail"), feed.get("title", "")),
        feed.get("language") or None,
    )
    read = FeedRead()
    for entry in parsed.entries:
        item = _entry_item(entry, ctx)
        if isinstance(item, str):
            read.warnings.append(item)
        else:
            read.items.append(item)
    return read


def dedupe(items: Iterable[FeedItem]) -> list[FeedItem]:
    """First occurrence wins, by id and by link (entries without id use their link)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.id in seen or item.url in seen:
            continue
        seen.update((item.id, item.url))
        kept.append(item)
    return kept
