"""The feed writer as it was before generator.build.feed_cache: ElementTree, one regular expression
over every body, urljoin for every link. Kept verbatim as the oracle that the cached,
string-built writer must match byte for byte (test_feed_cache.py). One change: characters
XML cannot carry (control characters, lone surrogates) are left out, as the writer now does.
"""

from __future__ import annotations

import json
import mimetypes
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from generator.content.records import Article, Entry, Profile, Story
from generator.site.feed_languages import language_feeds
from generator.site.feeds import (
    ATOM,
    AUDIENCE_SCHEME,
    COUNTRY_SCHEME,
    FLAG_SCHEME,
    ROLE_SCHEME,
    TYPE_LABELS,
    TYPE_SCHEME,
    Author,
    Category,
    FeedEntry,
    FeedSpec,
    feed_specs,
)
from generator.site.localization import AUDIENCE_LABELS, ROLE_LABELS, country_name
from generator.site.plan import SitePlan

_URL_ATTR = re.compile(r'(\s(?:href|src))="([^"]*)"')

ET.register_namespace("", ATOM)


def absolutize(html: str, page_url: str) -> str:
    """Make every href/src absolute against the page's own URL (feeds are read off-site)."""

    def fix(match: re.Match[str]) -> str:
        value = match.group(2)
        if value.startswith(("#", "mailto:", "data:")) or "://" in value:
            return match.group(0)
        return f'{match.group(1)}="{urljoin(page_url, value)}"'

    return _URL_ATTR.sub(fix, html)


def _categories(plan: SitePlan, entry: Entry) -> tuple[Category, ...]:
    site_topics = plan.absolute("topics/")
    found = [Category(entry.kind, TYPE_SCHEME, TYPE_LABELS.get(entry.kind, entry.kind))]
    if entry.featured:
        found.append(Category("featured", FLAG_SCHEME, "Featured"))
    topic_ids = entry.expertise if isinstance(entry, Profile) else entry.topics
    for topic_id in topic_ids:
        found.append(Category(topic_id, site_topics, plan.hub.topics[topic_id].in_language(entry.lang).title))
    countries = entry.all_countries if isinstance(entry, Profile) else entry.countries
    found.extend(Category(code, COUNTRY_SCHEME, country_name(code, entry.lang)) for code in countries)
    if isinstance(entry, Article):
        found.extend(Category(a, AUDIENCE_SCHEME, AUDIENCE_LABELS[a]) for a in entry.audience)
    if isinstance(entry, Profile):
        found.extend(Category(r, ROLE_SCHEME, ROLE_LABELS[r]) for r in entry.roles)
    return tuple(found)


def _authors(plan: SitePlan, entry: Entry) -> tuple[Author, ...]:
    if isinstance(entry, Article):
        ids: tuple[str, ...] = entry.authors
    elif isinstance(entry, Story):
        ids = tuple(p for p in (entry.interviewer,) if p)
    else:
        return (Author(entry.title, plan.absolute(plan.url_of(entry))),)
    authors = []
    for profile_id in ids:
        person = plan.public_person(profile_id)
        name = plan.hub.people[profile_id].title
        authors.append(Author(name, plan.absolute(plan.url_of(person)) if person else None))
    return tuple(authors) or (Author(plan.site_name, None),)


def _image(plan: SitePlan, entry: Entry) -> tuple[str, str] | None:
    image = entry.photo if isinstance(entry, Profile) else entry.image
    if not image:
        return None
    alt = (entry.photo_alt or entry.title) if isinstance(entry, Profile) else (entry.image_alt or "")
    return (image if "://" in image else plan.absolute(image)), alt


def feed_entries(plan: SitePlan, content_html: dict[str, str]) -> list[FeedEntry]:
    """Published items and public people with a `joined` date, newest first."""
    records: list[tuple[Entry, datetime]] = [(item, item.date) for item in plan.relations.items]
    records += [(p, p.joined) for p in plan.relations.people if p.joined and p.joined <= plan.now]
    records.sort(key=lambda pair: pair[0].path)
    records.sort(key=lambda pair: pair[1], reverse=True)
    entries = []
    for entry, published in records:
        url = plan.absolute(plan.url_of(entry))
        source = entry.source if isinstance(entry, Article) else None
        entries.append(FeedEntry(
            kind=entry.kind,
            url=url,
            title=entry.title,
            summary=entry.summary,
            content_html=absolutize(content_html.get(entry.path, ""), url),
            published=published,
            updated=max(entry.updated or published, published),
            lang=entry.lang,
            authors=_authors(plan, entry),
            categories=_categories(plan, entry),
            topics=entry.expertise if isinstance(entry, Profile) else entry.topics,
            via=(source.url, source.name) if source else None,
            image=_image(plan, entry),
            translations=_translations(plan, entry),
        ))  # fmt: skip
    return entries


def _translations(plan: SitePlan, entry: Entry) -> tuple[tuple[str, str], ...]:
    """(language, URL) of the entry's other published versions, in the hub's language order."""
    if plan.languages is None or len(plan.languages.languages) < 2:
        return ()
    family = entry.translation_of or entry.key
    found = []
    for lang in plan.languages.languages:
        versions = [other for other in plan.entries.values()
                    if other.lang == lang and (other.translation_of or other.key) == family]  # fmt: skip
        if versions and versions[0] is not entry:
            found.append((lang, plan.absolute(plan.url_of(versions[0]))))
    return tuple(found)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, **more: str) -> ET.Element:
    """ET.SubElement, with what XML cannot carry left out of the attributes (the one change since)."""
    carried = {key: _NOT_XML.sub("", value) for key, value in {**(attrs or {}), **more}.items()}
    return ET.SubElement(parent, tag, carried)


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = _sub(parent, tag, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def _atom_entry(feed: ET.Element, entry: FeedEntry) -> None:
    node = _sub(feed, "entry", {"xml:lang": entry.lang})
    _text(node, "id", entry.url)
    _text(node, "title", entry.title, type="text")
    _sub(node, "link", rel="alternate", type="text/html", href=entry.url)
    for lang, other in entry.translations:
        _sub(node, "link", rel="alternate", type="text/html", hreflang=lang, href=other)
    _text(node, "published", entry.published.isoformat())
    _text(node, "updated", entry.updated.isoformat())
    for author in entry.authors:
        person = _sub(node, "author")
        _text(person, "name", author.name)
        if author.uri:
            _text(person, "uri", author.uri)
    if entry.summary:
        _text(node, "summary", entry.summary, type="text")
    _text(node, "content", entry.content_html, type="html")
    for category in entry.categories:
        _sub(node, "category", term=category.term, scheme=category.scheme, label=category.label)
    if entry.via:
        _sub(node, "link", rel="via", href=entry.via[0], title=entry.via[1])
    if entry.image:
        kind = mimetypes.guess_type(entry.image[0])[0] or "image/jpeg"
        _sub(node, "link", rel="enclosure", href=entry.image[0], type=kind, title=entry.image[1])


def atom_feed(plan: SitePlan, spec: FeedSpec, entries: list[FeedEntry]) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": spec.lang or plan.language})
    self_url = plan.absolute(spec.path)
    _text(feed, "id", self_url)
    _text(feed, "title", spec.title, type="text")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=plan.absolute(spec.home))
    newest = max((e.updated for e in entries), default=plan.now)
    _text(feed, "updated", newest.isoformat())
    _text(_sub(feed, "author"), "name", plan.site_name)
    _text(feed, "generator", "Mobility Hub")
    for entry in entries:
        _atom_entry(feed, entry)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def json_feed(plan: SitePlan, entries: list[FeedEntry], lang: str = "", prefix: str = "") -> bytes:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), with the hub's extension."""
    items = []
    for entry in entries:
        item: dict[str, object] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
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
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": plan.site_name,
        "home_page_url": plan.absolute(prefix),
        "feed_url": plan.absolute(f"{prefix}feed.json"),
        "language": lang or plan.language,
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_feeds(plan: SitePlan, content_html: dict[str, str], site_dir: Path) -> None:
    entries = feed_entries(plan, content_html)
    limit = plan.settings.feeds.limit
    for spec in feed_specs(plan):
        selected = [entry for entry in entries if spec.select(entry)]
        path = site_dir / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(atom_feed(plan, spec, selected if spec.unlimited else selected[:limit]))
    for language in language_feeds(plan):
        chosen = [entry for entry in entries if language.member(entry)][:limit]
        lang = language.lang if language.prefix else ""
        (site_dir / language.json_path).write_bytes(json_feed(plan, chosen, lang, language.prefix))
