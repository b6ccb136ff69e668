"""Pages generated from the content alone: listings, hubs, directory, archive, home."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content.records import Article, CountryIntro, Hub, Item, Profile, Story, Topic
from generator.content.settings import HubSettings

from . import urls
from .relations import Relations

Words = Callable[[str], str]
"""A message catalog's gettext: English text → the text in a page's language."""


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page with no source file: where it goes, its title, its template and its data."""

    src_uri: str
    title: str
    template: str
    view: Any
    description: str = ""
    lang: str = ""
    """The page's language; "" is the site language."""
    body: str = ""
    """Markdown rendered as the page's content (a destination hub's introduction)."""


@dataclass(frozen=True, slots=True)
class Listing:
    section: str
    title: str
    items: list[Item]
    page: int
    pages: int
    prefix: str = ""
    """The language's URL prefix ("fr/"); "" for the site language."""

    @property
    def previous_url(self) -> str | None:
        return self.prefix + urls.section_url(self.section, self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.prefix + urls.section_url(self.section, self.page + 1) if self.page < self.pages else None


@dataclass(frozen=True, slots=True)
class TopicHub:
    topic: Topic
    articles: list[Article]
    stories: list[Story]
    people: list[Profile]


@dataclass(frozen=True, slots=True)
class CountryHub:
    code: str
    host_stories: list[Story]
    origin_stories: list[Story]
    articles: list[Article]
    people: list[Profile]
    intro: CountryIntro | None = None
    """The editors' introduction (content/countries/<code>.md), if they wrote one."""

    @property
    def mentors(self) -> list[Profile]:
        """People who live or lived there and are open to mentoring."""
        return [person for person in self.people if person.mentoring]

    @property
    def others(self) -> list[Profile]:
        """People who live or lived there, less the mentors."""
        return [person for person in self.people if not person.mentoring]


@dataclass(frozen=True, slots=True)
class CountryCount:
    """A destination in the index, with what its hub shows."""

    key: str
    stories: int
    articles: int
    people: int


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class Directory:
    people: list[Profile]
    roles: list[Count]
    countries: list[Count]
    languages: list[Count]


@dataclass(frozen=True, slots=True)
class Archive:
    """The archive index (every year with its count) or one year's items (`year` set)."""

    years: list[Count]
    year: int | None = None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class Home:
    featured: list[Item]
    articles: list[Article]
    stories: list[Story]
    topics: list[Count]
    mentors: list[Profile]
    subscribe_url: str | None


def _sections(relations: Relations, settings: HubSettings, words: Words, prefix: str) -> list[GeneratedPage]:
    pages = []
    for section, kind, title in (("articles", Article, words("Articles")),
                                 ("stories", Story, words("Partner stories"))):  # fmt: skip
        items = [item for item in relations.items if isinstance(item, kind)]
        size = settings.page_size
        count = max(1, math.ceil(len(items) / size))
        for number in range(1, count + 1):
            listing = Listing(section, title, items[(number - 1) * size : number * size], number, count, prefix)
            src = f"{section}/index.md" if number == 1 else f"{section}/page/{number}.md"
            heading = title if number == 1 else words("{title}, page {page} of {pages}").format(
                title=title, page=number, pages=count)  # fmt: skip
            pages.append(GeneratedPage(src, heading, "listing.html", listing))
    return pages


def _split(items: list[Item]) -> tuple[list[Article], list[Story]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Story)]


def _topics(hub: Hub, relations: Relations, words: Words, lang: str) -> list[GeneratedPage]:
    pages = [
        GeneratedPage(
            "topics/index.md",
            words("Topics"),
            "topics.html",
            [Count(topic_id, len(relations.by_topic.get(topic_id, ()))) for topic_id in hub.topics],
        )
    ]
    for topic in (topic.in_language(lang) for topic in hub.topics.values()):
        articles, stories = _split(relations.by_topic.get(topic.id, []))
        view = TopicHub(topic, articles, stories, relations.experts.get(topic.id, []))
        pages.append(GeneratedPage(f"topics/{topic.id}.md", topic.title, "topic.html", view, topic.description))
    return pages


def mentioned_countries(relations: Relations, intros: dict[str, CountryIntro] | None = None) -> list[str]:
    return sorted(set(relations.by_country) | set(relations.residents) | set(intros or ()))


def _countries(hub: Hub, relations: Relations, names: dict[str, str], words: Words) -> list[GeneratedPage]:
    hubs = []
    for code in mentioned_countries(relations, hub.countries):
        articles, stories = _split(relations.by_country.get(code, []))
        hubs.append(CountryHub(
            code,
            [story for story in stories if story.to_country == code],
            [story for story in stories if story.from_country == code and story.to_country != code],
            articles,
            relations.residents.get(code, []),
            hub.countries.get(code),
        ))  # fmt: skip
    counts = [CountryCount(view.code, len(view.host_stories) + len(view.origin_stories), len(view.articles),
                           len(view.people)) for view in hubs]  # fmt: skip
    counts.sort(key=lambda row: names.get(row.key, row.key))
    pages = [GeneratedPage("countries/index.md", words("Destinations"), "countries.html", counts)]
    for view in hubs:
        summary, body = (view.intro.summary, view.intro.body) if view.intro else ("", "")
        title = names.get(view.code, view.code)
        page = GeneratedPage(f"countries/{view.code.lower()}.md", title, "country.html", view, summary, body=body)
        pages.append(page)
    return pages


def _counted(values: list[str]) -> list[Count]:
    return [Count(key, count) for key, count in sorted(Counter(values).items())]


def directory(relations: Relations) -> Directory:
    people = relations.people
    return Directory(
        people,
        _counted([role for person in people for role in person.roles]),
        _counted([code for person in people for code in person.all_countries]),
        _counted([code for person in people for code in person.languages]),
    )


def _archive(relations: Relations) -> list[GeneratedPage]:
    years = [Count(str(year), len(items)) for year, items in sorted(relations.by_year.items(), reverse=True)]
    pages = [GeneratedPage("archive/index.md", "Archive", "archive.html", Archive(years))]
    for year, items in sorted(relations.by_year.items(), reverse=True):
        view = Archive(years, year, tuple(items))
        pages.append(GeneratedPage(f"archive/{year}.md", f"Archive {year}", "archive.html", view))
    return pages


def home(hub: Hub, relations: Relations, settings: HubSettings) -> Home:
    featured = [item for item in relations.items if item.featured][: settings.home_featured]
    shown = {item.path for item in featured}
    rest = [item for item in relations.items if item.path not in shown]
    articles, stories = _split(rest)
    topics = [Count(topic_id, len(relations.by_topic.get(topic_id, ()))) for topic_id in hub.topics]
    mentors = [person for person in relations.people if person.mentoring][: settings.home_mentors]
    return Home(
        featured, articles[: settings.home_items], stories[: settings.home_items], topics, mentors,
        settings.subscribe_url,
    )  # fmt: skip


def _same(text: str) -> str:
    return text


def generated_pages(hub: Hub, relations: Relations, settings: HubSettings, country_names: dict[str, str],
                    words: Words = _same, lang: str = "", prefix: str = "") -> list[GeneratedPage]:  # fmt: skip
    """Every page the hub generates from content, in a stable order.

    For a language other than the site's (`lang`, with its URL `prefix`), the same pages
    under the prefix with titles in `words` (its message catalog), less the archive.
    """
    pages = [
        *_sections(relations, settings, words, prefix),
        *_topics(hub, relations, words, lang),
        *_countries(hub, relations, country_names, words),
        GeneratedPage("people/index.md", words("People"), "directory.html", directory(relations)),
        *(_archive(relations) if not prefix else ()),
        GeneratedPage("search/index.md", words("Search"), "search.html", None),
    ]
    if not prefix:
        return pages
    return [dataclasses.replace(page, src_uri=prefix + page.src_uri, lang=lang) for page in pages]
