"""`hub subscribers export [FILE]`: CSV that `hub subscribers import` reads back.

Every cell goes through `spreadsheet_safe`: a name like `=HYPERLINK(...)` must not
run when someone opens the export in a spreadsheet.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from community_digest.csv_cells import spreadsheet_safe
from community_digest.csv_import import COLUMNS
from community_digest.store import open_project_database
from community_digest.subscribers import SubscriberBook
from generator.commands.context import CliContext, pass_cli
from generator.content.errors import HubError


@click.command("export")
@click.argument("csv_file", metavar="[FILE]", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_cli
def export(cli: CliContext, csv_file: Path | None) -> None:
    """Write every subscriber as CSV to FILE (default: standard output)."""
    book = SubscriberBook(open_project_database(cli.project()))
    rows = [(s.email, s.name, s.language, ";".join(s.topics), s.frequency, s.status) for s in book.all()]
    if csv_file is None:
        _write(sys.stdout, rows)
        return
    try:
        with csv_file.open("w", encoding="utf-8", newline="") as handle:
            _write(handle, rows)
    except OSError as exc:
        raise HubError(f"{csv_file}: cannot write: {exc.strerror}") from None
    click.echo(f"Exported {len(rows)} subscriber(s) to {csv_file}.", err=True)


def _write(handle: object, rows: list[tuple[str, ...]]) -> None:
    # CRLF, as RFC 4180 says: with it a carriage return inside a cell gets quoted too.
    writer = csv.writer(handle, lineterminator="\r\n")  # type: ignore[arg-type]
    writer.writerow(COLUMNS)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
