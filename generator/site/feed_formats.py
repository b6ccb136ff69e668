"""Atom 1.0 and JSON Feed 1.1 bytes: each entry on its own, and a feed's header around them.

Each entry is serialized alone (atom_entry, json_item) and a feed is its header
around those bytes (atom_parts, json_parts): publish.write_feeds can then reuse the
bytes of every entry that did not change (feed_cache.FeedCache).
"""

from __future__ import annotations

import json
import mimetypes
import re
from datetime import datetime
from functools import lru_cache

from .feeds import ATOM, FeedEntry, FeedSpec, absolutize
from .plan import SitePlan

_ATTR_SPECIAL = re.compile(r'[&<>"\r\n\t]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Escaping as ElementTree's serializer does it, so the output stays what ElementTree wrote:
# building the strings directly is several times faster, and lets an entry's bytes be
# produced (and cached) on their own. Unlike there, what XML cannot carry is left out.
def _xml_chars(text: str) -> str:
    """`text` without what XML 1.0 cannot carry at all, escaped or not (control characters,
    lone surrogates): hub check refuses them in content, and a feed must parse whatever got by."""
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(text: str) -> str:
    text = _xml_chars(text)
    if not _ATTR_SPECIAL.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _leaf(indent: str, tag: str, text: str, attrs: str = "") -> str:
    """One line holding an element without children; ElementTree writes an empty one as <tag />."""
    text = _xml_chars(text)
    if not text:
        return f"{indent}<{tag}{attrs} />\n"
    return f"{indent}<{tag}{attrs}>{_xml_text(text)}</{tag}>\n"


def image_type(url: str) -> str:
    """The media type of an enclosure, from its file name."""
    return mimetypes.guess_type(url)[0] or "image/jpeg"


@lru_cache(maxsize=4096)  # entries share most of their categories
def _category_line(term: str, scheme: str, label: str) -> str:
    return f'    <category term="{_xml_attr(term)}" scheme="{_xml_attr(scheme)}" label="{_xml_attr(label)}" />\n'


def atom_entry(entry: FeedEntry) -> bytes:
    """The entry's <entry> element, indented for its place in a feed, ending in a newline."""
    url = _xml_attr(entry.url)
    out = [
        f'  <entry xml:lang="{_xml_attr(entry.lang)}">\n',
        _leaf("    ", "id", entry.url),
        _leaf("    ", "title", entry.title, ' type="text"'),
        f'    <link rel="alternate" type="text/html" href="{url}" />\n',
        *(f'    <link rel="alternate" type="text/html" hreflang="{_xml_attr(lang)}" href="{_xml_attr(other)}" />\n'
          for lang, other in entry.translations),
        _leaf("    ", "published", entry.published.isoformat()),
        _leaf("    ", "updated", entry.updated.isoformat()),
    ]
    for author in entry.authors:
        out += ("    <author>\n", _leaf("      ", "name", author.name))
        if author.uri:
            out.append(_leaf("      ", "uri", author.uri))
        out.append("    </author>\n")
    if entry.summary:
        out.append(_leaf("    ", "summary", entry.summary, ' type="text"'))
    out.append(_leaf("    ", "content", absolutize(entry.content_html, entry.url), ' type="html"'))
    out += [_category_line(c.term, c.scheme, c.label) for c in entry.categories]
    if entry.via:
        out.append(f'    <link rel="via" href="{_xml_attr(entry.via[0])}" title="{_xml_attr(entry.via[1])}" />\n')
    if entry.image:
        href, kind, title = (_xml_attr(value) for value in (entry.image[0], image_type(entry.image[0]), entry.image[1]))
        out.append(f'    <link rel="enclosure" href="{href}" type="{kind}" title="{title}" />\n')
    out.append("  </entry>\n")
    return "".join(out).encode("utf-8")


def atom_parts(plan: SitePlan, spec: FeedSpec, updated: datetime, entries: list[bytes]) -> list[bytes]:
    """A whole Atom feed, in pieces, around entries already serialized by atom_entry."""
    self_url = plan.absolute(spec.path)
    head = "".join((
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM}" xml:lang="{_xml_attr(spec.lang or plan.language)}">\n',
        _leaf("  ", "id", self_url),
        _leaf("  ", "title", spec.title, ' type="text"'),
        f'  <link rel="self" type="application/atom+xml" href="{_xml_attr(self_url)}" />\n',
        f'  <link rel="alternate" type="text/html" href="{_xml_attr(plan.absolute(spec.home))}" />\n',
        _leaf("  ", "updated", updated.isoformat()),
        "  <author>\n", _leaf("    ", "name", plan.site_name), "  </author>\n",
        "  <generator>Mobility Hub</generator>\n",
    ))  # fmt: skip
    return [head.encode("utf-8"), *entries, b"</feed>\n"]


def atom_feed(plan: SitePlan, spec: FeedSpec, entries: list[FeedEntry]) -> bytes:
    newest = max((e.updated for e in entries), default=plan.now)
    return b"".join(atom_parts(plan, spec, newest, [atom_entry(entry) for entry in entries]))


def json_item(entry: FeedEntry) -> bytes:
    """The entry as a JSON Feed item, indented for its place in feed.json's item list."""
    item: dict[str, object] = {
        "id": entry.url,
        "url": entry.url,
        "title": entry.title,
        "content_html": absolutize(entry.content_html, entry.url),
        "summary": entry.summary,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
        "language": entry.lang,
        "authors": [{"name": a.name, **({"url": a.uri} if a.uri else {})} for a in entry.authors],
        "tags": [c.label for c in entry.categories if c.scheme.endswith("/topics/")],
        "_mobility_hub": {
            "type": entry.kind,
            "categories": [{"term": c.term, "scheme": c.scheme, "label": c.label} for c in entry.categories],
        },
    }
    if entry.via:
        item["external_url"] = entry.via[0]
    if entry.image:
        item["image"] = entry.image[0]
    # JSON strings hold no raw newline, so every newline is indentation: two levels deeper.
    return ("  " + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")).encode("utf-8")


def json_parts(plan: SitePlan, items: list[bytes], lang: str = "", prefix: str = "") -> list[bytes]:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), with the hub's extension, in pieces,
    around items already serialized by json_item: the text of json.dumps(feed, indent=1).
    `lang` and `prefix` make another language's feed.json ("fr", "fr/")."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": plan.site_name,
        "home_page_url": plan.absolute(prefix),
        "feed_url": plan.absolute(f"{prefix}feed.json"),
        "language": lang or plan.language,
    }
    head = json.dumps(feed, ensure_ascii=False, indent=1).removesuffix("\n}").encode("utf-8")
    if not items:
        return [head, b',\n "items": []\n}\n']
    parts = [head, b',\n "items": [\n']
    for item in items:
        parts += (item, b",\n")
    parts[-1] = b"\n ]\n}\n"
    return parts


def json_feed(plan: SitePlan, entries: list[FeedEntry]) -> bytes:
    return b"".join(json_parts(plan, [json_item(entry) for entry in entries]))
