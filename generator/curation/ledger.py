"""content/.curation.yml: what `hub curate` has seen, so that nothing comes back twice.

The ledger is committed with the content. An entry stays in it after its draft is
deleted, which is how an editor rejects a piece for good. It records, per entry, the
canonical URL, the feed's id for it and when it was seen; per feed, the last run.
It is written whole to a temporary file and moved into place, so an interrupted run
leaves the previous ledger.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.content import fields as f
from generator.content.errors import ConfigError
from generator.content.yaml_source import YamlDocument, YamlSyntaxError, parse_yaml

LEDGER_NAME = ".curation.yml"
HEADER = (
    "# Written by `hub curate`: the partner feed entries already seen, and when each feed was\n"
    "# last read. Commit it with the content: an entry listed here never becomes a draft again,\n"
    "# even after its draft was deleted.\n"
)


@dataclass(frozen=True, slots=True)
class Seen:
    url: str
    """Canonical URL of the entry."""
    id: str
    """The feed's id for the entry (its URL when it has none)."""
    feed: str
    """The feed's name in mkdocs.yml."""
    day: date
    draft: str | None = None
    """The draft written for it (articles/<slug>.md), if one was."""


@dataclass(slots=True)
class Ledger:
    seen: list[Seen] = field(default_factory=list)
    last_run: dict[str, datetime] = field(default_factory=dict)
    """Per feed URL (as written in mkdocs.yml): when it was last read without error."""

    def keys(self) -> set[str]:
        """Every URL and id already seen."""
        return {key for entry in self.seen for key in (entry.url, entry.id)}


def _problem(path: Path, document: YamlDocument, where: tuple[str | int, ...], message: str) -> ConfigError:
    line = document.line_of(*where) or 1
    return ConfigError(f"{path}:{line}: {message} (the file `hub curate` keeps; fix or delete it)")


def _seen(path: Path, document: YamlDocument, index: int, raw: Any) -> Seen:
    where = ("seen", index)
    if not isinstance(raw, dict) or not all(isinstance(raw.get(key), str) for key in ("url", "id", "feed", "day")):
        raise _problem(path, document, where, "seen: expected url, id, feed and day on each entry")
    try:
        day = date.fromisoformat(raw["day"])
    except ValueError:
        raise _problem(path, document, (*where, "day"), f"seen.day: {f.DATE_EXPECTED}, got {raw['day']!r}") from None
    draft = raw.get("draft")
    return Seen(raw["url"], raw["id"], raw["feed"], day, draft if isinstance(draft, str) else None)


def read_ledger(path: Path) -> Ledger:
    """The ledger at `path` (empty when there is none); ConfigError naming the line when it is broken."""
    if not path.is_file():
        return Ledger()
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: expected UTF-8 text (the file `hub curate` keeps)") from None
    except YamlSyntaxError as exc:
        raise ConfigError(f"{path}:{exc.line or 1}: {exc.message}") from None
    data = document.data or {}
    if not isinstance(data, dict) or not isinstance(data.get("seen", []), list) \
            or not isinstance(data.get("feeds", {}), dict):  # fmt: skip
        raise _problem(path, document, (), "expected a mapping with `feeds` and `seen`")
    ledger = Ledger(seen=[_seen(path, document, i, raw) for i, raw in enumerate(data.get("seen") or [])])
    for url, raw in (data.get("feeds") or {}).items():
        last = raw.get("last_run") if isinstance(raw, dict) else None
        try:
            ledger.last_run[str(url)] = datetime.fromisoformat(str(last)).astimezone(UTC)
        except ValueError:
            message = f"feeds.last_run: expected a date and time like 2026-12-05T10:40:00+00:00, got {last!r}"
            raise _problem(path, document, ("feeds", url), message) from None
    return ledger


def _as_yaml(ledger: Ledger) -> str:
    feeds = {url: {"last_run": moment.isoformat(timespec="seconds")} for url, moment in sorted(ledger.last_run.items())}
    seen = []
    for entry in ledger.seen:
        row: dict[str, Any] = {"url": entry.url, "id": entry.id, "feed": entry.feed, "day": entry.day.isoformat()}
        if entry.draft:
            row["draft"] = entry.draft
        seen.append(row)
    body = yaml.safe_dump({"feeds": feeds, "seen": seen}, sort_keys=False, allow_unicode=True, width=1000)
    return HEADER + body


def write_ledger(path: Path, ledger: Ledger) -> None:
    """Replace the ledger at once: readers see the old one or the new one, never half of it."""
    handle, temporary = tempfile.mkstemp(prefix=".curation-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(_as_yaml(ledger))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
