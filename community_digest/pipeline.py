"""`hub digest build`, top to bottom: target -> feeds -> selection -> variants -> files.

Everything is gathered and rendered in memory first; files are written only
when the whole issue rendered, so a failure leaves the previous output intact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from generator.errors import HubError
from generator.project import Project

from .compiled import MANIFEST, MANIFEST_FORMAT, CompiledIssue, compiled_from_manifest, variant_id
from .frozen import read_selection, selection_path, write_selection
from .message import Envelope, preview_message
from .rendering import Rendered, render_variant, theme_dirs
from .selection import Selection, group, in_period, issue_languages, issue_topics, personalize
from .sources import FeedError, FeedItem, FeedRead, dedupe, fetch, is_url, parse_feed
from .target import BuildRequest, Target, resolve_target
from .views import IssueText, Links, issue_view
from .wording import period_text, words

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


@dataclass(frozen=True, slots=True)
class RenderedVariant:
    id: str
    language: str
    topics: tuple[str, ...]
    selection: Selection
    rendered: Rendered


# -- feeds ------------------------------------------------------------------


def _hub_feeds(project: Project, request: BuildRequest) -> FeedRead:
    settings = project.settings.digest
    read = FeedRead()
    for location in request.feeds or (str(project.site_dir / "feeds" / "all.atom.xml"),):
        try:
            data = fetch(
                location,
                base=Path.cwd(),
                timeout=settings.feed_timeout,
                max_bytes=max(settings.feed_max_bytes, HUB_FEED_MAX_BYTES),
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
    title = (
        target.intro.title
        if target.intro
        else words(language)["default_title"].format(
            site=project.site_name, period=period_text(target.period, language)
        )
    )
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


def _topic_titles(project: Project) -> dict[str, str]:
    path = project.content_dir / "topics.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v.get("title", k)) for k, v in data.items() if isinstance(v, dict)}


@dataclass(frozen=True, slots=True)
class _RenderContext:
    text: IssueText
    links: Links
    dirs: tuple[Path, ...]
    topic_titles: dict[str, str]

    def resolve(self, target: str) -> str:
        return self.links.tracked(self.links.absolute(target, self.text.web_url))


def _render_one(
    ctx: _RenderContext, selection: Selection, language: str, topics: tuple[str, ...]
) -> Rendered:
    view = issue_view(selection, ctx.text, ctx.links, topics, ctx.topic_titles, language)
    return render_variant(view, ctx.dirs, ctx.resolve)


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
        rendered[key] = RenderedVariant(
            segment_id, language, topics, narrowed, _render_one(ctx, narrowed, language, topics)
        )
    return list(rendered.values()), aliases


# -- writing ----------------------------------------------------------------


def _manifest(
    project: Project,
    selection: Selection,
    web_url: str,
    subject: str,
    variants: list[RenderedVariant],
    aliases: dict[str, str],
) -> dict[str, Any]:
    def item(section: str, entry: FeedItem) -> dict[str, Any]:
        return {
            "id": entry.id,
            "section": section,
            "title": entry.title,
            "url": entry.url,
            "type": entry.type,
            "date": entry.published.isoformat(),
            "topics": list(entry.topics),
            "lang": entry.lang,
        }

    return {
        "format": MANIFEST_FORMAT,
        "issue": selection.issue,
        "title": selection.title,
        "subject": subject,
        "date": selection.date.isoformat(),
        "period": {
            "label": selection.period.label,
            "kind": selection.period_kind,
            "start": selection.period.start.isoformat(),
            "end": selection.period.end.isoformat(),
        },
        "web_url": web_url,
        "language": selection.language,
        "topics": list(issue_topics(selection)),
        "items": [item(s.id, entry) for s in selection.sections for entry in s.items],
        "variants": [
            {
                "id": v.id,
                "language": v.language,
                "topics": list(v.topics),
                "html": f"{v.id}.html",
                "text": f"{v.id}.txt",
                "eml": f"{v.id}.eml",
                "items": [entry.id for entry in v.selection.items()],
                "html_bytes": len(v.rendered.html.encode("utf-8")),
            }
            for v in variants
        ],
        "aliases": dict(sorted(aliases.items())),
    }


def _clear_previous(issue_dir: Path) -> None:
    """Remove the files an earlier build of this issue listed, and nothing else."""
    old = issue_dir / MANIFEST
    try:
        listed = json.loads(old.read_text(encoding="utf-8")).get("variants", [])
    except (OSError, ValueError, AttributeError):
        return
    for variant in listed if isinstance(listed, list) else []:
        for key in ("html", "text", "eml"):
            name = variant.get(key) if isinstance(variant, dict) else None
            if isinstance(name, str) and "/" not in name and "\\" not in name:
                (issue_dir / name).unlink(missing_ok=True)
    old.unlink(missing_ok=True)


def _write_outputs(
    issue_dir: Path, manifest: dict[str, Any], variants: list[RenderedVariant], envelope: Envelope
) -> None:
    _clear_previous(issue_dir)
    issue_dir.mkdir(parents=True, exist_ok=True)
    for v in variants:
        (issue_dir / f"{v.id}.html").write_text(v.rendered.html, encoding="utf-8")
        (issue_dir / f"{v.id}.txt").write_text(v.rendered.text, encoding="utf-8")
        eml = preview_message(envelope, v.id, manifest["issue"], v.rendered.text, v.rendered.html)
        (issue_dir / f"{v.id}.eml").write_bytes(eml)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (issue_dir / MANIFEST).write_text(text, encoding="utf-8")


def _envelope(project: Project, subject: str, date: datetime) -> Envelope:
    digest = project.settings.digest
    return Envelope(
        subject=subject,
        from_address=digest.from_address,
        reply_to=digest.reply_to,
        list_id=digest.list_id,
        date=date,
        unsubscribe_mailto=digest.unsubscribe_mailto,
    )


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
    if target.intro and target.intro.title != frozen.title:
        frozen = replace(frozen, title=target.intro.title)
    return frozen, True, warnings


def build_issue(project: Project, request: BuildRequest) -> BuildResult:
    target = resolve_target(project, request)
    selection, reused, warnings = _frozen_or_new(project, request, target)
    warnings = [*target.warnings, *warnings]
    if selection.is_empty():
        raise NothingNew(
            f"digest {target.issue}: nothing new was published in {target.period.label} "
            f"({period_text(target.period, project.language)}); no e-mail was written"
        )
    if request.strict and warnings:
        raise HubError(
            "\n".join(
                [
                    *warnings,
                    f"digest {target.issue}: stopped by --strict "
                    f"({len(warnings)} warning{'s' if len(warnings) != 1 else ''})",
                ]
            )
        )
    url = web_url(project, target.issue)
    intro = target.intro
    ctx = _RenderContext(
        text=IssueText(
            project.site_name, url, intro.html if intro else "", intro.markdown if intro else ""
        ),
        links=Links(project.site_url, project.settings.digest.campaign, target.issue),
        dirs=theme_dirs(project.root),
        topic_titles=_topic_titles(project),
    )
    segments = [*default_segments(selection), *(request.segments or ())]
    variants, aliases = render_variants(ctx, selection, segments)
    subject = selection.title
    out_root = request.out_dir or project.resolve(project.settings.digest.output_dir)
    manifest = _manifest(project, selection, url, subject, variants, aliases)
    if not reused:
        write_selection(project.content_dir, selection)
    _write_outputs(
        out_root / target.issue, manifest, variants, _envelope(project, subject, selection.date)
    )
    compiled = compiled_from_manifest(out_root / target.issue, manifest)
    return BuildResult(
        compiled, selection, selection_path(project.content_dir, target.issue), reused, warnings
    )
