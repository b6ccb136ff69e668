"""Writing a compiled issue: per variant .html, .txt and .eml, then manifest.json.

The manifest is written last, so a folder with a manifest is always complete;
files of an earlier build are removed only when that build's manifest lists them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.content.project import Project

from .compiled import MANIFEST, MANIFEST_FORMAT
from .message import Envelope, preview_message
from .placeholders import slots_data
from .rendering import Rendered
from .selection import Selection, capped, issue_topics
from .sources import FeedItem


@dataclass(frozen=True, slots=True)
class RenderedVariant:
    id: str
    language: str
    topics: tuple[str, ...]
    selection: Selection
    rendered: Rendered
    subject: str
    """The variant's title: the intro's, else the default title in the variant's language."""


@dataclass(frozen=True, slots=True)
class IssueOutput:
    """Everything one build writes, gathered before anything is written."""

    selection: Selection
    web_url: str
    subject: str
    variants: list[RenderedVariant]
    aliases: dict[str, str]


def _shown_urls(selection: Selection, site_url: str) -> list[str]:
    """The URLs an e-mail shows, in order (after the per-section cap)."""
    return [entry.url for shown in capped(selection, site_url) for entry in shown.items]


def _item_data(section: str, entry: FeedItem) -> dict[str, Any]:
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


def _variant_data(variant: RenderedVariant, site_url: str) -> dict[str, Any]:
    return {
        "id": variant.id,
        "language": variant.language,
        "topics": list(variant.topics),
        "html": f"{variant.id}.html",
        "text": f"{variant.id}.txt",
        "eml": f"{variant.id}.eml",
        "subject": variant.subject,
        "items": _shown_urls(variant.selection, site_url),
        "html_bytes": len(variant.rendered.html.encode("utf-8")),
        "slots": {
            "html": slots_data(variant.rendered.html_slots),
            "text": slots_data(variant.rendered.text_slots),
        },
    }


def manifest_data(output: IssueOutput, site_url: str) -> dict[str, Any]:
    """manifest.json: the issue, its items with their URLs, and its variants."""
    selection = output.selection
    return {
        "format": MANIFEST_FORMAT,
        "issue": selection.issue,
        "title": selection.title,
        "subject": output.subject,
        "date": selection.date.isoformat(),
        "period": {
            "label": selection.period.label,
            "kind": selection.period_kind,
            "start": selection.period.start.isoformat(),
            "end": selection.period.end.isoformat(),
        },
        "web_url": output.web_url,
        "language": selection.language,
        "topics": list(issue_topics(selection)),
        "items": [_item_data(s.id, entry) for s in selection.sections for entry in s.items],
        "variants": [_variant_data(variant, site_url) for variant in output.variants],
        "aliases": dict(sorted(output.aliases.items())),
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


def write_outputs(issue_dir: Path, output: IssueOutput, project: Project) -> dict[str, Any]:
    """Write the issue's files; returns the manifest written."""
    manifest = manifest_data(output, project.site_url)
    _clear_previous(issue_dir)
    issue_dir.mkdir(parents=True, exist_ok=True)
    for v in output.variants:
        (issue_dir / f"{v.id}.html").write_text(v.rendered.html, encoding="utf-8", newline="")
        (issue_dir / f"{v.id}.txt").write_text(v.rendered.text, encoding="utf-8", newline="")
        envelope = envelope_for(project, v.subject, output.selection.date)
        eml = preview_message(envelope, v.id, manifest["issue"], v.rendered.text, v.rendered.html)
        (issue_dir / f"{v.id}.eml").write_bytes(eml)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (issue_dir / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def envelope_for(project: Project, subject: str, date: datetime) -> Envelope:
    digest = project.settings.digest
    return Envelope(
        subject=subject,
        from_address=digest.from_address,
        reply_to=digest.reply_to,
        list_id=digest.list_id,
        date=date,
        unsubscribe_mailto=digest.unsubscribe_mailto,
    )
