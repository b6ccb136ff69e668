"""The digest on the site: an issue's web copy (/digests/<issue>/), the archive, the issues feed.

Pure reads of the frozen selection files, for the site plugin to call; nothing
here imports MkDocs. The web copy shows exactly what the full e-mail in the site
language shows (same personalization rule, same cap, same order).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from generator.content.yaml_source import SourceFile, read_source

from .frozen import SUFFIX, read_selection
from .selection import Selection, capped, personalize
from .views import item_meta
from .wording import period_text, words


@dataclass(frozen=True, slots=True)
class WebItem:
    title: str
    url: str
    """Absolute, as in the e-mail (without campaign parameters)."""
    path: str | None
    """The URL relative to the site root ("articles/x/") when it is on the hub, else None."""
    summary: str
    type: str
    """article, story, person or partner."""
    date: datetime
    meta: str
    """Type, date, authors, source, in the issue's language ("Article · … · by Ana Lima")."""
    image: str | None = None
    image_alt: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class WebSection:
    id: str
    """featured, articles, stories, people or partners (use it as an HTML anchor)."""
    title: str
    items: tuple[WebItem, ...]
    more_text: str | None
    more_path: str | None
    """Where the rest of the section is, relative to the site root ("articles/"), or None."""


@dataclass(frozen=True, slots=True)
class WebCopy:
    """An issue as the site shows it at /digests/<issue>/."""

    issue: str
    title: str
    period_label: str
    period_kind: str
    period_text: str
    date: datetime
    language: str
    sections: tuple[WebSection, ...]

    @property
    def path(self) -> str:
        return f"digests/{self.issue}/"

    def items(self) -> tuple[WebItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


def _site_path(url: str, site_url: str | None) -> str | None:
    if site_url and url.startswith(site_url):
        return url[len(site_url) :]
    return None


def web_copy(selection: Selection, site_url: str | None = None) -> WebCopy:
    """The web copy of a selection; `site_url` lets hub links become site-relative paths."""
    language = selection.language
    labels = words(language)
    full = personalize(selection, language, ())
    sections = tuple(
        WebSection(
            id=shown.id,
            title=labels[shown.id],
            items=tuple(
                WebItem(
                    item.title,
                    item.url,
                    _site_path(item.url, site_url),
                    item.summary,
                    item.type,
                    item.published,
                    item_meta(item, labels, language),
                    item.image,
                    item.image_alt or item.title,
                    item.source,
                )  # fmt: skip
                for item in shown.items
            ),
            more_text=labels["more"].format(count=shown.more) if shown.more_url else None,
            more_path=shown.more_url.removeprefix("/") if shown.more_url else None,
        )
        for shown in capped(full, "")
    )
    return WebCopy(
        issue=selection.issue,
        title=selection.title,
        period_label=selection.period.label,
        period_kind=selection.period_kind,
        period_text=period_text(selection.period, language),
        date=selection.date,
        language=language,
        sections=sections,
    )


def _intro_front(content_dir: Path, issue: str) -> dict | None:
    path = content_dir / "digests" / f"{issue}.md"
    if not path.is_file():
        return None
    source = read_source(path.name, path.read_bytes())
    return source.front.data if isinstance(source, SourceFile) else None


def issue_sections(content_dir: Path, issue_id: str, site_url: str | None = None) -> WebCopy | None:
    """The web copy of `issue_id`, or None when it has no frozen selection yet.

    The title comes from the intro (content/digests/<issue>.md) when it has one.
    Raises SelectionFileError (a HubError, with file:line) for a broken selection file.
    """
    selection = read_selection(Path(content_dir), issue_id)
    if selection is None:
        return None
    front = _intro_front(Path(content_dir), issue_id) or {}
    title = front.get("title")
    if isinstance(title, str) and title.strip() and title.strip() != selection.title:
        selection = replace(selection, title=title.strip())
    return web_copy(selection, site_url)


def published_issues(
    content_dir: Path, site_url: str | None = None, *, now: datetime | None = None
) -> list[WebCopy]:
    """Issues with an intro and a frozen selection, not drafts, dated no later than `now`;
    newest first. What the archive page (/digests/) and the issues feed list."""
    folder = Path(content_dir) / "digests"
    issues = []
    for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
        issue = path.name.removesuffix(SUFFIX)
        front = _intro_front(Path(content_dir), issue)
        if front is None or front.get("draft") is True:
            continue
        copy = issue_sections(content_dir, issue, site_url)
        if copy is not None and (now is None or copy.date <= now):
            issues.append(copy)
    issues.sort(key=lambda copy: (copy.date, copy.issue), reverse=True)
    return issues
