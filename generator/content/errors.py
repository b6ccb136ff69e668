"""Problems found in the editors' files, reported with file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class ContentIssue:
    """One problem in one file: where it is, which field, and what was expected."""

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{what}"

    def as_error(self) -> ContentIssue:
        return ContentIssue(self.path, self.line, self.field, self.message, Severity.ERROR)


class HubError(Exception):
    """A mistake in the user's input; the CLI prints it without a traceback."""


class ContentErrors(HubError):
    """The content tree has errors; each is a ContentIssue."""

    def __init__(self, issues: list[ContentIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


class ConfigError(HubError):
    """mkdocs.yml (the extra.hub block) is not valid."""


def describe(value: object) -> str:
    """Render a found value for a message: strings quoted, the rest as YAML shows them."""
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)
