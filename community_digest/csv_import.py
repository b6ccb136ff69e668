"""Reading subscribers from a CSV file, with every bad row reported by line.

Columns (header row, any order, case-insensitive): email (required), name,
language (default: the site language), topics (`;`-separated ids; empty = all),
frequency (weekly, monthly or quarterly; default monthly) and status (active,
unsubscribed, pending or bounced; `hub subscribers export` writes it, so an export can
be imported).
A cell the export quoted against spreadsheet formulas (`'=x`) reads as `=x`.

An address that is already in the database is left as it is: an import never
changes or resubscribes anyone (someone who unsubscribed stays unsubscribed).
The same address twice in one file is an error on the later line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.errors import HubError, describe

from .csv_cells import from_spreadsheet_safe
from .subscriber_fields import FieldProblem, SubscriberFields, Vocabulary, check_subscriber
from .subscribers import SubscriberBook

COLUMNS = ("email", "name", "language", "topics", "frequency", "status")


@dataclass(frozen=True, slots=True)
class RowProblem:
    path: str
    line: int
    problem: FieldProblem | str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int
    fields: SubscriberFields


@dataclass(slots=True)
class ImportPlan:
    new: list[ParsedRow] = field(default_factory=list)
    already_active: list[ParsedRow] = field(default_factory=list)
    """In the database and subscribed: left unchanged."""
    already_unsubscribed: list[ParsedRow] = field(default_factory=list)
    """In the database and unsubscribed: not resubscribed by an import."""
    problems: list[RowProblem] = field(default_factory=list)


def _header(path: str, row: list[str]) -> tuple[list[str], list[RowProblem]]:
    names = [name.strip().lower() for name in row]
    problems = []
    expected = ", ".join(COLUMNS)
    for name in names:
        if name not in COLUMNS:
            problems.append(RowProblem(path, 1, f"header: expected columns from {expected}, got {describe(name)}"))
        elif names.count(name) > 1:
            problems.append(
                RowProblem(
                    path,
                    1,
                    f"header: expected each column once, got {describe(name)} {names.count(name)} times",
                )
            )
    if "email" not in names:
        problems.append(RowProblem(path, 1, f"header: expected an email column, got {describe(', '.join(names))}"))
    return names, sorted(set(problems), key=lambda p: str(p.problem))


def _read_rows(path: Path, shown: str, vocabulary: Vocabulary, plan: ImportPlan) -> list[ParsedRow]:
    rows: list[ParsedRow] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            plan.problems.append(RowProblem(shown, 1, f"header: expected {','.join(COLUMNS[:5])}, got nothing"))
            return rows
        names, problems = _header(shown, header)
        if problems:
            plan.problems.extend(problems)
            return rows
        last = reader.line_num
        for record in reader:
            line, last = last + 1, reader.line_num  # a quoted field may span lines
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(names):
                plan.problems.append(
                    RowProblem(
                        shown,
                        line,
                        f"row: expected {len(names)} fields as in the header, got {len(record)}",
                    )
                )
                continue
            cells = (from_spreadsheet_safe(cell) for cell in record)
            checked = check_subscriber(dict(zip(names, cells, strict=True)), vocabulary)
            if isinstance(checked, list):
                plan.problems.extend(RowProblem(shown, line, problem) for problem in checked)
            else:
                rows.append(ParsedRow(line, checked))
    return rows


def _drop_repeats(shown: str, rows: list[ParsedRow], plan: ImportPlan) -> list[ParsedRow]:
    first_line: dict[str, int] = {}
    unique = []
    for row in rows:
        key = row.fields.email.lower()
        if key in first_line:
            problem = FieldProblem(
                "email",
                f"each address once in the file (first on line {first_line[key]})",
                row.fields.email,
            )
            plan.problems.append(RowProblem(shown, row.line, problem))
        else:
            first_line[key] = row.line
            unique.append(row)
    return unique


def plan_import(path: Path, vocabulary: Vocabulary, book: SubscriberBook) -> ImportPlan:
    """Read and check the whole file; sort rows into new, already there, and problems."""
    shown = str(path)
    plan = ImportPlan()
    try:
        rows = _drop_repeats(shown, _read_rows(path, shown, vocabulary, plan), plan)
    except FileNotFoundError:
        raise HubError(f"{shown}: no such file") from None
    except OSError as exc:
        raise HubError(f"{shown}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise HubError(f"{shown}: expected UTF-8 text (save the CSV as UTF-8)") from None
    except csv.Error as exc:
        raise HubError(f"{shown}: not a readable CSV file: {exc}") from None
    plan.problems.sort(key=lambda problem: problem.line)
    existing = book.existing(row.fields.email for row in rows)
    for row in rows:
        found = existing.get(row.fields.email.lower())
        if found is None:
            plan.new.append(row)
        elif found.active:
            plan.already_active.append(row)
        else:
            plan.already_unsubscribed.append(row)
    return plan
