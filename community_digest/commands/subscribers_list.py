"""`hub subscribers list`: the one command that prints addresses to the terminal."""

from __future__ import annotations

import click

from community_digest.store import open_project_database
from community_digest.subscriber_fields import STATUSES
from community_digest.subscribers import SubscriberBook
from generator.commands.context import CliContext, pass_cli

_COLUMNS = ("id", "email", "name", "language", "topics", "frequency", "status")


@click.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only active or unsubscribed ones.")
@pass_cli
def list_subscribers(cli: CliContext, status: str | None) -> None:
    """Show subscribers as a table (count on stderr)."""
    book = SubscriberBook(open_project_database(cli.project()))
    rows = [
        (
            str(s.id),
            s.email,
            s.name,
            s.language,
            ";".join(s.topics) or "(all)",
            s.frequency,
            s.status,
        )
        for s in book.all(status)
    ]
    widths = [max([len(title)] + [len(row[i]) for row in rows]) for i, title in enumerate(_COLUMNS)]
    for row in [_COLUMNS, *rows]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{len(rows)} subscriber(s)", err=True)
