"""A cohort's answers from a coordinator's CSV file: every bad row reported, nothing half-read.

Columns (header row, any order): `id`, `as`, `stage`, `to` (required) and `name`,
`email`, `from`, `languages`, `topics`, `format`, `commit` (optional); lists are
`;`-separated. The file comes from outside: its size, its rows and every value are
checked before anything is matched or written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from community_digest.subscriber_fields import FieldProblem as EmailProblem
from community_digest.subscriber_fields import check_email
from generator.content import fields as f
from generator.content.errors import HubError
from generator.content.records import FORMATS, STAGES

from .scoring import ROLES, Answers

REQUIRED = ("id", "as", "stage", "to")
COLUMNS = (*REQUIRED, "name", "email", "from", "languages", "topics", "format", "commit")
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
_FORMULA = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Mentee:
    id: str
    name: str
    email: str | None
    answers: Answers
    line: int


class CsvProblems(HubError):
    """Every problem of a CSV file, one `FILE.csv:LINE: field: …` line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _name(value: str) -> str:
    name = f.text(value, limit=120, what="a name")
    if name.startswith(_FORMULA):
        # A spreadsheet would run it as a formula when the pairs file is opened.
        raise f.FieldProblem(f"expected a name that does not start with = + - or @, got {name!r}")
    return name


def _email(value: str) -> str:
    checked = check_email(value)
    if isinstance(checked, EmailProblem):
        raise f.FieldProblem(f"expected {checked.expected}, got {f.describe(checked.found)}")
    return checked


def _list(item: Callable[[Any], Any], least: int = 0) -> Callable[[str], tuple]:
    def parse(value: str) -> tuple:
        parts = [part.strip() for part in value.split(";") if part.strip()]
        return f.listing(parts, item, least=least, most=20)

    return parse


def _topic(topics: frozenset[str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in topics:
            raise f.expected(f"a topic id from topics.yml ({', '.join(sorted(topics))})", value)
        return value

    return parse


def _commit(value: str) -> bool:
    return f.choice(("yes", "no"))(value.lower()) == "yes"


def _parsers(topics: frozenset[str]) -> dict[str, tuple[Callable[[str], Any], Any]]:
    """Each column's parser, and its value when the cell is empty (None: required)."""
    return {
        "id": (lambda v: f.slug(v, what="an id"), None),
        "as": (lambda v: f.choice(tuple(ROLES))(v.lower()), None),
        "stage": (lambda v: f.choice(STAGES)(v.lower()), None),
        "to": (f.country, None),
        "name": (_name, ""),
        "email": (_email, None),
        "from": (f.country, None),
        "languages": (_list(f.language), ()),
        "topics": (_list(_topic(topics)), ()),
        "format": (lambda v: f.choice(FORMATS)(v.lower()), "virtual"),
        "commit": (_commit, True),
    }


def _row(cells: Mapping[str, str], parsers: dict, where: str) -> tuple[dict[str, Any], list[str]]:
    values, problems = {}, []
    for column, (parse, empty) in parsers.items():
        raw = (cells.get(column) or "").strip()
        if not raw:
            if empty is None and column in REQUIRED:
                problems.append(f"{where}: {column}: required, got nothing")
            values[column] = empty
            continue
        try:
            values[column] = parse(raw)
        except f.FieldProblem as problem:
            problems.append(f"{where}: {column}: {problem.message}")
    return values, problems


def _mentee(values: dict[str, Any], line: int) -> Mentee:
    answers = Answers(role=values["as"], stage=values["stage"], to=values["to"], origin=values["from"],
                      languages=values["languages"], topics=values["topics"], format=values["format"],
                      commits=values["commit"])  # fmt: skip
    return Mentee(values["id"], values["name"] or values["id"], values["email"], answers, line)


def read_text(path: Path) -> str:
    """The file as text, refused when it is too large or not UTF-8."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise HubError(f"{path}: no such file") from None
    except OSError as exc:
        raise HubError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise HubError(f"{path}: expected a CSV file of at most {MAX_BYTES // 1_000_000} MB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HubError(f"{path}: expected UTF-8 text (save the CSV as UTF-8)") from None


def _header(path: Path, names: list[str]) -> list[str]:
    problems = [f"{path}:1: header: expected columns from {', '.join(COLUMNS)}, got {name!r}"
                for name in names if name not in COLUMNS]  # fmt: skip
    problems += [f"{path}:1: header: expected each column once, got {name!r} twice"
                 for name in dict.fromkeys(names) if names.count(name) > 1]  # fmt: skip
    problems += [f"{path}:1: header: expected a {name} column, got none" for name in REQUIRED if name not in names]
    return problems


def read_answers(path: Path, topics: frozenset[str]) -> list[Mentee]:
    """Every row of the file as a Mentee; CsvProblems lists every bad row (and nothing is returned)."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        names = [name.strip().lower() for name in next(reader, [])]
        problems = _header(path, names) if names else [f"{path}:1: header: expected {','.join(COLUMNS)}, got nothing"]
        if problems:
            raise CsvProblems(problems)
        parsers = _parsers(topics)
        mentees: list[Mentee] = []
        first: dict[str, int] = {}
        last = reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num  # a quoted value may span lines
            where = f"{path}:{line}"
            if not any(cell.strip() for cell in cells):
                continue
            if len(mentees) + len(problems) >= MAX_ROWS:
                raise CsvProblems([*problems, f"{where}: row: expected at most {MAX_ROWS} mentees in one file"])
            if len(cells) != len(names):
                problems.append(f"{where}: row: expected {len(names)} values as in the header, got {len(cells)}")
                continue
            values, found = _row(dict(zip(names, cells, strict=True)), parsers, where)
            if not found and values["id"] in first:
                found = [f"{where}: id: expected each id once, got {values['id']!r} again (first on line "
                         f"{first[values['id']]})"]  # fmt: skip
            problems += found
            if not found:
                first[values["id"]] = line
                mentees.append(_mentee(values, line))
    except csv.Error as exc:
        raise CsvProblems([*problems, f"{path}:{reader.line_num}: row: not readable as CSV ({exc})"]) from None
    if problems:
        raise CsvProblems(problems)
    return mentees
