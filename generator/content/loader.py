"""content/ → a Hub of typed records, with every problem collected (never the first only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import fields as f
from .body_checks import check_body
from .country_intros import COUNTRY_FIELDS, read_country_intro
from .errors import ContentIssue, Severity
from .front_matter import FrontMatter, Relations, check_placeholders
from .readers import PAGE_FIELDS, READERS, SECTIONS, Reader, home_page
from .records import (
    Article,
    CountryIntro,
    DigestIntro,
    Entry,
    Hub,
    Page,
    Profile,
    Story,
    Topic,
)
from .saved_sources import saved_key
from .source_cache import ContentFiles, Derived, SourceCache
from .yaml_source import SourceFile, YamlDocument, YamlSyntaxError, parse_yaml


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
            if extra not in ("title", "description", "translations"):
                issues.append(ContentIssue(display, document.line_of(key, extra), f"{key}.{extra}",
                                           "unknown field", Severity.WARNING))  # fmt: skip
        translations = _topic_translations(value.get("translations"), key, document, display, issues)
        topics[key] = Topic(key, value["title"].strip(), str(value.get("description") or "").strip(), translations)
    return topics, issues


def _topic_translations(raw: Any, key: str, document: YamlDocument, display: str,
                        issues: list[ContentIssue]) -> tuple[tuple[str, str, str], ...]:  # fmt: skip
    """`translations: {fr: {title, description}}` of one topic; each problem is an issue with its line."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        issues.append(ContentIssue(display, document.line_of(key, "translations"), f"{key}.translations",
                                   "expected a mapping of language: {title, description}"))  # fmt: skip
        return ()
    found = []
    for lang, value in raw.items():
        where = document.line_of(key, "translations", lang)
        try:
            code = f.language(lang)
        except f.FieldProblem as problem:
            issues.append(ContentIssue(display, where, f"{key}.translations", problem.message))
            continue
        if not isinstance(value, dict) or not isinstance(value.get("title"), str) or not value["title"].strip():
            issues.append(ContentIssue(display, where, f"{key}.translations.{lang}",
                                       "expected a mapping with a title (and a description)"))  # fmt: skip
            continue
        found.append((code, value["title"].strip(), str(value.get("description") or "").strip()))
    return tuple(found)


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
    derived = derive(source, "index", PAGE_FIELDS, home_page)
    issues.extend(derived.issues)
    return derived.record  # type: ignore[return-value]


def _check_translations(hub: Hub, context: LoadContext, issues: list[ContentIssue]) -> None:
    keys = {entry.key for entry in (*hub.items(), *hub.people.values(), *hub.pages, *hub.digests)}
    for entry in (*hub.items(), *hub.people.values(), *hub.pages, *hub.digests):
        if entry.translation_of and entry.translation_of not in keys:
            message = f"expected an existing <type>/<slug>, got {entry.translation_of!r}"
            issues.append(ContentIssue(f"{context.display_root}/{entry.path}", None, "translation_of", message))
