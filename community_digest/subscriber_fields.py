"""Checking what people type about a subscriber: address, name, language, topics, frequency.

Every check returns the clean value or a FieldProblem that says what was expected
and what was found; callers (the CSV import, `hub subscribers add`) add where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
import yaml
from email_validator import EmailNotValidError, validate_email

from generator.content.errors import HubError, describe

if TYPE_CHECKING:
    from generator.content.project import Project

FREQUENCIES = ("weekly", "monthly", "quarterly")
DEFAULT_FREQUENCY = "monthly"
# An export writes every state, so an import reads them all back: `pending` people
# (not yet confirmed) and `bounced` ones are never mailed a digest.
STATUSES = ("active", "unsubscribed", "pending", "bounced")
NAME_MAX = 200
# Line breaks and other control characters in a name could break a header or a
# CSV export; nobody's name has them, so they are refused rather than cleaned.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, got {describe(self.found)}"


@dataclass(frozen=True, slots=True)
class SubscriberFields:
    """A subscriber as entered, checked and normalized; not yet in the database."""

    email: str
    name: str = ""
    language: str = "en"
    topics: tuple[str, ...] = ()
    frequency: str = DEFAULT_FREQUENCY
    status: str = "active"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the hub knows: its topic ids and its site language (the default)."""

    topics: frozenset[str]
    default_language: str = "en"

    @classmethod
    def load(cls, topics_file: Path, default_language: str) -> Vocabulary:
        """Topic ids from content/topics.yml (read directly; the site loader is not needed)."""
        try:
            data = yaml.safe_load(topics_file.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise HubError(f"{topics_file}: cannot read the topics: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise HubError(f"{topics_file}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise HubError(f"{topics_file}: expected a mapping of topic ids")
        return cls(frozenset(str(key) for key in data), default_language)

    @classmethod
    def of_project(cls, project: Project) -> Vocabulary:
        return cls.load(project.content_dir / "topics.yml", project.language)


def check_email(raw: str) -> str | FieldProblem:
    """Syntax only (no DNS). ASCII form, so SMTP servers without SMTPUTF8 take it."""
    text = raw.strip()
    if not text:
        return FieldProblem("email", "an e-mail address like name@example.org", text)
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        return FieldProblem("email", f"an e-mail address like name@example.org ({reason})", text)
    return result.ascii_email or result.normalized


def check_name(raw: str) -> str | FieldProblem:
    text = raw.strip()
    if _CONTROL.search(text) or len(text) > NAME_MAX:
        return FieldProblem("name", f"a name on one line, at most {NAME_MAX} characters", text)
    return text


def check_language(raw: str, vocabulary: Vocabulary) -> str | FieldProblem:
    text = raw.strip().lower()
    if not text:
        return vocabulary.default_language
    if len(text) == 2 and pycountry.languages.get(alpha_2=text) is not None:
        return text
    return FieldProblem("language", "an ISO 639-1 language code like en, fr or pt", raw.strip())


def check_topics(raw: str, vocabulary: Vocabulary) -> tuple[str, ...] | FieldProblem:
    """`;`- (or `,`-) separated topic ids; empty means every topic."""
    wanted = [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
    unknown = [topic for topic in wanted if topic not in vocabulary.topics]
    if unknown:
        known = ", ".join(sorted(vocabulary.topics))
        return FieldProblem("topics", f"topic ids from topics.yml ({known})", unknown[0])
    return tuple(sorted(set(wanted)))


def check_choice(field: str, raw: str, choices: tuple[str, ...], default: str) -> str | FieldProblem:
    text = raw.strip().lower()
    if not text:
        return default
    if text in choices:
        return text
    return FieldProblem(field, f"{', '.join(choices[:-1])} or {choices[-1]}", raw.strip())


def check_subscriber(raw: Mapping[str, str], vocabulary: Vocabulary) -> SubscriberFields | list[FieldProblem]:
    """All fields of one subscriber; every problem, not just the first."""
    checked = {
        "email": check_email(raw.get("email") or ""),
        "name": check_name(raw.get("name") or ""),
        "language": check_language(raw.get("language") or "", vocabulary),
        "topics": check_topics(raw.get("topics") or "", vocabulary),
        "frequency": check_choice("frequency", raw.get("frequency") or "", FREQUENCIES, DEFAULT_FREQUENCY),
        "status": check_choice("status", raw.get("status") or "", STATUSES, "active"),
    }
    problems = [value for value in checked.values() if isinstance(value, FieldProblem)]
    if problems:
        return problems
    return SubscriberFields(**checked)  # type: ignore[arg-type]
