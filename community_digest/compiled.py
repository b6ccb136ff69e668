"""A compiled digest issue on disk: what `hub digest build` writes and `hub digest send` reads.

Layout, under the output folder (settings.digest.output_dir or --out):

    <out>/<issue>/manifest.json         this module's CompiledIssue, plus the items
    <out>/<issue>/<variant>.html        the e-mail HTML, with %%name%% and %%unsubscribe_url%%
    <out>/<issue>/<variant>.txt         the plain-text part, with the same tokens
    <out>/<issue>/<variant>.eml         a complete preview message (multipart/alternative)

The tokens are the only per-subscriber parts; the sender fills them in, at the
positions the manifest lists for each file (`slots`) and nowhere else (see
placeholders.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.content.errors import HubError

from .placeholders import Slot, slots_from_data

if TYPE_CHECKING:
    from generator.content.project import Project

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 2
"""2: each variant lists the slots of its tokens."""
FULL = "all"


def variant_id(language: str, topics: Sequence[str]) -> str:
    """Stable id of a segment: "en-all", "fr-integration+mentoring"."""
    return f"{language}-{'+'.join(sorted(topics)) if topics else FULL}"


@dataclass(frozen=True)
class Variant:
    id: str
    """Stable, e.g. "en-all", "fr-mentoring+integration"."""
    language: str
    """ISO 639-1."""
    topics: tuple[str, ...]
    """() = the full issue."""
    html_path: Path
    text_path: Path
    eml_path: Path
    html_slots: tuple[Slot, ...] = ()
    """Where the HTML holds a token to fill (nowhere else is one filled)."""
    text_slots: tuple[Slot, ...] = ()
    subject: str = ""
    """Its e-mail's subject, in its language; "" (an issue compiled before variants had one): the issue's."""


@dataclass(frozen=True)
class CompiledIssue:
    issue: str
    title: str
    subject: str
    period_label: str
    period_kind: str
    """One of week, month, quarter or custom."""
    web_url: str
    out_dir: Path
    """The issue's own folder: <output_dir>/<issue>/."""
    variants: tuple[Variant, ...]
    language: str = "en"
    """The site language: the full issue in it is the fallback variant."""
    topics: tuple[str, ...] = ()
    """Topics that personalize this issue (those of its non-featured items)."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Segment id -> variant id, for segments whose e-mail is the same as another's."""

    def variant(self, variant_id_: str) -> Variant | None:
        target = self.aliases.get(variant_id_, variant_id_)
        return next((v for v in self.variants if v.id == target), None)

    def full_variant(self, language: str | None = None) -> Variant:
        """The full issue in `language`, else in the site language, else any variant."""
        for lang in (language, self.language):
            found = self.variant(variant_id(lang, ())) if lang else None
            if found:
                return found
        return self.variants[0]

    def variant_for(self, language: str, topics: Sequence[str]) -> Variant:
        """The variant a subscriber gets; never None.

        Topics the issue has nothing on are ignored, so a subscriber whose topics match
        nothing gets the full issue, never an empty e-mail. A segment that was not
        rendered falls back to the full issue in their language (or the site language).
        """
        wanted = tuple(sorted(set(topics) & set(self.topics)))
        if not any(v.language == language for v in self.variants):
            language = self.language  # the build renders no variant in a language without items
        if wanted:
            found = self.variant(variant_id(language, wanted))
            if found:
                return found
        return self.full_variant(language)


def _variant(issue_dir: Path, raw: Mapping[str, Any]) -> Variant:
    return Variant(
        id=raw["id"],
        language=raw["language"],
        topics=tuple(raw["topics"]),
        html_path=issue_dir / raw["html"],
        text_path=issue_dir / raw["text"],
        eml_path=issue_dir / raw["eml"],
        html_slots=slots_from_data(raw["slots"]["html"]),
        text_slots=slots_from_data(raw["slots"]["text"]),
        subject=str(raw.get("subject") or ""),
    )


def compiled_from_manifest(issue_dir: Path, data: Mapping[str, Any]) -> CompiledIssue:
    period = data["period"]
    return CompiledIssue(
        issue=data["issue"],
        title=data["title"],
        subject=data["subject"],
        period_label=period["label"],
        period_kind=period["kind"],
        web_url=data["web_url"],
        out_dir=issue_dir,
        variants=tuple(_variant(issue_dir, raw) for raw in data["variants"]),
        language=data["language"],
        topics=tuple(data.get("topics", ())),
        aliases=dict(data.get("aliases", {})),
    )


def load_compiled(out_dir: Path, issue: str) -> CompiledIssue | None:
    """The issue compiled under `out_dir`, or None when it has not been built."""
    issue_dir = Path(out_dir) / issue
    path = issue_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return compiled_from_manifest(issue_dir, data)
    except (ValueError, KeyError, TypeError) as exc:
        raise HubError(
            f"{path}: not a digest manifest this version can read ({exc}); "
            f"rebuild it with `hub digest build {issue}` (the frozen selection is kept)"
        ) from None


def compile_issue(
    project: Project,
    issue: str | None,
    *,
    segments: Sequence[tuple[str, Sequence[str]]] | None = None,
    **options: Any,
) -> CompiledIssue:
    """What `hub digest build <issue>` runs: select, freeze, render and write an issue.

    `options` are those of the command (force, strict, period, since, until,
    since_last, feeds, out_dir; see community_digest.target.BuildRequest).
    The full issue and one variant per topic are always rendered, in each language
    of the issue; `segments` adds the (language, topics) pairs of actual subscribers.
    Segments that would get the same e-mail share one variant (see `aliases`).
    With a frozen selection file present (and no `force`), the feeds are not read.
    Raises NothingNew (a HubError with exit status 0 in the CLI) for an empty period.
    """
    from .pipeline import BuildRequest, build_issue

    if "feeds" in options:
        options["feeds"] = tuple(options["feeds"])
    pairs = None if segments is None else tuple((lang, tuple(topics)) for lang, topics in segments)
    return build_issue(project, BuildRequest(issue=issue, segments=pairs, **options)).compiled
