"""`hub subscribers bounces PATH`: read delivery status notifications, stop mailing dead addresses."""

from __future__ import annotations

from pathlib import Path

import click

from community_digest.bounces import apply_report, read_mailbox
from community_digest.store import open_project_database
from generator.commands.context import CliContext, pass_cli


@click.command("bounces")
@click.argument("path", type=click.Path(path_type=Path))
@pass_cli
def bounces(cli: CliContext, path: Path) -> None:
    """Read a Maildir or mbox of bounce reports (RFC 3464).

    A hard bounce marks the address `bounced` (never mailed again until it
    subscribes and confirms anew); soft bounces are counted, and after
    extra.hub.subscriptions.soft_bounce_limit of them in a row the address is
    marked `bounced` too. Messages that are not bounce reports are listed.
    """
    project = cli.project()
    limit = project.settings.subscriptions.soft_bounce_limit
    contents = read_mailbox(path)
    conn = open_project_database(project)
    already = 0
    lines: list[str] = []
    for report in contents.reports:
        outcomes = apply_report(conn, report, limit)
        if outcomes is None:
            already += 1
            continue
        lines += [f"  {o.kind} bounce: {o.address}: {o.effect}" for o in outcomes]
    total = len(contents.reports) + len(contents.unreadable)
    click.echo(f"Read {total} message(s) from {path}: {len(contents.reports)} bounce report(s).")
    for line in lines:
        click.echo(line)
    if already:
        click.echo(f"  {already} report(s) were read before and changed nothing.")
    if contents.unreadable:
        click.echo(f"Not bounce reports ({len(contents.unreadable)}), left as they are:")
        for item in contents.unreadable:
            click.echo(f"  {item.source}: {item.reason}")
