"""What the hub's feeds hold: one table of feed specs and one entry model, made from the plan.

The bytes (Atom 1.0, JSON Feed 1.1) are written by feed_formats.py.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin, urlparse, uses_netloc, uses_relative

from generator.content.records import Article, Entry, Profile, Story

from . import urls
from .feed_languages import language_feeds, translations_of
from .localization import AUDIENCE_LABELS, ROLE_LABELS, country_name
from .messages import translations
from .plan import SitePlan

ATOM = "http://www.w3.org/2005/Atom"
TYPE_SCHEME = "urn:mobility-hub:type"
FLAG_SCHEME = "urn:mobility-hub:flag"
COUNTRY_SCHEME = "urn:iso:std:iso:3166"
AUDIENCE_SCHEME = "urn:mobility-hub:audience"
ROLE_SCHEME = "urn:mobility-hub:role"
TYPE_LABELS = {"article": "Article", "story": "Partner story", "person": "Person"}
_URL_ATTR = re.compile(r'(\s(?:href|src))="([^"]*)"')
_PLAIN_PATH = re.compile(r"[\w.~%-][\w.~%/-]*", re.ASCII)  # no scheme, host, query, fragment or ;params


@dataclass(frozen=True, slots=True)
class Category:
    term: str
    scheme: str
    label: str


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    uri: str | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed entry, whatever the record: an article, a story or a new person.

    content_html is the page's HTML as rendered, with links relative to the page;
    they are made absolute as the entry is serialized (cached entries never are).
    """

    kind: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    lang: str
    authors: tuple[Author, ...]
    categories: tuple[Category, ...]
    topics: tuple[str, ...]
    via: tuple[str, str] | None = None
    image: tuple[str, str] | None = None
    translations: tuple[tuple[str, str], ...] = ()
    """(language, URL) of the piece's other published versions: the digest picks a reader's."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    path: str
    title: str
    select: Callable[[FeedEntry], bool]
    unlimited: bool = False
    lang: str = ""
    """The feed's language (xml:lang); "" is the site language."""
    home: str = ""
    """Its language's home page, site-relative: "" or "fr/"."""


def absolutize(html: str, page_url: str) -> str:
    """Make every href/src absolute against the page's own URL (feeds are read off-site).

    The same as `_URL_ATTR.sub(...)`, but the regular expression is only tried where
    `href="` or `src="` occurs: scanning whole bodies with it was most of a cold write.
    """
    starts = sorted(at - 1 for name in ('href="', 'src="') for at in _occurrences(html, name) if at)
    parts, copied, scanned = [], 0, 0  # like re.sub, a match (kept or not) is never scanned again
    for start in starts:
        match = _URL_ATTR.match(html, start) if start >= scanned else None
        if match is None:
            continue
        scanned, value = match.end(), match.group(2)
        if not (value.startswith(("#", "mailto:", "data:")) or "://" in value):
            parts += (html[copied:start], f'{match.group(1)}="{_join(page_url, value)}"')
            copied = scanned
    return "".join(parts) + html[copied:] if parts else html


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _join(page_url: str, value: str) -> str:
    """urljoin(page_url, value); plain relative paths (most links) skip urllib's parsing.

    The shortcut follows urljoin's own steps for a path without a scheme, query,
    parameters or fragment, against a base with a host (tests compare the two).
    """
    base = _join_base(page_url)
    if base is None or not _PLAIN_PATH.fullmatch(value):
        return urljoin(page_url, value)
    origin, base_parts = base
    segments = [*base_parts, *value.split("/")]
    segments[1:-1] = filter(None, segments[1:-1])
    resolved: list[str] = []
    for segment in segments:
        if segment == "..":
            if resolved:
                resolved.pop()
        elif segment != ".":
            resolved.append(segment)
    if segments[-1] in (".", ".."):
        resolved.append("")
    path = "/".join(resolved) or "/"
    return origin + (path if path.startswith("/") else "/" + path)


@lru_cache(maxsize=8)
def _join_base(page_url: str) -> tuple[str, tuple[str, ...]] | None:
    scheme, netloc, path, *_ = urlparse(page_url)
    if not netloc or scheme not in uses_relative or scheme not in uses_netloc:
        return None
    parts = path.split("/")
    return f"{scheme}://{netloc}", tuple(parts if parts[-1] == "" else parts[:-1])


class _Shared:
    """What many entries render alike, looked up once per feed write: topics, countries, people."""

    def __init__(self, plan: SitePlan):
        self.plan = plan
        self.site_topics = plan.absolute("topics/")
        self.topics: dict[str, Category] = {}
        self.countries: dict[str, Category] = {}
        self.people: dict[str, Author] = {}

    def topic(self, topic_id: str, lang: str) -> Category:
        """The topic's category, its label in the entry's language."""
        found = self.topics.get(f"{topic_id}:{lang}")
        if found is None:
            title = self.plan.hub.topics[topic_id].in_language(lang).title
            found = self.topics[f"{topic_id}:{lang}"] = Category(topic_id, self.site_topics, title)
        return found

    def country(self, code: str, lang: str) -> Category:
        """The country's category, its label in the entry's language."""
        found = self.countries.get(f"{code}:{lang}")
        if found is None:
            name = country_name(code, lang)
            found = self.countries[f"{code}:{lang}"] = Category(code, COUNTRY_SCHEME, name)
        return found

    def person(self, profile_id: str) -> Author:
        found = self.people.get(profile_id)
        if found is None:
            plan, person = self.plan, self.plan.public_person(profile_id)
            name = plan.hub.people[profile_id].title
            found = self.people[profile_id] = Author(name, plan.absolute(plan.url_of(person)) if person else None)
        return found


# Categories that only depend on their term, made once: most entries share them.
_fixed_category = lru_cache(maxsize=1024)(Category)


def _categories(shared: _Shared, entry: Entry) -> tuple[Category, ...]:
    found = [_fixed_category(entry.kind, TYPE_SCHEME, TYPE_LABELS.get(entry.kind, entry.kind))]
    if entry.featured:
        found.append(_fixed_category("featured", FLAG_SCHEME, "Featured"))
    if isinstance(entry, Profile):
        found += [shared.topic(topic_id, entry.lang) for topic_id in entry.expertise]
        found += [shared.country(code, entry.lang) for code in entry.all_countries]
        found += [_fixed_category(r, ROLE_SCHEME, ROLE_LABELS[r]) for r in entry.roles]
        return tuple(found)
    found += [shared.topic(topic_id, entry.lang) for topic_id in entry.topics]
    found += [shared.country(code, entry.lang) for code in entry.countries]
    if isinstance(entry, Article):
        found += [_fixed_category(a, AUDIENCE_SCHEME, AUDIENCE_LABELS[a]) for a in entry.audience]
    return tuple(found)


def _authors(shared: _Shared, entry: Entry, url: str) -> tuple[Author, ...]:
    if isinstance(entry, Profile):
        return (Author(entry.title, url),)
    return tuple([shared.person(profile_id) for profile_id in _named(entry)]) or (Author(shared.plan.site_name, None),)


def _image(plan: SitePlan, entry: Entry) -> tuple[str, str] | None:
    image = entry.photo if isinstance(entry, Profile) else entry.image
    if not image:
        return None
    alt = (entry.photo_alt or entry.title) if isinstance(entry, Profile) else (entry.image_alt or "")
    return (image if "://" in image else plan.absolute(image)), alt


class EntryMemo:
    """Feed entries kept from one write to the next (the preview server's many writes).

    An entry is made again only when its record, its rendered HTML or a profile it names
    is another object than last time (records are immutable; an unchanged file gives
    back the same object), or when anything site-wide it shows has changed.
    """

    def __init__(self) -> None:
        self.site: tuple = ()
        self.kept: dict[int, tuple[tuple, FeedEntry]] = {}

    def start(self, plan: SitePlan) -> None:
        # Which pieces have translations shows in every entry of a family (its hreflang links).
        versions = plan.languages.versions if plan.languages is not None else None
        site = (plan.site_url, plan.site_name, plan.language, tuple(plan.hub.topics.values()), versions)
        if site != self.site:
            self.site, self.kept = site, {}


def feed_entries(plan: SitePlan, content_html: dict[str, str], memo: EntryMemo | None = None) -> list[FeedEntry]:
    """Published items and public people with a `joined` date, newest first."""
    records: list[tuple[Entry, datetime]] = [(item, item.date) for item in plan.relations.items]
    records += [(p, p.joined) for p in plan.relations.people if p.joined and p.joined <= plan.now]
    records.sort(key=lambda pair: pair[0].path)
    records.sort(key=lambda pair: pair[1], reverse=True)
    shared = _Shared(plan)
    if memo is None:
        return [_feed_entry(plan, shared, entry, published, content_html.get(entry.path, ""))
                for entry, published in records]  # fmt: skip
    memo.start(plan)
    made = {}
    people = plan.hub.people
    entries = []
    for entry, published in records:
        html = content_html.get(entry.path, "")
        depends = (entry, html, *[people.get(profile_id) for profile_id in _named(entry)])
        last = memo.kept.get(id(entry))
        if last is not None and len(last[0]) == len(depends) and all(map(operator.is_, last[0], depends)):
            feed_entry = last[1]
        else:
            feed_entry = _feed_entry(plan, shared, entry, published, html)
        made[id(entry)] = (depends, feed_entry)
        entries.append(feed_entry)
    memo.kept = made
    return entries


def _named(entry: Entry) -> tuple[str, ...]:
    if isinstance(entry, Article):
        return entry.authors
    if isinstance(entry, Story) and entry.interviewer:
        return (entry.interviewer,)
    return ()


def _feed_entry(plan: SitePlan, shared: _Shared, entry: Entry, published: datetime, html: str) -> FeedEntry:
    url = plan.absolute(plan.url_of(entry))
    source = entry.source if isinstance(entry, Article) else None
    return FeedEntry(
        kind=entry.kind,
        url=url,
        title=entry.title,
        summary=entry.summary,
        content_html=html,
        published=published,
        updated=max(entry.updated or published, published),
        lang=entry.lang,
        authors=_authors(shared, entry, url),
        categories=_categories(shared, entry),
        topics=entry.expertise if isinstance(entry, Profile) else entry.topics,
        via=(source.url, source.name) if source else None,
        image=_image(plan, entry),
        translations=translations_of(plan, entry, url),
    )


def feed_specs(plan: SitePlan) -> list[FeedSpec]:
    """The table of every feed the hub publishes, in every language."""
    site = plan.site_name
    specs = []
    for feeds in language_feeds(plan):
        words, prefix, member = translations(feeds.lang).gettext, feeds.prefix, feeds.member
        lang = feeds.lang if prefix else ""
        articles, stories = words("articles"), words("partner stories")
        kinds = (("all", site, lambda e: True),
                 ("articles", f"{site}: {articles}", lambda e: e.kind == "article"),
                 ("stories", f"{site}: {stories}", lambda e: e.kind == "story"))  # fmt: skip
        for name, title, select in kinds:
            specs.append(FeedSpec(prefix + urls.feed_url(name), title, lambda e, s=select, m=member: m(e) and s(e),
                                  plan.settings.feeds.full_archive and name == "all", lang, prefix))  # fmt: skip
        for topic in (topic.in_language(feeds.lang) for topic in plan.hub.topics.values()):
            specs.append(FeedSpec(prefix + urls.topic_feed_url(topic.id), f"{site}: {topic.title}",
                                  lambda e, t=topic.id, m=member: e.kind != "person" and t in e.topics and m(e),
                                  lang=lang, home=prefix))  # fmt: skip
    return specs
