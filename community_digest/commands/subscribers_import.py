"""`hub subscribers import FILE.csv [--skip-invalid]`."""

from __future__ import annotations

from pathlib import Path

import click

from community_digest.csv_import import plan_import
from community_digest.store import open_project_database
from community_digest.subscriber_fields import Vocabulary
from community_digest.subscribers import SubscriberBook
from generator.commands.context import CliContext, pass_cli
from generator.content.errors import HubError


@click.command("import")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the good rows and list the bad ones.")
@pass_cli
def import_subscribers(cli: CliContext, csv_file: Path, skip_invalid: bool) -> None:
    """Add subscribers from a CSV file (columns email,name,language,topics,frequency).

    Nothing is imported while any row is bad, unless --skip-invalid. Addresses
    already in the database are left unchanged; nobody is resubscribed.
    """
    project = cli.project()
    vocabulary = Vocabulary.of_project(project)
    book = SubscriberBook(open_project_database(project))
    plan = plan_import(csv_file, vocabulary, book)
    problems = "\n".join(str(problem) for problem in plan.problems)
    if plan.problems and not skip_invalid:
        raise HubError(
            f"{problems}\n{csv_file}: {len(plan.problems)} problem(s); nothing was imported "
            "(fix the file, or add --skip-invalid to import the good rows)"
        )
    if problems:
        click.echo(problems, err=True)
    added = book.add_many(row.fields for row in plan.new)
    click.echo(f"Imported {added} subscriber(s) from {csv_file}.")
    if plan.already_active:
        click.echo(f"{len(plan.already_active)} already subscribed: left unchanged.")
    if plan.already_unsubscribed:
        click.echo(
            f"{len(plan.already_unsubscribed)} unsubscribed earlier: not resubscribed "
            "(only `hub subscribers add EMAIL --resubscribe`, at their request, does that)."
        )
    if plan.problems:
        click.echo(f"{len(plan.problems)} problem(s) skipped (listed above).", err=True)
