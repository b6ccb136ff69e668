"""The pairs file: what `hub mentoring match` writes and `hub mentoring kit` reads.

Columns: mentee, mentee_name, mentor, mentor_name, score, reasons (`;`-separated);
a mentee left unmatched has no mentor and the reason why. Read back, the file is
checked again: it may have been edited by hand in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.content import fields as f

from .answers import CsvProblems, read_text
from .kit import Pair
from .matching import Pairing

COLUMNS = ("mentee", "mentee_name", "mentor", "mentor_name", "score", "reasons")


def pairs_csv(pairings: list[Pairing]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for pairing in pairings:
        mentor = pairing.mentor
        writer.writerow([
            pairing.mentee.id, pairing.mentee.name, mentor.id if mentor else "", mentor.name if mentor else "",
            pairing.score if mentor else "", "; ".join(pairing.reasons),
        ])  # fmt: skip
    return out.getvalue()


def _pair(cells: dict[str, str], where: str) -> tuple[Pair | None, list[str]]:
    problems, values = [], {}
    for column, parse in (("mentee", f.slug), ("mentor", f.slug), ("mentee_name", f.text), ("mentor_name", f.text)):
        raw = cells.get(column, "").strip()
        try:
            values[column] = parse(raw or cells.get(column.removesuffix("_name"), ""))
        except f.FieldProblem as problem:
            problems.append(f"{where}: {column}: {problem.message}")
    if problems:
        return None, problems
    reasons = tuple(part.strip() for part in cells.get("reasons", "").split(";") if part.strip())
    return Pair(values["mentee"], values["mentee_name"], values["mentor"], values["mentor_name"], reasons), []


def read_pairs(path: Path) -> tuple[list[Pair], int]:
    """The pairs of a pairs file, and how many rows had no mentor; CsvProblems lists every bad row."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    missing = [name for name in ("mentee", "mentor") if name not in (reader.fieldnames or [])]
    if missing:
        raise CsvProblems([f"{path}:1: header: expected a {name} column, got none" for name in missing])
    pairs: list[Pair] = []
    problems: list[str] = []
    unmatched = 0
    seen: set[str] = set()
    try:
        for cells in reader:
            where = f"{path}:{reader.line_num}"
            if not (cells.get("mentor") or "").strip():
                unmatched += 1
                continue
            pair, found = _pair({key: value or "" for key, value in cells.items() if key}, where)
            if pair is not None and pair.mentee in seen:
                found = [f"{where}: mentee: expected each mentee once, got {pair.mentee!r} again"]
            problems += found
            if pair is not None and not found:
                seen.add(pair.mentee)
                pairs.append(pair)
    except csv.Error as exc:
        raise CsvProblems([*problems, f"{path}:{reader.line_num}: row: not readable as CSV ({exc})"]) from None
    if problems:
        raise CsvProblems(problems)
    return pairs, unmatched
