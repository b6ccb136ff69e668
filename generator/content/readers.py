"""One reader per content type: a file's front matter -> its typed record.

Each reads its fields through FrontMatter, so every problem is recorded with the
file, the line and the field, and a file with problems gives no record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import fields as f
from .errors import ContentIssue, Severity
from .front_matter import FrontMatter, Relations
from .periods import custom_period, parse_period
from .records import (
    AUDIENCES,
    FORMATS,
    MENTEES,
    ROLES,
    STAGES,
    Article,
    DigestIntro,
    Entry,
    Mentoring,
    Page,
    Period,
    Profile,
    Source,
    Story,
)
from .summaries import first_paragraph

SECTIONS = ("articles", "stories", "people", "digests", "pages")
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


def home_page(fm: FrontMatter, slug: str, relations: Relations) -> Page:
    """content/index.md: a page whose title may be left out."""
    fm.data = {**fm.data}  # the parsed file is kept between loads: never change it
    fm.data.setdefault("title", "Home")
    return _page(fm, slug, relations)
