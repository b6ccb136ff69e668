"""One file's front matter, read field by field: each problem recorded with its line.

Also the ids a file may name (topics, people) and the `TODO:` placeholders that
`hub new` and `hub curate` leave for an editor to replace.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import fields as f
from .errors import ContentIssue, Severity
from .markdown_source import prose
from .records import Topic
from .source_cache import ContentFiles
from .yaml_source import SourceFile

if TYPE_CHECKING:
    from .loader import LoadContext

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
