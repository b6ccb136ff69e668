"""`hub digest build`, top to bottom: target -> feeds -> selection -> variants -> files.

Everything is gathered and rendered in memory first; files are written only
when the whole issue rendered, so a failure leaves the previous output intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.content.errors import HubError
from generator.content.project import Project

from .compiled import CompiledIssue, compiled_from_manifest, variant_id
from .frozen import read_selection, selection_path, write_selection
from .output import IssueOutput, RenderedVariant, write_outputs
from .rendering import Rendered, render_variant, theme_dirs
from .selection import (
    Selection,
    group,
    in_period,
    issue_languages,
    issue_topics,
    personalize,
)
from .sources import FeedError, FeedItem, FeedRead, dedupe, fetch, is_url, parse_feed
from .target import BuildRequest, Target, resolve_target
from .views import IssueText, Links, issue_view
from .wording import default_title, period_text

__all__ = ["BuildRequest", "BuildResult", "NothingNew", "build_issue"]

# The hub's own feed is trusted and, with feeds.full_archive, holds the whole
# archive; feed_max_bytes is meant for partners' feeds.
HUB_FEED_MAX_BYTES = 200_000_000


class NothingNew(HubError):
    """The period has nothing new: no e-mail is written (the CLI exits with status 0)."""


@dataclass(slots=True)
class BuildResult:
    compiled: CompiledIssue
    selection: Selection
    selection_file: Path
    reused_selection: bool
    warnings: list[str] = field(default_factory=list)


# -- feeds ------------------------------------------------------------------


def _own_feeds(project: Project) -> tuple[str, ...]:
    """The built site's feed of each language: the site language's holds its own items only,
    another's its items and the originals it has no translation of."""
    languages = project.settings.language_list(project.language)
    prefixes = ("", *(f"{lang}/" for lang in languages[1:]))
    return tuple(str(project.site_dir / f"{prefix}feeds" / "all.atom.xml") for prefix in prefixes)


def _hub_feeds(project: Project, request: BuildRequest) -> FeedRead:
    settings = project.settings.digest
    read = FeedRead()
    for location in request.feeds or _own_feeds(project):
        try:
            data = fetch(
                location,
                base=Path.cwd(),
                timeout=settings.feed_timeout,
                max_bytes=max(settings.feed_max_bytes, HUB_FEED_MAX_BYTES),
                allow_private=True,  # named by the operator: a local build is fine
            )
        except FeedError as error:
            if not is_url(location) and error.status is None and "no such file" in error.reason:
                raise HubError(
                    f"{location}: no such feed; build the site first with `hub build` "
                    "(or give --feed PATH_OR_URL)"
                ) from None
            raise
        read.extend(parse_feed(data, location, zone=project.settings.zone, partner=False))
    return read


def _partner_feeds(project: Project) -> FeedRead:
    settings = project.settings.digest
    read = FeedRead()
    for location in settings.partner_feeds:
        try:
            data = fetch(
                location,
                base=project.root,
                timeout=settings.feed_timeout,
                max_bytes=settings.feed_max_bytes,
                allow_private=settings.allow_private_feeds,
            )
            read.extend(parse_feed(data, location, zone=project.settings.zone, partner=True))
        except FeedError as error:
            read.warnings.append(f"partner {error}; its entries are left out of this issue")
    return read


def _archive_warning(project: Project, hub: FeedRead, target: Target) -> list[str]:
    feeds = project.settings.feeds
    oldest = min((item.published for item in hub.items), default=None)
    if feeds.full_archive or len(hub.items) < feeds.limit or oldest is None:
        return []
    if oldest <= target.period.start:
        return []
    return [
        f"extra.hub.feeds.full_archive is false: the hub's feed holds only its newest "
        f"{feeds.limit} entries, so items early in {target.period.label} may be missing"
    ]


def _select(project: Project, request: BuildRequest, target: Target) -> tuple[Selection, list[str]]:
    hub = _hub_feeds(project, request)
    partners = _partner_feeds(project)
    items: list[FeedItem] = dedupe([*hub.items, *partners.items])
    language = project.language
    title = target.intro.title if target.intro else default_title(project.site_name, target.period, language)
    selection = Selection(
        issue=target.issue,
        title=title,
        period=target.period,
        period_kind=target.kind,
        date=target.intro.date if target.intro else target.period.end,
        language=language,
        cap=project.settings.digest.section_cap,
        sections=group(in_period(items, target.period)),
    )
    return selection, [*hub.warnings, *partners.warnings, *_archive_warning(project, hub, target)]


# -- variants ---------------------------------------------------------------


def default_segments(selection: Selection) -> list[tuple[str, tuple[str, ...]]]:
    """The full issue and one variant per topic, in each language the issue has."""
    topics = issue_topics(selection)
    return [
        (lang, chosen)
        for lang in issue_languages(selection)
        for chosen in ((), *((t,) for t in topics))
    ]


def _topic_titles(project: Project) -> dict[str, dict[str, str]]:
    """language → topic id → its title in that language (topics.yml `translations:`, else its title)."""
    path = project.content_dir / "topics.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    topics = {str(k): v for k, v in data.items() if isinstance(v, dict)}
    return {lang: {key: _title_in(value, lang, key) for key, value in topics.items()}
            for lang in project.settings.language_list(project.language)}  # fmt: skip


def _title_in(topic: dict, lang: str, key: str) -> str:
    translations = topic.get("translations")
    translated = translations.get(lang) if isinstance(translations, dict) else None
    title = translated.get("title") if isinstance(translated, dict) else None
    return str(title or topic.get("title", key))


@dataclass(frozen=True, slots=True)
class _RenderContext:
    text: IssueText
    links: Links
    dirs: tuple[Path, ...]
    topic_titles: dict[str, dict[str, str]]
    """language → topic id → title."""

    def resolve(self, target: str) -> str:
        return self.links.tracked(self.links.absolute(target, self.text.web_url))


def _render_one(
    ctx: _RenderContext, selection: Selection, language: str, topics: tuple[str, ...]
) -> tuple[str, Rendered]:
    """The variant's title (its e-mail's subject) and its rendered parts."""
    titles = ctx.topic_titles.get(language) or ctx.topic_titles.get(selection.language) or {}
    view = issue_view(selection, ctx.text, ctx.links, topics, titles, language)
    return view.title, render_variant(view, ctx.dirs, ctx.resolve)


def render_variants(
    ctx: _RenderContext, selection: Selection, segments: Sequence[tuple[str, Sequence[str]]]
) -> tuple[list[RenderedVariant], dict[str, str]]:
    """Each distinct variant rendered once; segments that look the same become aliases."""
    languages = issue_languages(selection)
    known_topics = set(issue_topics(selection))
    rendered: dict[tuple, RenderedVariant] = {}
    aliases: dict[str, str] = {}
    for wanted_language, wanted_topics in [(selection.language, ()), *segments]:
        language = wanted_language if wanted_language in languages else selection.language
        topics = tuple(sorted(set(wanted_topics) & known_topics))
        narrowed = personalize(selection, language, topics)
        if narrowed.items() == personalize(selection, language, ()).items():
            topics = ()
        key = (language, tuple((s.id, s.items) for s in narrowed.sections))
        segment_id = variant_id(language, topics)
        if key in rendered:
            if rendered[key].id != segment_id:
                aliases[segment_id] = rendered[key].id
            continue
        subject, parts = _render_one(ctx, narrowed, language, topics)
        rendered[key] = RenderedVariant(segment_id, language, topics, narrowed, parts, subject)
    return list(rendered.values()), aliases


# -- writing ----------------------------------------------------------------


def web_url(project: Project, issue: str) -> str:
    return f"{project.site_url}digests/{issue}/"


# -- the whole build --------------------------------------------------------


def _frozen_or_new(
    project: Project, request: BuildRequest, target: Target
) -> tuple[Selection, bool, list[str]]:
    frozen = None if request.force else read_selection(project.content_dir, target.issue)
    if frozen is None:
        selection, warnings = _select(project, request, target)
        return selection, False, warnings
    warnings = []
    if frozen.period != target.period:
        warnings.append(
            f"{target.issue}: the frozen selection covers {frozen.period.label}, not "
            f"{target.period.label}; rebuild with --force to select again"
        )
    if target.intro:
        # The intro stays the editors' place for the title and the sending date.
        frozen = replace(frozen, title=target.intro.title, date=target.intro.date)
    return frozen, True, warnings


def _stop_if_empty_or_strict(
    project: Project,
    request: BuildRequest,
    target: Target,
    selection: Selection,
    warnings: list[str],
) -> None:
    if selection.is_empty():
        raise NothingNew(
            f"digest {target.issue}: nothing new was published in {target.period.label} "
            f"({period_text(target.period, project.language)}); no e-mail was written"
        )
    if request.strict and warnings:
        count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        raise HubError(
            "\n".join([*warnings, f"digest {target.issue}: stopped by --strict ({count})"])
        )


def _render_context(project: Project, target: Target) -> _RenderContext:
    intro = target.intro
    url = web_url(project, target.issue)
    return _RenderContext(
        text=IssueText(
            site_name=project.site_name,
            web_url=url,
            intro_html=intro.html if intro else "",
            intro_markdown=intro.markdown if intro else "",
            summary=intro.summary if intro else None,
            preferences=bool(project.settings.subscriptions.url),
            title=intro.title if intro else None,
        ),
        links=Links(project.site_url, project.settings.digest.campaign, target.issue),
        dirs=theme_dirs(project.root),
        topic_titles=_topic_titles(project),
    )


def build_issue(project: Project, request: BuildRequest) -> BuildResult:
    """Select (or read the frozen selection), render every variant, then write it all."""
    target = resolve_target(project, request)
    selection, reused, warnings = _frozen_or_new(project, request, target)
    warnings = [*target.warnings, *warnings]
    _stop_if_empty_or_strict(project, request, target, selection, warnings)
    ctx = _render_context(project, target)
    segments = [*default_segments(selection), *(request.segments or ())]
    variants, aliases = render_variants(ctx, selection, segments)
    output = IssueOutput(selection, ctx.text.web_url, selection.title, variants, aliases)
    issue_dir = (
        request.out_dir or project.resolve(project.settings.digest.output_dir)
    ) / target.issue
    if not reused:
        write_selection(project.content_dir, selection)
    manifest = write_outputs(issue_dir, output, project)
    compiled = compiled_from_manifest(issue_dir, manifest)
    frozen_path = selection_path(project.content_dir, target.issue)
    return BuildResult(compiled, selection, frozen_path, reused, warnings)
