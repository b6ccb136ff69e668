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
from .body_checks import check_body
from .country_intros import COUNTRY_FIELDS, read_country_intro
from .errors import ContentIssue, Severity
from .markdown_source import prose
from .periods import custom_period, parse_period
from .records import (
    AUDIENCES,
    FORMATS,
    MENTEES,
    ROLES,
    STAGES,
    Article,
    CountryIntro,
    DigestIntro,
    Entry,
    Hub,
    Mentoring,
    Page,
    Period,
    Profile,
    Source,
    Story,
    Topic,
)
from .saved_sources import saved_key
from .source_cache import ContentFiles, Derived, SourceCache
from .summaries import first_paragraph
from .yaml_source import SourceFile, YamlSyntaxError, parse_yaml

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
    saved: Path | None = None
    """With `sources`: the file a first load starts from and saves to, for the next process."""
    languages: tuple[str, ...] = ()
    """The languages a file may be written in (extra.hub.languages); empty: the site language only."""

    def written_in(self, value: Any) -> str:
        """A `lang` value: an ISO 639-1 code among the hub's languages."""
        code = f.language(value)
        allowed = self.languages or (self.language,)
        if code not in allowed:
            raise f.FieldProblem(f"expected one of the hub's languages (extra.hub.languages): "
                                 f"{', '.join(allowed)}, got {value!r}")  # fmt: skip
        return code


@dataclass(slots=True)
class LoadResult:
    hub: Hub
    issues: list[ContentIssue] = field(default_factory=list)
    media: set[str] = field(default_factory=set)
    """Files under media/ the site may publish (see content_tree.survey)."""

    @property
    def errors(self) -> list[ContentIssue]:
        return [issue for issue in self.issues if issue.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[ContentIssue]:
        return [issue for issue in self.issues if issue.severity is Severity.WARNING]


_MISSING = object()


class FrontMatter:
    """One file's front matter: typed reads that record problems with their line."""

    def __init__(self, source: SourceFile, display: str, context: LoadContext, issues: list,
                 files: ContentFiles | None = None):  # fmt: skip
        self.source = source
        self.data: dict[str, Any] = source.front.data
        self.display = display
        self.context = context
        self.issues = issues
        self.failed = False
        self.files = files or ContentFiles(context.content_dir, keep=False)
        self.asked: list[tuple[str, bool]] = []
        """Media files looked for, and whether they were there."""

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
        if _holds_placeholder(value):
            self.failed = True  # check_placeholders names it: one message, not two
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
                    ContentIssue(self.display, self.line(key), str(key), f"unknown field{hint}", Severity.WARNING)
                )

    def when(self, value: Any) -> datetime:
        return f.when(value, self.context.zone)

    def media_exists(self, relative: str) -> bool:
        return self.resolve_media(relative) is not None

    def resolve_media(self, relative: str) -> str | None:
        """A media path relative to the file or to content/, as a path from content/."""
        here = posixpath.dirname(self.source.path)
        for candidate in (posixpath.normpath(posixpath.join(here, relative)), posixpath.normpath(relative)):
            if not candidate.startswith(".."):
                found = self.files.is_file(candidate)
                self.asked.append((candidate, found))
                if found:
                    return candidate
        return None


class Relations:
    """Known ids, to check references once every file is read."""

    def __init__(self, topics: dict[str, Topic], people: set[str]):
        self.topics = topics
        self.people = people
        self.asked: list[tuple[str, str, bool]] = []
        """Ids looked up, and whether they were known: a kept record is valid while the answers hold."""

    def topic(self, value: Any) -> str:
        topic_id = f.slug(value, what="a topic id")
        known = topic_id in self.topics
        self.asked.append(("topic", topic_id, known))
        if not known:
            raise f.FieldProblem(f"expected a topic id from topics.yml, got {topic_id!r}")
        return topic_id

    def person(self, value: Any) -> str:
        person_id = f.slug(value, what="a profile id")
        known = person_id in self.people
        self.asked.append(("person", person_id, known))
        if not known:
            raise f.FieldProblem(f"expected a profile id (a file in people/), got {person_id!r}")
        return person_id


Reader = Callable[[FrontMatter, str, Relations], Entry | None]
"""Builds a section's record from a file's front matter (recording problems on it)."""


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
        lang=fm.take("lang", fm.context.written_in, default=fm.context.language),
        translation_of=fm.take("translation_of", _translation_key),
        image=(fm.resolve_media(image) or image) if image else None,
        image_alt=image_alt,
        draft=fm.take("draft", f.flag, default=False),
        featured=fm.take("featured", f.flag, default=False),
        updated=fm.take("updated", fm.when),
        topics=fm.take(
            "topics", lambda v: f.listing(v, relations.topic, least=1, most=8), required=topics_required, default=()
        ),
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
        authors=fm.take("authors", lambda v: f.listing(v, relations.person, least=1), required=True, default=()),
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
        mentoring=_mentoring(fm),
        links=fm.take("links", _links, default=()),
        email=fm.take("email", lambda v: f.text(v, limit=254, what="an e-mail address")),
        public=fm.take("public", f.flag, default=True),
        joined=fm.take("joined", fm.when),
    )


MENTORING_FIELDS: dict[str, Callable[[Any], Any]] = {
    "mentees": lambda v: f.listing(v, f.choice(MENTEES), least=1),
    "capacity": f.whole_number(1, 10),
    "stages": lambda v: f.listing(v, f.choice(STAGES), least=1),
    "formats": lambda v: f.listing(v, f.choice(FORMATS), least=1),
}


def _mentoring(fm: FrontMatter) -> Mentoring | None:
    """`mentoring`: true (every default), false, or a map whose problems name `mentoring.<key>`."""
    raw = fm.data.get("mentoring")
    if raw is None or raw is False:
        return None
    if raw is True:
        return Mentoring()
    if not isinstance(raw, dict):
        fm.problem("mentoring", f"expected true, false or a map of {', '.join(MENTORING_FIELDS)}, "
                                f"got {f.describe(raw)}")  # fmt: skip
        return None
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        parse = MENTORING_FIELDS.get(key)
        if parse is None:
            fm.issues.append(ContentIssue(fm.display, fm.line("mentoring", key), f"mentoring.{key}",
                                          "unknown field", Severity.WARNING))  # fmt: skip
            continue
        try:
            parsed[key] = parse(value)
        except f.FieldProblem as problem:
            path = ("mentoring", key) if problem.index is None else ("mentoring", key, problem.index)
            fm.problem(f"mentoring.{key}", problem.message, *path)
    return Mentoring(**parsed)


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


READERS: dict[str, tuple[tuple[str, ...], Reader]] = {
    "articles": (ARTICLE_FIELDS, _article),
    "stories": (STORY_FIELDS, _story),
    "people": (PROFILE_FIELDS, _profile),
    "digests": (DIGEST_FIELDS, _digest),
    "pages": (PAGE_FIELDS, _page),
}


def load_topics(context: LoadContext, issues: list[ContentIssue],
                files: ContentFiles | None = None) -> dict[str, Topic]:  # fmt: skip
    """The topic vocabulary; with kept `files`, parsed again only when topics.yml changed."""
    display = f"{context.display_root}/topics.yml"
    files = files or ContentFiles(context.content_dir, keep=False)
    if not files.is_file("topics.yml"):
        issues.append(ContentIssue(display, None, None, "expected the topic vocabulary in topics.yml"))
        return {}
    raw = files.raw("topics.yml")
    kept = files.topics
    if kept is None or kept[0] is not raw or kept[1] != display:
        kept = (raw, display, *_parse_topics(raw, display))
        if files.keep:
            files.topics = kept
    issues.extend(kept[3])
    return dict(kept[2])


def _parse_topics(raw: bytes, display: str) -> tuple[dict[str, Topic], list[ContentIssue]]:
    issues: list[ContentIssue] = []
    try:
        # As Path.read_text() reads it: universal newlines.
        document = parse_yaml(raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    except (YamlSyntaxError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", None)
        issues.append(ContentIssue(display, line, None, getattr(exc, "message", "expected UTF-8 text")))
        return {}, issues
    if not isinstance(document.data, dict):
        issues.append(ContentIssue(display, 1, None, "expected a mapping of topic id: {title, description}"))
        return {}, issues
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
    return topics, issues


def _sources(context: LoadContext, files: ContentFiles, section: str,
             issues: list[ContentIssue]) -> tuple[list[str], list[SourceFile]]:  # fmt: skip
    """The slugs and parsed files of a section, in file name order (two lists: no pair per file)."""
    slugs, sources = [], []
    for rel, slug in files.entries(section):
        if slug is None:
            name = rel.rpartition("/")[2]
            message = f"expected a file name of lowercase letters, digits and hyphens, got {name!r}"
            issues.append(ContentIssue(f"{context.display_root}/{rel}", None, None, message))
            continue
        source = files.source(rel)
        if isinstance(source, ContentIssue):
            issues.append(ContentIssue(f"{context.display_root}/{rel}", source.line, source.field, source.message))
            continue
        slugs.append(slug)
        sources.append(source)
    return slugs, sources


def content_files(context: LoadContext) -> ContentFiles:
    """The files a load reads: kept ones from the context's SourceCache, or a one-off view."""
    if context.sources is None:
        return ContentFiles(context.content_dir, keep=False)
    return context.sources.files(context.content_dir)


@dataclass(slots=True)
class _Derivation:
    """One load's derivation of records, reusing what was derived before while it holds."""

    context: LoadContext
    files: ContentFiles
    relations: Relations
    check_ids: bool
    check_media: bool
    derived: dict[str, Derived] = field(default_factory=dict)

    def __call__(self, source: SourceFile, slug: str, known: tuple[str, ...], read: Reader) -> Derived:
        kept = self.files.derived.get(source.path)
        if (
            kept is None
            or kept.source is not source
            or not kept.holds(self.relations, self.files, ids=self.check_ids, media=self.check_media)
        ):
            kept = self._derive(source, slug, known, read)
        self.derived[source.path] = kept
        return kept

    def _derive(self, source: SourceFile, slug: str, known: tuple[str, ...], read: Reader) -> Derived:
        found: list[ContentIssue] = []
        fm = FrontMatter(source, f"{self.context.display_root}/{source.path}", self.context, found, self.files)
        self.relations.asked = []
        fm.warn_unknown(known)
        record = read(fm, slug, self.relations)
        check_placeholders(fm)
        for issue in check_body(fm.display, fm.source.body, fm.source.body_line):
            fm.issues.append(issue)
            fm.failed |= issue.severity is Severity.ERROR
        return Derived(source, None if fm.failed else record, tuple(found), tuple(self.relations.asked),
                       tuple(fm.asked))  # fmt: skip


def load_hub(context: LoadContext, files: ContentFiles | None = None) -> LoadResult:
    """Read every content file; the result holds all records and all problems found."""
    files = files or content_files(context)
    files.begin()
    # A language added or dropped changes which `lang` values are valid: nothing derived before holds.
    settings = (context.zone, f"{context.language}:{','.join(context.languages)}", context.display_root)
    if files.derived_for != settings:
        files.derived.clear()
        files.derived_for = settings
    if context.saved is not None:
        files.restore(context.saved, saved_key(*settings))
    issues: list[ContentIssue] = []
    hub = Hub(topics=load_topics(context, issues, files))
    sources = {section: _sources(context, files, section, issues) for section in SECTIONS}
    relations = Relations(hub.topics, set(sources["people"][0]))
    ids = (frozenset(relations.topics), frozenset(relations.people))
    derive = _Derivation(context, files, relations, check_ids=ids != files.checked_ids,
                         check_media=not files.watched or files.checked_media != files.tree_version)  # fmt: skip
    for section in SECTIONS:
        known, read = READERS[section]
        for slug, source in zip(*sources[section], strict=True):
            derived = derive(source, slug, known, read)
            issues.extend(derived.issues)
            if derived.record is not None:
                _store(hub, derived.record)
    for slug, source in zip(*_sources(context, files, "countries", issues), strict=True):
        derived = derive(source, slug, COUNTRY_FIELDS, read_country_intro)
        issues.extend(derived.issues)
        if derived.record is not None:
            _store(hub, derived.record)
    hub.home = _home(context, files, issues, derive)
    files.end(derive.derived, ids)
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
    elif isinstance(record, CountryIntro):
        hub.countries[record.code] = record


def _home(context: LoadContext, files: ContentFiles, issues: list[ContentIssue],
          derive: _Derivation) -> Page | None:  # fmt: skip
    if not files.is_file("index.md"):
        return None
    source = files.source("index.md")
    if isinstance(source, ContentIssue):
        display = f"{context.display_root}/index.md"
        issues.append(ContentIssue(display, source.line, source.field, source.message))
        return None
    derived = derive(source, "index", PAGE_FIELDS, _home_page)
    issues.extend(derived.issues)
    return derived.record  # type: ignore[return-value]


def _home_page(fm: FrontMatter, slug: str, relations: Relations) -> Page:
    fm.data = {**fm.data}  # the parsed file is kept between loads: never change it
    fm.data.setdefault("title", "Home")
    return _page(fm, slug, relations)


PLACEHOLDER = "TODO:"
"""Marks text an editor still has to write (`hub new` leaves it); `hub check` reports each one."""


def _holds_placeholder(value: Any) -> bool:
    """A text, or a list with a text, still holding the marker (`hub new`, `hub curate`)."""
    values = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and PLACEHOLDER in item for item in values)


def _placeholder_issue(fm: FrontMatter, line: int, name: str, text: str) -> ContentIssue:
    found = text[text.index(PLACEHOLDER) :].strip()
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
