"""`hub curate`: draft curated articles from new entries of the partner feeds in mkdocs.yml."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from generator.commands.context import CliContext, pass_cli
from generator.content.project import build_time
from generator.curation.run import CurateOptions, CurateReport, FeedReport, curate


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_line(report: FeedReport, dry_run: bool) -> str:
    drafts = _plural(len(report.drafts), "draft") + " to write" if dry_run else _plural(len(report.drafts), "new draft")
    parts = [drafts, _plural(report.duplicates, "duplicate") + " skipped"]
    if report.older and report.since is not None:
        parts.append(f"{report.older} published before {report.since.isoformat(timespec='minutes')}")
    parts.append(_plural(1 if report.error else 0, "error"))
    return f"  {report.name}: {', '.join(parts)}"


def _show(report: CurateReport, dry_run: bool) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for feed in report.feeds:
        if feed.error:
            click.echo(f"error: feed {feed.name!r} ({feed.url}): {feed.error}", err=True)
            continue
        for warning in feed.warnings:
            click.echo(f"warning: feed {feed.name!r}: {warning}", err=True)
        for written in feed.drafts:
            click.echo(f"{written.path}  {written.title!r}")
    click.echo("Dry run: nothing was written." if dry_run else "Summary:", err=True)
    for feed in report.feeds:
        click.echo(_summary_line(feed, dry_run), err=True)
    if any(feed.drafts for feed in report.feeds) and not dry_run:
        click.echo('Review each draft: fill in every "TODO:", then run `hub check`; '
                   "delete a draft to reject the piece (it will not come back).", err=True)  # fmt: skip


@click.command("curate")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Entries published on or after this day (default: since each feed's last run).")  # fmt: skip
@click.option("--feed", "feed_name", metavar="NAME", help="Only the feed of this name (extra.hub.curation.feeds).")
@click.option("--dry-run", is_flag=True, help="Show what would be drafted; write nothing.")
@click.option("--allow-private", is_flag=True,
              help="Also fetch from loopback and private addresses (local tests only).")  # fmt: skip
@pass_cli
def curate_command(cli: CliContext, since: datetime | None, feed_name: str | None, dry_run: bool,
                   allow_private: bool) -> None:  # fmt: skip
    """Turn new entries of the partner feeds into draft articles in content/articles/.

    \b
    Feeds are listed in mkdocs.yml under extra.hub.curation.feeds (url, name, and
    optional topics, audience, countries and a categories map to topic ids). Each new
    entry becomes content/articles/<slug>.md with draft: true, its source credited and
    linked, a summary and a short quote, and "TODO:" where the hub's own words go.
    content/.curation.yml remembers every entry seen: an entry is never drafted twice,
    even after its draft was deleted. Exit 1 when any feed failed.
    """
    options = CurateOptions(since.date() if since else None, feed_name, dry_run, allow_private)
    report = curate(cli.project(), options, now=build_time())
    _show(report, dry_run)
    if report.failed:
        sys.exit(1)
