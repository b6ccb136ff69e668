"""`hub new`: a new content file with the editor's defaults and placeholders to fill in.

Every text the editor still has to write holds the placeholder marker (`TODO:`),
which `hub check` reports until it is replaced. Required ids that have no
sensible placeholder (authors, roles, countries) are written empty, so that
`hub check` names the field until the editor fills it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date
from slugify import slugify

from . import fields as f
from .errors import HubError
from .front_matter import PLACEHOLDER
from .loader import LoadContext, load_topics
from .periods import parse_period, period_kind
from .project import Project, build_time
from .records import ROLES, Period
from .settings import NewSettings

KINDS = ("article", "story", "person", "digest")
SECTIONS = {"article": "articles", "story": "stories", "person": "people", "digest": "digests"}
SLUG_LENGTH = 60


@dataclass(frozen=True, slots=True)
class NewFile:
    """What goes into the new file; `title` is the name for a person."""

    kind: str
    title: str
    slug: str
    day: date
    topics: tuple[str, ...]
    defaults: NewSettings
    draft: bool = False
    period: Period | None = None
    dated: bool = True
    """False for a person without --date: no `joined` is written."""


def slug_for(title: str) -> str:
    """An ASCII slug of the title: "Zürich: a first winter" -> zurich-a-first-winter."""
    apostrophes = [["'", ""], ["’", ""]]  # "Ana's" -> anas, not ana-s
    slug = slugify(title, max_length=SLUG_LENGTH, word_boundary=True, replacements=apostrophes)
    if not f.SLUG.match(slug):
        raise HubError(
            f"expected a title with letters or digits to make a file name from, got {title!r}; give one with --slug"
        )
    return slug


def period_name(period: Period, language: str) -> str:
    """ "Q4 2026", "November 2026" or "Week 47, 2026"."""
    year, _, rest = period.label.partition("-")
    kind = period_kind(period.label)
    if kind == "quarter":
        return f"{rest} {year}"
    if kind == "week":
        return f"Week {int(rest[1:])}, {year}"
    return format_date(period.start.date(), "LLLL y", locale=language)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _ids(values: Iterable[str]) -> str:
    return f"[{', '.join(values)}]"


def _required_ids(name: str, values: Iterable[str], hint: str) -> str:
    values = tuple(values)
    return f"{name}: {_ids(values)}" if values else f"{name}: []  # required: {hint}"


def _front(lines: Iterable[str | None], body: str) -> str:
    return "---\n" + "".join(f"{line}\n" for line in lines if line) + f"---\n{body}\n"


def _summary(what: str) -> str:
    return f"summary: {_quoted(f'{PLACEHOLDER} {what}')}"


def _draft(new: NewFile) -> str | None:
    return "draft: true" if new.draft else None


def article(new: NewFile) -> str:
    defaults = new.defaults
    return _front(
        [
            f"title: {_quoted(new.title)}",
            _summary("one to three sentences for listings, feeds and the digest"),
            f"date: {new.day.isoformat()}",
            _required_ids("authors", defaults.authors, "profile ids from people/, e.g. [ana-lima]"),
            _required_ids("topics", new.topics, "1-8 topic ids from topics.yml"),
            f"audience: {_ids(defaults.audience)}" if defaults.audience else None,
            _draft(new),
        ],
        f"{PLACEHOLDER} write the article in Markdown; its first paragraph opens the page.",
    )


def story(new: NewFile) -> str:
    interviewer = new.defaults.interviewer
    return _front(
        [
            f"title: {_quoted(new.title)}",
            _summary("one to three sentences for listings, feeds and the digest"),
            f"date: {new.day.isoformat()}",
            f"partner_name: {_quoted(f'{PLACEHOLDER} first name or pseudonym')}"
            "  # or partner: <profile id>, when they have a public profile",
            'from: ""  # required: the country they moved from, e.g. DE',
            'to: ""  # required: the country they moved to, e.g. SG',
            _required_ids("topics", new.topics, "1-8 topic ids from topics.yml"),
            f"interviewer: {interviewer}" if interviewer else None,
            _draft(new),
        ],
        f"{PLACEHOLDER} write the interview in Markdown; its first paragraph opens the page.",
    )


def person(new: NewFile) -> str:
    return _front([
        f"name: {_quoted(new.title)}",
        _required_ids("roles", (), f"any of {', '.join(ROLES)}"),
        f"headline: {_quoted(f'{PLACEHOLDER} one line, like: Coach, former expat in Lisbon')}",
        f"expertise: {_ids(new.topics)}" if new.topics else None,
        f"joined: {new.day.isoformat()}" if new.dated else None,
        _draft(new),
    ], f"{PLACEHOLDER} write a short bio in Markdown.")  # fmt: skip


def digest(new: NewFile) -> str:
    defaults = new.defaults
    return _front([
        f"title: {_quoted(new.title)}",
        _summary("one or two sentences on what this issue holds"),
        f"period: {new.period.label if new.period else new.slug}",
        f"date: {new.day.isoformat()}",
        f"authors: {_ids(defaults.authors)}" if defaults.authors else None,
        f"topics: {_ids(new.topics)}" if new.topics else None,
        _draft(new),
    ], f"{PLACEHOLDER} write the editorial intro in Markdown.")  # fmt: skip


TEMPLATES: dict[str, Callable[[NewFile], str]] = {
    "article": article, "story": story, "person": person, "digest": digest,
}  # fmt: skip


def known_topics(project: Project) -> set[str]:
    context = LoadContext(project.content_dir, project.settings.zone, project.language)
    return set(load_topics(context, []))


def unknown_topics(project: Project, topics: Iterable[str]) -> list[str]:
    known = known_topics(project)
    return [topic for topic in topics if topic not in known]


def plan(project: Project, kind: str, title: str, *, topics: tuple[str, ...] = (),
         slug: str | None = None, day: date | None = None,
         draft: bool = False) -> NewFile:  # fmt: skip
    """Decide the new file's title, slug and date; for a digest, `title` is the period (2026-Q4)."""
    settings = project.settings
    defaults = settings.new
    today = build_time().astimezone(settings.zone).date()
    topics = topics or ((*defaults.topics,) if kind in ("article", "story") else ())
    if kind != "digest":
        slug = slug or slug_for(title)
        dated = day is not None or kind != "person"
        day = day or today
        return NewFile(kind, title.strip(), slug, day, topics, defaults, draft, dated=dated)
    try:
        period = parse_period(title, settings.zone)
    except ValueError as exc:
        raise HubError(f"hub new digest: {exc}") from None
    name = defaults.digest_title.format(period=period_name(period, project.language))
    day = day or max(today, period.end.date())
    return NewFile(kind, name, slug or period.label.lower(), day, topics, defaults, draft, period)


def write(project: Project, new: NewFile) -> Path:
    """Create the file; never overwrite one."""
    path = project.content_dir / SECTIONS[new.kind] / f"{new.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(TEMPLATES[new.kind](new))
    except FileExistsError:
        shown = os.path.relpath(path).replace(os.sep, "/")
        raise HubError(f"{shown}: already exists; edit it, or choose another --slug") from None
    return path
