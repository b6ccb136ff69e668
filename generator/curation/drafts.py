"""A partner's feed entry -> the text of a draft curated article (pure: no files, no network).

Everything here comes from a hostile feed. Text fields go through YAML's own dumper
as plain text (the site escapes them when it shows them); the only Markdown is the
quoted excerpt, written so that nothing in it can become a tag, a link, an attribute
list or any other Markdown construct. Only a short excerpt is kept: the hub credits
and links the original, it never republishes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

import yaml

from community_digest.sources import FeedItem
from generator.content.errors import HubError
from generator.content.front_matter import PLACEHOLDER
from generator.content.new import slug_for
from generator.content.settings import CurationFeed

from .canonical import canonical_url

UNTITLED = "(untitled)"
"""What the digest's feed reader calls an entry without a title."""
TITLE_LIMIT = 200
SUMMARY_WORDS = 60
SUMMARY_LIMIT = 600
EXCERPT_WORDS = 40
MAX_TOPICS = 8

TODO_TITLE = f"{PLACEHOLDER} the title (the feed gave none)"
TODO_SUMMARY = f"{PLACEHOLDER} one to three sentences for listings, feeds and the digest"
TODO_AUTHORS = f"{PLACEHOLDER} profile ids from people/ of who curates this, e.g. ana-lima"
TODO_TOPICS = f"{PLACEHOLDER} 1-8 topic ids from topics.yml"
TODO_BODY = (
    f"{PLACEHOLDER} in the hub's own words, say what this piece offers partners and why it is "
    "worth their time; keep the quote above short and never paste the original."
)

_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
"""Control characters (XML and terminals can't take them) and direction overrides (they
make text read differently than it is stored)."""
_MARKDOWN_ESCAPES = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "(": "\\(", ")": "\\)",
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "=": "&#61;",
})  # fmt: skip
"""Inline Markdown and HTML made inert: emphasis, code, links and images need one of the
backslashed characters (brackets and parentheses both, so that no `](` is left for the
hub's own link checks to read as a link); tags, entities and autolinks an `&`, `<` or `>`;
attribute lists `{ … }`; and `=` keeps `src=javascript:…` in prose from reading like a link
to the checks."""
_OPENS_A_BLOCK = re.compile(r"^(?:[^\w\s]|\d+[.)])")
"""A first character that could start a heading, list, quote, fence or admonition."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What `hub curate` writes for one entry."""

    slug: str
    """The file name the title suggests (the writer adds -2, -3… when it is taken)."""
    title: str
    url: str
    """The canonical URL, as `source.url`."""
    text: str


def plain(text: str) -> str:
    """One line of text without control or direction-override characters."""
    return " ".join(_UNSAFE_TEXT.sub("", text).split())


def words(text: str, limit: int, *, chars: int | None = None) -> str:
    """The first `limit` words (and at most `chars` characters), with an ellipsis when cut."""
    found = text.split()
    kept = " ".join(found[:limit])
    if chars is not None and len(kept) > chars:
        kept = kept[:chars].rsplit(" ", 1)[0] if " " in kept[:chars] else kept[: chars - 1]
    if kept == " ".join(found):
        return kept
    return kept.rstrip(",;:.-–— ") + "…"


def inert_markdown(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text, inside one paragraph."""
    escaped = plain(text).translate(_MARKDOWN_ESCAPES)
    opener = _OPENS_A_BLOCK.match(escaped)
    if opener and not escaped.startswith(("\\", "&")):
        first = escaped[0]
        escaped = f"&#{ord(first)};{escaped[1:]}"
    return escaped


def topics_for(item: FeedItem, feed: CurationFeed) -> list[str]:
    """Topics the feed's categories map to (case aside), else the feed's own, else none."""
    mapping = {term.casefold(): topic for term, topic in feed.categories.items()}
    mapped = (mapping.get(term.casefold()) for term in item.topics)
    topics = list(dict.fromkeys(topic for topic in mapped if topic))
    return (topics or list(feed.topics))[:MAX_TOPICS]


def _front_matter(item: FeedItem, feed: CurationFeed, day: date, authors: Iterable[str]) -> dict:
    given = "" if item.title == UNTITLED else plain(item.title)
    title = words(given, TITLE_LIMIT, chars=TITLE_LIMIT - 1) or TODO_TITLE
    summary = words(plain(item.summary), SUMMARY_WORDS, chars=SUMMARY_LIMIT - 1) or TODO_SUMMARY
    source: dict[str, str] = {"name": plain(feed.name), "url": canonical_url(item.url)}
    if isinstance(item.published, datetime):
        source["published"] = item.published.isoformat()
    credited = plain(", ".join(item.authors))
    if credited:
        source["author"] = words(credited, TITLE_LIMIT, chars=TITLE_LIMIT - 1)
    front = {
        "title": title,
        "summary": summary,
        "date": day,
        "authors": list(authors) or [TODO_AUTHORS],
        "topics": topics_for(item, feed) or [TODO_TOPICS],
        "audience": list(feed.audience),
        "countries": list(feed.countries),
        "draft": True,
        "source": source,
    }
    return {key: value for key, value in front.items() if value != []}


def _body(item: FeedItem) -> str:
    excerpt = words(plain(item.summary), EXCERPT_WORDS)
    quote = f"> {inert_markdown(excerpt)}\n\n" if excerpt else ""
    return f"{quote}{TODO_BODY}\n"


def _slug(title: str, url: str) -> str:
    """From the title, else from the link's last path segment, else "curated"."""
    candidates = (title, urlsplit(url).path.rstrip("/").rpartition("/")[2])
    for candidate in candidates:
        if candidate and PLACEHOLDER not in candidate:
            try:
                return slug_for(candidate)
            except HubError:
                continue
    return "curated"


def draft_for(item: FeedItem, feed: CurationFeed, *, day: date, authors: Iterable[str] = ()) -> Draft:
    """The draft article for one feed entry, curated on `day`."""
    front = _front_matter(item, feed, day, authors)
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100)
    text = f"---\n{dumped}---\n{_body(item)}"
    return Draft(_slug(front["title"], item.url), front["title"], front["source"]["url"], text)
