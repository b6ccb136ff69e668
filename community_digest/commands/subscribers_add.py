"""`hub subscribers add EMAIL [--name --language --topics --frequency]`."""

from __future__ import annotations

import click

from community_digest.store import open_project_database
from community_digest.subscriber_fields import FREQUENCIES, Vocabulary, check_subscriber
from community_digest.subscribers import SubscriberBook
from generator.commands.context import CliContext, pass_cli
from generator.content.errors import HubError


@click.command("add")
@click.argument("email")
@click.option("--name", default="", help="How the digest greets them.")
@click.option("--language", default="", help="ISO 639-1 code; default: the site language.")
@click.option("--topics", default="", help="Topic ids, separated by ';' or ','; default: all.")
@click.option("--frequency", type=click.Choice(FREQUENCIES), default="monthly", show_default=True)
@click.option("--resubscribe", is_flag=True, help="Subscribe again someone who unsubscribed.")
@pass_cli
def add(
    cli: CliContext,
    email: str,
    name: str,
    language: str,
    topics: str,
    frequency: str,
    resubscribe: bool,
) -> None:
    """Subscribe one person."""
    project = cli.project()
    raw = {
        "email": email,
        "name": name,
        "language": language,
        "topics": topics,
        "frequency": frequency,
    }
    checked = check_subscriber(raw, Vocabulary.of_project(project))
    if isinstance(checked, list):
        raise HubError("\n".join(str(problem) for problem in checked))
    book = SubscriberBook(open_project_database(project))
    found = book.find(checked.email)
    if found is None:
        book.add_many([checked])
        click.echo(f"Subscribed {checked.email} ({checked.frequency}).")
    elif found.active:
        raise HubError(f"{checked.email} is already subscribed")
    elif not resubscribe:
        raise HubError(
            f"{checked.email} unsubscribed on {found.unsubscribed_at}; add --resubscribe if "
            "they asked to be subscribed again"
        )
    else:
        book.resubscribe(found.id, checked)
        click.echo(f"Subscribed {checked.email} again ({checked.frequency}).")
