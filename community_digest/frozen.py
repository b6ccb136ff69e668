"""The frozen selection: content/digests/<issue>.selection.yml, written once, then the editors'.

Editors review it in a pull request, drop or reorder items, fix a title or a
summary, and rebuild; `hub digest build` reads it back instead of selecting again
unless --force is given. Mistakes in it are reported with the file, line and field.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from generator.content.errors import HubError
from generator.content.records import Period
from generator.content.yaml_source import YamlDocument, YamlSyntaxError, parse_yaml

from .selection import SECTION_IDS, Section, Selection
from .sources import HUB_TYPES, PARTNER, FeedItem, is_url

SUFFIX = ".selection.yml"
_TYPES = (*HUB_TYPES, PARTNER)
_HEADER = """\
# The frozen selection of digest issue {issue}: the e-mail and the web copy show these items.
# Edit freely: delete an item, reorder items, move one to another section, fix a title or
# summary; then run `hub digest build {issue}` again. Rebuilding keeps your edits;
# `hub digest build {issue} --force` selects again from the feeds and overwrites this file.
# Sections: featured, articles, stories, people, partners. Each shows at most `cap` items
# (the rest are reached through a 'more on the hub' link).
"""


class SelectionFileError(HubError):
    """The frozen selection file was edited into something that can't be read."""


def selection_path(content_dir: Path, issue: str) -> Path:
    return content_dir / "digests" / f"{issue}{SUFFIX}"


# -- writing ----------------------------------------------------------------


def _item_data(item: FeedItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": item.title,
        "url": item.url,
        "type": item.type,
        "date": item.published.isoformat(),
        "summary": item.summary,
    }
    optional = asdict(item)
    if item.id != item.url:
        data["id"] = item.id
    # `featured` is not written: the section an item sits in is what counts.
    for key in ("lang", "topics", "countries", "authors", "image", "image_alt", "source", "translations"):
        value = optional[key]
        if value:
            data[key] = list(value) if isinstance(value, tuple) else value
    return data


def selection_text(selection: Selection) -> str:
    """The file's text; the same selection always gives the same bytes."""
    data = {
        "issue": selection.issue,
        "title": selection.title,
        "period": selection.period.label,
        "kind": selection.period_kind,
        "start": selection.period.start.isoformat(),
        "end": selection.period.end.isoformat(),
        "date": selection.date.isoformat(),
        "language": selection.language,
        "cap": selection.cap,
        "sections": {s.id: [_item_data(item) for item in s.items] for s in selection.sections},
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER.format(issue=selection.issue) + body


def write_selection(content_dir: Path, selection: Selection) -> Path:
    path = selection_path(content_dir, selection.issue)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(selection_text(selection), encoding="utf-8")
    return path


# -- reading ----------------------------------------------------------------


class _Reader:
    """Typed reads from the parsed file that fail with file:line: field: message."""

    def __init__(self, display: str, document: YamlDocument):
        self.display = display
        self.document = document

    def fail(self, path: tuple[str | int, ...], message: str) -> SelectionFileError:
        line = self.document.line_of(*path)
        where = f"{self.display}:{line}" if line else self.display
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return SelectionFileError(f"{where}: {field}: {message}")

    def text(self, data: dict, path: tuple[str | int, ...], *, required: bool = True) -> str | None:
        value = data.get(path[-1])
        if value is None or value == "":
            if required:
                raise self.fail(path, "required field is missing")
            return None
        if not isinstance(value, str | int | float):
            raise self.fail(path, f"expected text, got {type(value).__name__}")
        return str(value)

    def when(self, data: dict, path: tuple[str | int, ...]) -> datetime:
        raw = self.text(data, path)
        try:
            moment = datetime.fromisoformat(str(raw))
        except ValueError:
            raise self.fail(
                path, f"expected a date like 2025-11-12T00:00:00+01:00, got {raw!r}"
            ) from None
        if moment.tzinfo is None:
            raise self.fail(path, f"expected a date with its UTC offset, got {raw!r}")
        return moment

    def texts(self, data: dict, path: tuple[str | int, ...]) -> tuple[str, ...]:
        value = data.get(path[-1]) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "expected a list of text")
        return tuple(value)


def _read_item(reader: _Reader, raw: Any, path: tuple[str | int, ...]) -> FeedItem:
    if not isinstance(raw, dict):
        raise reader.fail(path, "expected an item (title, url, type, date, summary)")
    url = reader.text(raw, (*path, "url")) or ""
    if not is_url(url):
        raise reader.fail((*path, "url"), f"expected an absolute http(s) URL, got {url!r}")
    kind = reader.text(raw, (*path, "type")) or ""
    if kind not in _TYPES:
        raise reader.fail((*path, "type"), f"expected one of {', '.join(_TYPES)}, got {kind!r}")
    return FeedItem(
        id=reader.text(raw, (*path, "id"), required=False) or url,
        title=reader.text(raw, (*path, "title")) or "",
        url=url,
        summary=reader.text(raw, (*path, "summary"), required=False) or "",
        type=kind,
        published=reader.when(raw, (*path, "date")),
        lang=reader.text(raw, (*path, "lang"), required=False),
        topics=reader.texts(raw, (*path, "topics")),
        countries=reader.texts(raw, (*path, "countries")),
        featured=path[1] == "featured",
        authors=reader.texts(raw, (*path, "authors")),
        image=reader.text(raw, (*path, "image"), required=False),
        image_alt=reader.text(raw, (*path, "image_alt"), required=False),
        source=reader.text(raw, (*path, "source"), required=False),
        translations=reader.texts(raw, (*path, "translations")),
    )


def _read_sections(reader: _Reader, raw: Any) -> tuple[Section, ...]:
    if not isinstance(raw, dict):
        raise reader.fail(("sections",), f"expected a mapping of {', '.join(SECTION_IDS)}")
    sections = []
    for section_id, items in raw.items():
        if section_id not in SECTION_IDS:
            raise reader.fail(("sections", section_id), f"expected one of {', '.join(SECTION_IDS)}")
        if items is None:
            continue
        if not isinstance(items, list):
            raise reader.fail(("sections", section_id), "expected a list of items")
        read = tuple(
            _read_item(reader, item, ("sections", section_id, i)) for i, item in enumerate(items)
        )
        if read:
            sections.append(Section(section_id, read))
    return tuple(sections)


def _cap(reader: _Reader, data: dict) -> int:
    cap = data.get("cap")
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
        raise reader.fail(("cap",), f"expected a whole number of 1 or more, got {cap!r}")
    return cap


def parse_selection(text: str, display: str) -> Selection:
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise SelectionFileError(f"{display}:{exc.line or 1}: {exc.message}") from None
    data = document.data
    reader = _Reader(display, document)
    if not isinstance(data, dict):
        raise SelectionFileError(f"{display}: expected a mapping (issue, title, period, sections)")
    period = Period(
        reader.text(data, ("period",)) or "",
        reader.when(data, ("start",)),
        reader.when(data, ("end",)),
    )
    return Selection(
        issue=reader.text(data, ("issue",)) or "",
        title=reader.text(data, ("title",)) or "",
        period=period,
        period_kind=reader.text(data, ("kind",)) or "custom",
        date=reader.when(data, ("date",)),
        language=reader.text(data, ("language",)) or "en",
        cap=_cap(reader, data),
        sections=_read_sections(reader, data.get("sections")),
    )


def read_selection(content_dir: Path, issue: str) -> Selection | None:
    """The frozen selection of `issue`, or None when there is none yet."""
    path = selection_path(content_dir, issue)
    if not path.is_file():
        return None
    display = f"{content_dir.name}/digests/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SelectionFileError(f"{display}: expected UTF-8 text") from None
    return parse_selection(text, display)
