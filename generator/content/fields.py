"""Parsers for front-matter values: each returns the typed value or raises FieldProblem.

A FieldProblem carries "what was expected, what was found"; the loader adds the
file, the line and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pycountry

from .errors import describe

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
DATE_EXPECTED = "expected an ISO date like 2025-11-12"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class FieldProblem(Exception):
    def __init__(self, message: str, index: int | str | None = None):
        self.message = message
        self.index = index
        super().__init__(message)


def expected(what: str, value: Any) -> FieldProblem:
    return FieldProblem(f"expected {what}, got {describe(value)}")


def text(value: Any, *, limit: int = 200, what: str = "text") -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise expected(f"{what} of 1-{limit} characters", value)
    result = str(value).strip()
    if not result or len(result) > limit:
        size = f"{len(result)} characters" if result else "empty text"
        raise FieldProblem(f"expected {what} of 1-{limit} characters, got {size}")
    if "\n" in result and limit <= 200:
        raise FieldProblem(f"expected {what} on one line, got several lines")
    if control := _CONTROL.search(result):
        # Feeds are XML, which cannot carry these at all (a "\x01" escape in YAML makes one).
        raise FieldProblem(f"expected {what} without control characters, got U+{ord(control[0]):04X} "
                           f"at character {control.start() + 1}")  # fmt: skip
    return result


def long_text(value: Any) -> str:
    return text(value, limit=1000)


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise expected("true or false", value)
    return value


def when(value: Any, zone: ZoneInfo) -> datetime:
    """ISO date (midnight in the site's zone) or date-time (site zone when no offset)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and (_DATE.match(value.strip()) or _DATETIME.match(value.strip())):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise expected(DATE_EXPECTED.removeprefix("expected "), value) from None
    else:
        raise expected(DATE_EXPECTED.removeprefix("expected "), value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def slug(value: Any, *, what: str = "an id") -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise expected(f"{what} of lowercase letters, digits and hyphens", value)
    return value


def country(value: Any) -> str:
    if isinstance(value, str) and len(value) == 2 and value.isalpha():
        code = value.upper()
        if pycountry.countries.get(alpha_2=code) is not None:
            return code
    raise expected("an ISO 3166-1 country code like DE or SG", value)


def language(value: Any) -> str:
    if isinstance(value, str) and len(value) == 2 and value.isalpha():
        code = value.lower()
        if pycountry.languages.get(alpha_2=code) is not None:
            return code
    raise expected("an ISO 639-1 language code like en or fr", value)


def web_url(value: Any) -> str:
    if isinstance(value, str):
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.netloc and " " not in value.strip():
            return value.strip()
    raise expected("an http(s) URL like https://example.org/page", value)


def whole_number(least: int, most: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and least <= value <= most:
            return value
        raise expected(f"a whole number from {least} to {most}", value)

    return parse


def choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return value
        raise expected(f"one of {', '.join(options)}", value)

    return parse


def listing(value: Any, item: Callable[[Any], Any], *, least: int = 0, most: int = 1000) -> tuple:
    """A YAML list (a single value counts as a list of one); problems name the item's index."""
    values = value if isinstance(value, list) else [value]
    if isinstance(value, dict) or value is None:
        raise expected("a list", value)
    if not least <= len(values) <= most:
        bounds = f"{least}-{most}" if most < 1000 else f"at least {least}"
        raise FieldProblem(f"expected a list of {bounds} values, got {len(values)}")
    parsed = []
    for index, entry in enumerate(values):
        try:
            parsed.append(item(entry))
        except FieldProblem as problem:
            problem.index = index
            raise
    return tuple(dict.fromkeys(parsed))


def media_or_url(value: Any, exists: Callable[[str], bool]) -> str:
    """A file under media/ (relative path) or an https URL."""
    if isinstance(value, str) and value.strip():
        candidate = value.strip()
        parts = urlsplit(candidate)
        if parts.scheme == "https" and parts.netloc:
            return candidate
        if not parts.scheme and not parts.netloc and exists(candidate):
            return candidate
        if not parts.scheme and not parts.netloc:
            raise FieldProblem(f"expected a file under media/ or an https URL, got {candidate!r} (no such file)")
    raise expected("a file under media/ or an https URL", value)
