"""`hub subscribers unsubscribe EMAIL` or `--token TOKEN` (from an unsubscribe link)."""

from __future__ import annotations

import click

from community_digest.store import open_project_database
from community_digest.subscribers import Subscriber, SubscriberBook
from community_digest.tokens import BadToken, TokenSigner, token_subscriber_id
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
    signer = TokenSigner.from_env("checking unsubscribe tokens")
    subscriber = book.get(token_subscriber_id(token))
    if subscriber is None:
        raise BadToken("invalid unsubscribe token: it matches no subscriber (removed already?)")
    if not signer.verify(token, subscriber.email):
        raise BadToken("invalid unsubscribe token: the signature does not match")
    return subscriber
