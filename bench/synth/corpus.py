"""The synthetic hub as data: every document's hub front matter and Markdown body.

All randomness comes from one `random.Random(seed)`, drawn in a fixed order, so
a seed and a size always give the same corpus, whatever flavour is written.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import words as w
from .text import Place, Prose
from .yamlish import Bare, Value

FIRST_DAY = date(2021, 1, 4)
LAST_DAY = date(2025, 6, 30)
ARTICLE_WORDS = (600, 1300)
BIO_WORDS = (120, 380)
MIN_ITEMS = 10


@dataclass(frozen=True, slots=True)
class Counts:
    articles: int
    stories: int
    profiles: int

    @classmethod
    def plan(cls, items: int) -> Counts:
        """About 70% articles, 20% stories and 10% profiles (at least two), summing to `items`."""
        if items < MIN_ITEMS:
            raise ValueError(f"--items: expected at least {MIN_ITEMS}, got {items}")
        profiles = max(2, round(items * 0.10))
        stories = round(items * 0.20)
        return cls(items - stories - profiles, stories, profiles)


@dataclass(slots=True)
class Doc:
    """One content file: `section` is its folder under content/ ('' for the home page)."""

    section: str
    slug: str
    fields: dict[str, Value]
    body: str = ""
    place: Place = field(default_factory=Place)

    @property
    def key(self) -> str:
        return f"{self.section}/{self.slug}"

    @property
    def title(self) -> str:
        return str(self.fields.get("title") or self.fields["name"])

    @property
    def draft(self) -> bool:
        return self.fields.get("draft") is True


@dataclass(slots=True)
class Corpus:
    topics: tuple[tuple[str, str, str], ...]
    people: list[Doc]
    articles: list[Doc]
    stories: list[Doc]
    digest: Doc
    pages: list[Doc]

    def items(self) -> list[Doc]:
        return self.articles + self.stories

    def documents(self) -> list[Doc]:
        return [*self.pages, self.digest, *self.people, *self.articles, *self.stories]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _unique(base: str, used: set[str], limit: int = 60) -> str:
    base = base[:limit].rsplit("-", 1)[0] if len(base) > limit else base
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    used.add(slug)
    return slug


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def _when(rng: random.Random, day: date) -> Bare:
    """Mostly a bare date; one in ten with a time and an offset, as editors sometimes write."""
    if rng.random() < 0.1:
        return Bare(f"{day.isoformat()}T{rng.randint(7, 18):02d}:{rng.choice((0, 30)):02d}:00+02:00")
    return Bare(day.isoformat())


def _some(rng: random.Random, pool: tuple[str, ...] | list[str], low: int, high: int) -> list[str]:
    return rng.sample(pool, rng.randint(low, min(high, len(pool))))


_ROLE_TITLES = {
    "author": "Writer",
    "coach": "Intercultural coach",
    "mentor": "Volunteer mentor",
    "partner": "Accompanying partner",
    "editor": "Editor",
    "team": "Hub team member",
}


def _clean(text: str) -> str:
    return text.replace("*", "")


def _profile(rng: random.Random, index: int, used: set[str], topic_ids: list[str]) -> Doc:
    name = f"{rng.choice(w.FIRST_NAMES)} {rng.choice(w.LAST_NAMES)}"
    pid = _unique(slugify(name), used)
    roles = list(w.ROLE_SETS[index % len(w.ROLE_SETS)])
    home, *lived = rng.sample(w.COUNTRIES, rng.randint(2, 4))
    languages = list(dict.fromkeys([home[3], lived[0][3], rng.choice(w.EXTRA_LANGUAGES)]))
    mentoring = "mentor" in roles or "coach" in roles or rng.random() < 0.15
    fields: dict[str, Value] = {
        "name": name,
        "roles": roles,
        "headline": f"{_ROLE_TITLES[roles[0]]}, former expat in {rng.choice(lived[0][2])}",
        "organization": rng.choice(w.ORGANIZATIONS) if rng.random() < 0.5 else None,
        "location": home[0],
        "lived_in": [country[0] for country in lived],
        "languages": languages,
        "expertise": _some(rng, topic_ids, 1, 3),
        "mentoring": True if mentoring else None,
        "links": {"Website": f"https://example.org/people/{pid}"} if rng.random() < 0.4 else None,
        "email": f"{pid}@example.com" if rng.random() < 0.5 else None,
        "public": False if index % 10 == 7 else None,
        "joined": Bare(_day(rng).isoformat()) if rng.random() < 0.8 else None,
    }
    place = Place(city=rng.choice(home[2]), country=home[1], name=name.split()[0])
    return Doc("people", pid, fields, place=place)


def _summary(rng: random.Random, prose: Prose, place: Place) -> str | None:
    if rng.random() >= 0.6:
        return None
    count = 1 if rng.random() < 0.7 else 2
    return _clean(" ".join(prose.sentence(place) for _ in range(count)))


def _source(rng: random.Random, slug: str, day: date) -> dict[str, Value] | None:
    if rng.random() >= 0.2:
        return None
    name = rng.choice(w.SOURCES)
    return {
        "name": name,
        "url": f"https://example.net/{slugify(name)}/{slug}",
        "published": Bare((day - timedelta(days=rng.randint(1, 30))).isoformat()),
        "author": f"{rng.choice(w.FIRST_NAMES)} {rng.choice(w.LAST_NAMES)}",
    }


def _flags(rng: random.Random) -> dict[str, Value]:
    return {
        "featured": True if rng.random() < 0.03 else None,
        "draft": True if rng.random() < 0.01 else None,
    }


def _updated(rng: random.Random, day: date) -> Bare | None:
    if rng.random() >= 0.15:
        return None
    return Bare((day + timedelta(days=rng.randint(3, 90))).isoformat())


def _article(rng: random.Random, prose: Prose, used: set[str], authors: list[str], topic_ids: list[str]) -> Doc:
    to, origin = rng.sample(w.COUNTRIES, 2)
    place = Place(city=rng.choice(to[2]), country=to[1], from_city=origin[2][0])
    title = _clean(prose.fill(rng.choice(w.ARTICLE_TITLES), place))
    slug = _unique(slugify(title), used)
    day = _day(rng)
    fields: dict[str, Value] = {
        "title": title,
        "summary": _summary(rng, prose, place),
        "date": _when(rng, day),
        "updated": _updated(rng, day),
        "authors": rng.sample(authors, min(len(authors), 1 if rng.random() < 0.8 else 2)),
        "topics": _some(rng, topic_ids, 1, 3),
        "countries": [to[0]] if rng.random() < 0.5 else None,
        "audience": _some(rng, w.AUDIENCES, 1, 2) if rng.random() < 0.5 else None,
        **_flags(rng),
        "source": _source(rng, slug, day),
    }
    return Doc("articles", slug, fields, place=place)


def _story_partner(rng: random.Random, partners: list[Doc]) -> tuple[dict[str, Value], str]:
    if partners and rng.random() < 0.4:
        person = rng.choice(partners)
        return {"partner": person.slug}, person.title.split()[0]
    first = rng.choice(w.FIRST_NAMES)
    return {"partner_name": first}, first


def _story(
    rng: random.Random,
    prose: Prose,
    used: set[str],
    people: dict[str, list[Doc]],
    topic_ids: list[str],
) -> Doc:
    to, origin = rng.sample(w.COUNTRIES, 2)
    who, first = _story_partner(rng, people["partners"])
    place = Place(city=rng.choice(to[2]), country=to[1], from_city=rng.choice(origin[2]), name=first)
    title = _clean(prose.fill(rng.choice(w.STORY_TITLES), place))
    slug = _unique(slugify(title), used)
    interviewers = people["authors"]
    fields: dict[str, Value] = {
        "title": title,
        "summary": _summary(rng, prose, place),
        "date": _when(rng, _day(rng)),
        **who,
        "from": origin[0],
        "to": to[0],
        "city": place.city if rng.random() < 0.8 else None,
        "topics": _some(rng, topic_ids, 1, 3),
        "quote": _clean(prose.sentence(place)) if rng.random() < 0.6 else None,
        "interviewer": rng.choice(interviewers).slug if rng.random() < 0.7 else None,
        **_flags(rng),
    }
    return Doc("stories", slug, fields, place=place)


def _pages() -> list[Doc]:
    place = Place()
    return [
        Doc("", "index", {"title": "Welcome to the Mobility Hub"}, place=place),
        Doc("pages", "about", {"title": "About the hub"}, place=place),
        Doc("pages", "subscribe", {"title": "Subscribe to the digest"}, place=place),
    ]


def _digest(authors: list[Doc]) -> Doc:
    fields: dict[str, Value] = {
        "title": "Perspectives \u2014 Q2 2025",
        "period": "2025-Q2",
        "date": Bare("2025-07-07"),
        "authors": [person.slug for person in authors[:2]],
    }
    return Doc("digests", "2025-q2", fields)


def _link_targets(corpus: Corpus) -> list[str]:
    people = [doc.key for doc in corpus.people if doc.fields.get("public") is not False]
    return [doc.key for doc in corpus.items() if not doc.draft] + people


def _write_bodies(rng: random.Random, prose: Prose, corpus: Corpus) -> None:
    prose.targets = _link_targets(corpus)
    for doc in corpus.people:
        doc.body = prose.bio(rng.randint(*BIO_WORDS), doc.place)
    for doc in corpus.articles:
        doc.body = prose.article(rng.randint(*ARTICLE_WORDS), doc.place)
    for doc in corpus.stories:
        doc.body = prose.story(rng.randint(*ARTICLE_WORDS), doc.place)
    for doc in [corpus.digest, *corpus.pages]:
        doc.body = prose.short(rng.randint(150, 300), doc.place)


def make_corpus(items: int, seed: int = 1) -> Corpus:
    """The whole synthetic hub for `items` articles, stories and profiles."""
    counts = Counts.plan(items)
    rng = random.Random(seed)
    prose = Prose(rng, [])
    topic_ids = [topic[0] for topic in w.TOPICS]
    ids: set[str] = set()
    people = [_profile(rng, index, ids, topic_ids) for index in range(counts.profiles)]
    public = [doc for doc in people if doc.fields.get("public") is not False]
    pools = {
        "authors": [doc for doc in people if "author" in doc.fields["roles"]],  # type: ignore[operator]
        "partners": [doc for doc in public if "partner" in doc.fields["roles"]],  # type: ignore[operator]
    }
    author_ids = [doc.slug for doc in pools["authors"]]
    slugs: set[str] = set()
    articles = [_article(rng, prose, slugs, author_ids, topic_ids) for _ in range(counts.articles)]
    stories = [_story(rng, prose, slugs, pools, topic_ids) for _ in range(counts.stories)]
    editors = [doc for doc in pools["authors"] if "editor" in doc.fields["roles"]]  # type: ignore[operator]
    corpus = Corpus(w.TOPICS, people, articles, stories, _digest(editors or pools["authors"]), _pages())
    _write_bodies(rng, prose, corpus)
    return corpus
