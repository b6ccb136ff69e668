"""`hub subscribers remove EMAIL`: erase a person (a data-protection request)."""

from __future__ import annotations

import click

from community_digest.store import open_project_database
from community_digest.subscribers import SubscriberBook
from generator.commands.context import CliContext, pass_cli


@click.command("remove")
@click.argument("email")
@pass_cli
def remove(cli: CliContext, email: str) -> None:
    """Erase a subscriber and the personal data in their delivery records.

    Delivery records stay, without the person, so an issue's counts still add up.
    Prefer `unsubscribe` otherwise: an erased address can be imported again.
    """
    book = SubscriberBook(open_project_database(cli.project()))
    removal = book.remove(book.require(email))
    click.echo(
        f"Removed subscriber #{removal.subscriber_id}; "
        f"{removal.deliveries_anonymized} delivery record(s) no longer name them."
    )
