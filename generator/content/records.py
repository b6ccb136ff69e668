"""The hub's content as typed, immutable records, and the Hub that holds them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

ROLES = ("author", "coach", "mentor", "partner", "editor", "team")
AUDIENCES = ("partners", "employees", "hr", "mentors")
MENTEES = ("partners", "assignees")
STAGES = ("before-move", "first-year", "returning")
FORMATS = ("virtual", "in-person")


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str = ""
    translations: tuple[tuple[str, str, str], ...] = ()
    """(language, title, description) in the hub's other languages (topics.yml `translations:`)."""

    def in_language(self, lang: str) -> Topic:
        """The topic as a page in `lang` shows it: its translation there, else itself."""
        for code, title, description in self.translations:
            if code == lang:
                return Topic(self.id, title, description or self.description)
        return self


@dataclass(frozen=True, slots=True)
class Source:
    """Where a curated article was first published."""

    name: str
    url: str
    published: datetime | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open window [start, end) of publication times, with the label editors wrote."""

    label: str
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True, slots=True)
class Mentoring:
    """How someone open to mentoring mentors (`mentoring: true` is every default)."""

    mentees: tuple[str, ...] = MENTEES
    capacity: int = 1
    """Mentees at once, 1-10."""
    stages: tuple[str, ...] = STAGES
    formats: tuple[str, ...] = ("virtual",)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """What every content file has: where it came from, its text and its language."""

    kind: ClassVar[str] = "page"
    section: ClassVar[str] = "pages"

    slug: str
    path: str
    title: str
    summary: str
    body: str
    lang: str
    translation_of: str | None = None
    image: str | None = None
    image_alt: str | None = None
    draft: bool = False
    featured: bool = False
    updated: datetime | None = None
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    body_line: int = field(default=1, compare=False, repr=False)
    """Line of the source file on which the body starts (for messages about the body)."""

    @property
    def key(self) -> str:
        """`<section>/<slug>`: how translations refer to their original."""
        return f"{self.section}/{self.slug}"


@dataclass(frozen=True, kw_only=True)
class Page(Entry):
    """A plain page (about, privacy, subscribe) or the home page's intro."""


@dataclass(frozen=True, kw_only=True)
class Item(Entry):
    """A dated piece that appears in listings and feeds: an article or a story."""

    date: datetime

    def is_published(self, now: datetime) -> bool:
        return not self.draft and self.date <= now


@dataclass(frozen=True, kw_only=True)
class Article(Item):
    kind: ClassVar[str] = "article"
    section: ClassVar[str] = "articles"

    authors: tuple[str, ...]
    audience: tuple[str, ...] = ()
    source: Source | None = None

    @property
    def curated(self) -> bool:
        return self.source is not None


@dataclass(frozen=True, kw_only=True)
class Story(Item):
    kind: ClassVar[str] = "story"
    section: ClassVar[str] = "stories"

    from_country: str
    to_country: str
    partner: str | None = None
    partner_name: str | None = None
    city: str | None = None
    quote: str | None = None
    interviewer: str | None = None


@dataclass(frozen=True, kw_only=True)
class Profile(Entry):
    """A person; `slug` is the profile id and `title` the display name."""

    kind: ClassVar[str] = "person"
    section: ClassVar[str] = "people"

    roles: tuple[str, ...]
    headline: str | None = None
    organization: str | None = None
    photo: str | None = None
    photo_alt: str | None = None
    location: str | None = None
    lived_in: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    mentoring: Mentoring | None = None
    """None: not open to mentoring."""
    links: tuple[tuple[str, str], ...] = ()
    email: str | None = field(default=None, repr=False)
    public: bool = True
    joined: datetime | None = None

    @property
    def id(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        return self.title

    @property
    def all_countries(self) -> tuple[str, ...]:
        """Where they live and have lived, without repeats, in the order written."""
        seen = dict.fromkeys(((self.location,) if self.location else ()) + self.lived_in)
        return tuple(seen)


@dataclass(frozen=True, kw_only=True)
class DigestIntro(Entry):
    """A digest issue's editorial intro; `slug` is the issue id (e.g. 2025-q3)."""

    kind: ClassVar[str] = "digest"
    section: ClassVar[str] = "digests"

    period: Period
    date: datetime
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CountryIntro(Entry):
    """An editor's introduction to a destination hub: countries/<code>.md (body and summary)."""

    kind: ClassVar[str] = "country"
    section: ClassVar[str] = "countries"

    @property
    def code(self) -> str:
        """The ISO 3166-1 code as the rest of the hub writes it (JP); the file name is jp.md."""
        return self.slug.upper()


@dataclass(slots=True)
class Hub:
    """Everything loaded from content/, before any publication filter."""

    topics: dict[str, Topic] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    people: dict[str, Profile] = field(default_factory=dict)
    digests: list[DigestIntro] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    home: Page | None = None
    countries: dict[str, CountryIntro] = field(default_factory=dict)
    """Editors' introductions to destination hubs, by ISO code (JP)."""

    def items(self) -> Iterator[Item]:
        yield from self.articles
        yield from self.stories

    def published_items(self, now: datetime) -> list[Item]:
        """Published articles and stories, newest first (ties broken by path, for stable output)."""
        items = [item for item in self.items() if item.is_published(now)]
        items.sort(key=lambda item: item.path)
        items.sort(key=lambda item: item.date, reverse=True)
        return items

    def public_people(self) -> list[Profile]:
        """Public profiles, by name."""
        return sorted(
            (person for person in self.people.values() if person.public and not person.draft),
            key=lambda person: (person.title.casefold(), person.slug),
        )

    def is_public_person(self, profile_id: str | None) -> bool:
        person = self.people.get(profile_id or "")
        return person is not None and person.public and not person.draft
