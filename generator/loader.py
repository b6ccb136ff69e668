"""content/ → a Hub of typed records, with every problem collected (never the first only)."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import fields as f
from .errors import ContentIssue, Severity
from .markdown_source import prose
from .periods import custom_period, parse_period
from .records import (
    AUDIENCES,
    ROLES,
    Article,
    DigestIntro,
    Entry,
    Hub,
    Page,
    Period,
    Profile,
    Source,
    Story,
    Topic,
)
from .summaries import first_paragraph
from .yaml_source import SourceFile, YamlSyntaxError, parse_yaml, read_source

COMMON_FIELDS = (
    "title", "summary", "topics", "countries", "lang", "translation_of",
    "image", "image_alt", "draft", "featured", "updated",
)  # fmt: skip
ARTICLE_FIELDS = (*COMMON_FIELDS, "date", "authors", "audience", "source")
STORY_FIELDS = (
    *COMMON_FIELDS, "date", "partner", "partner_name", "from", "to", "city", "quote", "interviewer",
)  # fmt: skip
PROFILE_FIELDS = (
    "name", "summary", "lang", "translation_of", "draft", "featured", "updated", "roles",
    "headline", "organization", "photo", "photo_alt", "location", "lived_in", "languages",
    "expertise", "mentoring", "links", "email", "public", "joined", "topics", "countries",
)  # fmt: skip
DIGEST_FIELDS = (*COMMON_FIELDS, "period", "from", "to", "date", "authors")
PAGE_FIELDS = (*COMMON_FIELDS, "hide")
SOURCE_FIELDS = ("name", "url", "published", "author")
SECTIONS = ("articles", "stories", "people", "digests", "pages")


@dataclass(frozen=True, slots=True)
class LoadContext:
    content_dir: Path
    zone: ZoneInfo
    language: str
    display_root: str = "content"
    sources: SourceCache | None = None
    """Parsed files kept between loads (hub serve), so only changed files are parsed again."""


class SourceCache:
    """Parsed content files by path, valid while the file's size and modification time match."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int], SourceFile | ContentIssue]] = {}

    def read(self, path: Path, rel: str) -> SourceFile | ContentIssue:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._files.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        source = read_source(rel, path.read_bytes())
        self._files[path] = (stamp, source)
        return source


@dataclass(slots=True)
class LoadResult:
    hub: Hub
    issues: list[ContentIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ContentIssue]:
        return [issue for issue in self.issues if issue.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[ContentIssue]:
        return [issue for issue in self.issues if issue.severity is Severity.WARNING]


_MISSING = object()


class FrontMatter:
    """One file's front matter: typed reads that record problems with their line."""

    def __init__(self, source: SourceFile, display: str, context: LoadContext, issues: list):
        self.source = source
        self.data: dict[str, Any] = source.front.data
        self.display = display
        self.context = context
        self.issues = issues
        self.failed = False

    def line(self, *path: str | int) -> int:
        return self.source.front.line_of(*path) or 1

    def problem(self, name: str, message: str, *path: str | int) -> None:
        self.failed = True
        line = self.line(*(path or (name,)))
        self.issues.append(ContentIssue(self.display, line, name, message))

    def take(self, name: str, parse: Callable[[Any], Any], *, required: bool = False,
             default: Any = None) -> Any:  # fmt: skip
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.missing(name)
            return default
        try:
            return parse(value)
        except f.FieldProblem as problem:
            path = (name,) if problem.index is None else (name, problem.index)
            self.problem(name, problem.message, *path)
            return default

    def missing(self, name: str, message: str = "required field is missing") -> None:
        """An absent field, reported on the closing '---' line (where it would be added)."""
        self.failed = True
        self.issues.append(ContentIssue(self.display, self.source.body_line - 1, name, message))

    def warn_unknown(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.issues.append(
                    ContentIssue(self.display, self.line(key), str(key), f"unknown field{hint}",
                                 Severity.WARNING)  # fmt: skip
                )

    def when(self, value: Any) -> datetime:
        return f.when(value, self.context.zone)

    def media_exists(self, relative: str) -> bool:
        return self.resolve_media(relative) is not None

    def resolve_media(self, relative: str) -> str | None:
        """A media path relative to the file or to content/, as a path from content/."""
        here = posixpath.dirname(self.source.path)
        for candidate in (posixpath.normpath(posixpath.join(here, relative)), posixpath.normpath(relative)):
            if not candidate.startswith("..") and (self.context.content_dir / candidate).is_file():
                return candidate
        return None


class Relations:
    """Known ids, to check references once every file is read."""

    def __init__(self, topics: dict[str, Topic], people: set[str]):
        self.topics = topics
        self.people = people

    def topic(self, value: Any) -> str:
        topic_id = f.slug(value, what="a topic id")
        if topic_id not in self.topics:
            raise f.FieldProblem(f"expected a topic id from topics.yml, got {topic_id!r}")
        return topic_id

    def person(self, value: Any) -> str:
        person_id = f.slug(value, what="a profile id")
        if person_id not in self.people:
            raise f.FieldProblem(f"expected a profile id (a file in people/), got {person_id!r}")
        return person_id


def _common(fm: FrontMatter, relations: Relations, *, title_field: str = "title",
            topics_required: bool = False) -> dict[str, Any]:  # fmt: skip
    body = fm.source.body
    title = fm.take(title_field, f.text, required=True, default="")
    summary = fm.take("summary", lambda v: f.text(v, limit=600, what="plain text")) or first_paragraph(body)
    image = fm.take("image", lambda v: f.media_or_url(v, fm.media_exists))
    image_alt = fm.take("image_alt", f.text)
    if image and not image_alt:
        fm.problem("image_alt", "required with image: describe the image for people who can't see it", "image")
    return dict(
        title=title,
        summary=summary,
        body=body,
        body_line=fm.source.body_line,
        lang=fm.take("lang", f.language, default=fm.context.language),
        translation_of=fm.take("translation_of", _translation_key),
        image=(fm.resolve_media(image) or image) if image else None,
        image_alt=image_alt,
        draft=fm.take("draft", f.flag, default=False),
        featured=fm.take("featured", f.flag, default=False),
        updated=fm.take("updated", fm.when),
        topics=fm.take("topics", lambda v: f.listing(v, relations.topic, least=1, most=8),
                       required=topics_required, default=()),  # fmt: skip
        countries=fm.take("countries", lambda v: f.listing(v, f.country), default=()),
    )


def _translation_key(value: Any) -> str:
    if isinstance(value, str):
        section, _, slug = value.strip().removesuffix(".md").partition("/")
        if section in SECTIONS and f.SLUG.match(slug):
            return f"{section}/{slug}"
    raise f.expected("<type>/<slug> of the original, like articles/moving-to-singapore", value)


def _source(fm: FrontMatter) -> Source | None:
    raw = fm.data.get("source")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fm.problem("source", f"expected a mapping with name and url, got {f.describe(raw)}")
        return None
    problems = []
    for key in ("name", "url"):
        if raw.get(key) in (None, ""):
            problems.append((f"source.{key}", "required field is missing", ("source",)))
    parsed: dict[str, Any] = {}
    for key, parse in (("name", f.text), ("url", f.web_url), ("published", fm.when), ("author", f.text)):
        if raw.get(key) not in (None, ""):
            try:
                parsed[key] = parse(raw[key])
            except f.FieldProblem as problem:
                problems.append((f"source.{key}", problem.message, ("source", key)))
    for key in raw:
        if key not in SOURCE_FIELDS:
            fm.issues.append(ContentIssue(fm.display, fm.line("source", key), f"source.{key}",
                                          "unknown field", Severity.WARNING))  # fmt: skip
    for name, message, path in problems:
        fm.problem(name, message, *path)
    return None if problems else Source(**parsed)


def _article(fm: FrontMatter, slug: str, relations: Relations) -> Article:
    common = _common(fm, relations, topics_required=True)
    return Article(
        slug=slug,
        path=fm.source.path,
        **common,
        date=fm.take("date", fm.when, required=True),
        authors=fm.take("authors", lambda v: f.listing(v, relations.person, least=1), required=True,
                        default=()),  # fmt: skip
        audience=fm.take("audience", lambda v: f.listing(v, f.choice(AUDIENCES)), default=()),
        source=_source(fm),
    )


def _story(fm: FrontMatter, slug: str, relations: Relations) -> Story:
    common = _common(fm, relations, topics_required=True)
    partner = fm.take("partner", relations.person)
    partner_name = fm.take("partner_name", lambda v: f.text(v, limit=80, what="a name"))
    if "partner" not in fm.data and "partner_name" not in fm.data:
        fm.missing("partner", "expected partner (a profile id) or partner_name (a first name or pseudonym)")
    origin = fm.take("from", f.country, required=True, default="")
    host = fm.take("to", f.country, required=True, default="")
    common["countries"] = tuple(dict.fromkeys((*common["countries"], *(c for c in (origin, host) if c))))
    return Story(
        slug=slug,
        path=fm.source.path,
        **common,
        date=fm.take("date", fm.when, required=True),
        from_country=origin,
        to_country=host,
        partner=partner,
        partner_name=partner_name,
        city=fm.take("city", lambda v: f.text(v, limit=100, what="a city name")),
        quote=fm.take("quote", f.long_text),
        interviewer=fm.take("interviewer", relations.person),
    )


def _profile(fm: FrontMatter, slug: str, relations: Relations) -> Profile:
    common = _common(fm, relations, title_field="name")
    common.pop("image"), common.pop("image_alt")
    common["summary"] = fm.take("headline", f.text) or common["summary"]
    common["countries"] = ()
    photo = fm.take("photo", lambda v: f.media_or_url(v, fm.media_exists))
    return Profile(
        slug=slug,
        path=fm.source.path,
        **common,
        roles=fm.take("roles", lambda v: f.listing(v, f.choice(ROLES), least=1), required=True, default=()),
        headline=fm.take("headline", f.text),
        organization=fm.take("organization", f.text),
        photo=(fm.resolve_media(photo) or photo) if photo else None,
        photo_alt=fm.take("photo_alt", f.text),
        location=fm.take("location", f.country),
        lived_in=fm.take("lived_in", lambda v: f.listing(v, f.country), default=()),
        languages=fm.take("languages", lambda v: f.listing(v, f.language), default=()),
        expertise=fm.take("expertise", lambda v: f.listing(v, relations.topic), default=()),
        mentoring=fm.take("mentoring", f.flag, default=False),
        links=fm.take("links", _links, default=()),
        email=fm.take("email", lambda v: f.text(v, limit=254, what="an e-mail address")),
        public=fm.take("public", f.flag, default=True),
        joined=fm.take("joined", fm.when),
    )


def _links(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise f.expected("a mapping of label: https URL", value)
    links = []
    for label, url in value.items():
        try:
            links.append((f.text(label, limit=80, what="a label"), f.web_url(url)))
        except f.FieldProblem as problem:
            raise f.FieldProblem(f"{label}: {problem.message}", index=label) from None
    return tuple(links)


def _digest(fm: FrontMatter, slug: str, relations: Relations) -> DigestIntro | None:
    common = _common(fm, relations)
    period = _period(fm)
    return DigestIntro(
        slug=slug,
        path=fm.source.path,
        **common,
        period=period,
        date=fm.take("date", fm.when, required=True),
        authors=fm.take("authors", lambda v: f.listing(v, relations.person), default=()),
    )


def _period(fm: FrontMatter) -> Period | None:
    raw = fm.data.get("period")
    if isinstance(raw, dict) or raw is None and ("from" in fm.data or "to" in fm.data):
        bounds = raw if isinstance(raw, dict) else fm.data
        prefix: tuple[str, ...] = ("period",) if isinstance(raw, dict) else ()
        moments = []
        for key in ("from", "to"):
            try:
                moments.append(fm.when(bounds.get(key)))
            except f.FieldProblem as problem:
                fm.problem(".".join((*prefix, key)), problem.message, *prefix, key)
        if len(moments) < 2:
            return None
        since, until = (moment.date() for moment in moments)
        if until < since:
            fm.problem("period", f"expected from on or before to, got {since} to {until}", *prefix, "from")
            return None
        return custom_period(since, until, fm.context.zone)
    if raw is None:
        fm.missing("period")
        return None
    try:
        return parse_period(str(raw), fm.context.zone)
    except ValueError as problem:
        fm.problem("period", str(problem))
        return None


def _page(fm: FrontMatter, slug: str, relations: Relations) -> Page:
    return Page(slug=slug, path=fm.source.path, **_common(fm, relations))


READERS = {
    "articles": (ARTICLE_FIELDS, _article),
    "stories": (STORY_FIELDS, _story),
    "people": (PROFILE_FIELDS, _profile),
    "digests": (DIGEST_FIELDS, _digest),
    "pages": (PAGE_FIELDS, _page),
}


def load_topics(context: LoadContext, issues: list[ContentIssue]) -> dict[str, Topic]:
    display = f"{context.display_root}/topics.yml"
    path = context.content_dir / "topics.yml"
    if not path.is_file():
        issues.append(ContentIssue(display, None, None, "expected the topic vocabulary in topics.yml"))
        return {}
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except (YamlSyntaxError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", None)
        issues.append(ContentIssue(display, line, None, getattr(exc, "message", "expected UTF-8 text")))
        return {}
    if not isinstance(document.data, dict):
        issues.append(ContentIssue(display, 1, None, "expected a mapping of topic id: {title, description}"))
        return {}
    topics = {}
    for key, value in document.data.items():
        line = document.line_of(key)
        if not isinstance(key, str) or not f.SLUG.match(key):
            message = "expected a topic id of lowercase letters, digits and hyphens"
            issues.append(ContentIssue(display, line, str(key), message))
            continue
        if not isinstance(value, dict) or not isinstance(value.get("title"), str) or not value["title"].strip():
            issues.append(ContentIssue(display, line, key, "expected a mapping with a title and a description"))
            continue
        for extra in value:
            if extra not in ("title", "description"):
                issues.append(ContentIssue(display, document.line_of(key, extra), f"{key}.{extra}",
                                           "unknown field", Severity.WARNING))  # fmt: skip
        topics[key] = Topic(key, value["title"].strip(), str(value.get("description") or "").strip())
    return topics


def _sources(context: LoadContext, section: str, issues: list[ContentIssue]) -> list[tuple[str, SourceFile]]:
    folder = context.content_dir / section
    found = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = f"{section}/{path.name}"
        display = f"{context.display_root}/{rel}"
        if not f.SLUG.match(path.stem):
            message = f"expected a file name of lowercase letters, digits and hyphens, got {path.name!r}"
            issues.append(ContentIssue(display, None, None, message))
            continue
        source = context.sources.read(path, rel) if context.sources else read_source(rel, path.read_bytes())
        if isinstance(source, ContentIssue):
            issues.append(ContentIssue(display, source.line, source.field, source.message))
            continue
        found.append((path.stem, source))
    return found


def load_hub(context: LoadContext) -> LoadResult:
    """Read every content file; the result holds all records and all problems found."""
    issues: list[ContentIssue] = []
    hub = Hub(topics=load_topics(context, issues))
    sources = {section: _sources(context, section, issues) for section in SECTIONS}
    relations = Relations(hub.topics, {slug for slug, _ in sources["people"]})
    for section in SECTIONS:
        known, read = READERS[section]
        for slug, source in sources[section]:
            display = f"{context.display_root}/{source.path}"
            fm = FrontMatter(source, display, context, issues)
            fm.warn_unknown(known)
            record = read(fm, slug, relations)
            check_placeholders(fm)
            if not fm.failed and record is not None:
                _store(hub, record)
    hub.home = _home(context, issues, relations)
    _check_translations(hub, context, issues)
    issues.sort(key=lambda issue: (issue.path, issue.line or 0))  # stable: a file's order is kept
    return LoadResult(hub, issues)


def _store(hub: Hub, record: Entry) -> None:
    if isinstance(record, Article):
        hub.articles.append(record)
    elif isinstance(record, Story):
        hub.stories.append(record)
    elif isinstance(record, Profile):
        hub.people[record.slug] = record
    elif isinstance(record, DigestIntro):
        hub.digests.append(record)
    elif isinstance(record, Page):
        hub.pages.append(record)


def _home(context: LoadContext, issues: list[ContentIssue], relations: Relations) -> Page | None:
    path = context.content_dir / "index.md"
    if not path.is_file():
        return None
    source = read_source("index.md", path.read_bytes())
    display = f"{context.display_root}/index.md"
    if isinstance(source, ContentIssue):
        issues.append(ContentIssue(display, source.line, source.field, source.message))
        return None
    fm = FrontMatter(source, display, context, issues)
    fm.data.setdefault("title", "Home")
    fm.warn_unknown(PAGE_FIELDS)
    page = _page(fm, "index", relations)
    check_placeholders(fm)
    return None if fm.failed else page


PLACEHOLDER = "TODO:"
"""Marks text an editor still has to write (`hub new` leaves it); `hub check` reports each one."""


def _placeholder_issue(fm: FrontMatter, line: int, name: str, text: str) -> ContentIssue:
    found = text[text.index(PLACEHOLDER):].strip()
    found = found if len(found) <= 80 else found[:79].rstrip() + "…"
    message = f"expected your text, found the placeholder {found!r}"
    return ContentIssue(fm.display, line, name, message)


def check_placeholders(fm: FrontMatter) -> None:
    """Report each front-matter value and body line (outside code) holding the marker."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((k,), v) for k, v in fm.data.items()]
    for path, value in stack:
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and PLACEHOLDER in value:
            name = ".".join(str(part) for part in path if isinstance(part, str))
            fm.issues.append(_placeholder_issue(fm, fm.line(*path), name, value))
    for offset, line in enumerate(prose(fm.source.body).splitlines()):
        if PLACEHOLDER in line:
            fm.issues.append(_placeholder_issue(fm, fm.source.body_line + offset, "body", line))


def _check_translations(hub: Hub, context: LoadContext, issues: list[ContentIssue]) -> None:
    keys = {entry.key for entry in (*hub.items(), *hub.people.values(), *hub.pages, *hub.digests)}
    for entry in (*hub.items(), *hub.people.values(), *hub.pages, *hub.digests):
        if entry.translation_of and entry.translation_of not in keys:
            message = f"expected an existing <type>/<slug>, got {entry.translation_of!r}"
            issues.append(ContentIssue(f"{context.display_root}/{entry.path}", None, "translation_of", message))
