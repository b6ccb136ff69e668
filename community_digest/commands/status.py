"""`hub digest status <issue>`: where a send stands, from the ledger."""

from __future__ import annotations

import click

from community_digest.ledger import Ledger
from community_digest.store import open_project_database
from generator.commands.context import CliContext, pass_cli

from .send_report import print_status


@click.command("status")
@click.argument("issue")
@pass_cli
def status(cli: CliContext, issue: str) -> None:
    """Show how many of an issue's messages were sent, failed, skipped or are pending."""
    print_status(Ledger(open_project_database(cli.project())), issue)
