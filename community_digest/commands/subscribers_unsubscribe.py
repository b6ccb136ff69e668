"""`hub subscribers unsubscribe EMAIL` or `--token TOKEN` (from an unsubscribe link)."""

from __future__ import annotations

import click

from community_digest.store import open_project_database
from community_digest.subscribers import Subscriber, SubscriberBook
from community_digest.tokens import TokenSigner
from generator.commands.context import CliContext, pass_cli


@click.command("unsubscribe")
@click.argument("email", required=False)
@click.option("--token", help="The token of an unsubscribe link (checked with HUB_UNSUBSCRIBE_SECRET).")
@pass_cli
def unsubscribe(cli: CliContext, email: str | None, token: str | None) -> None:
    """Stop sending the digest to someone; they are kept as unsubscribed."""
    if (email is None) == (token is None):
        raise click.UsageError("give either EMAIL or --token TOKEN")
    book = SubscriberBook(open_project_database(cli.project()))
    subscriber = book.require(email) if email else _by_token(book, token or "")
    shown = email.strip() if email else f"subscriber #{subscriber.id}"
    if book.unsubscribe(subscriber):
        click.echo(f"Unsubscribed {shown}.")
    else:
        click.echo(f"{shown} was already unsubscribed (on {subscriber.unsubscribed_at}).")


def _by_token(book: SubscriberBook, token: str) -> Subscriber:
    """The token's subscriber; a bad token of any kind gets the same error (see tokens.py)."""
    signer = TokenSigner.from_env("checking unsubscribe tokens")
    found: dict[int, Subscriber] = {}

    def email_of(subscriber_id: int) -> str | None:
        subscriber = book.get(subscriber_id)
        if subscriber is not None:
            found[subscriber_id] = subscriber
        return subscriber.email if subscriber else None

    return found[signer.subscriber_of(token, email_of)]
