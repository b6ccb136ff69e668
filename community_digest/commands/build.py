"""`hub digest build`: compile an issue into e-mails, previews and a manifest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from generator.commands.context import CliContext, pass_cli
from generator.content.project import Project

from ..pipeline import BuildRequest, NothingNew, build_issue


def subscriber_segments(project: Project) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(language, topics) of active subscribers, when the database exists; read-only."""
    path = project.resolve(project.settings.digest.database)
    if not path.is_file():
        return ()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT DISTINCT language, topics FROM subscribers WHERE status = 'active'"
            ).fetchall()
    except sqlite3.Error:
        return ()  # an older or foreign database: the default variants still cover everyone
    return tuple(
        sorted(
            {
                (str(lang), tuple(t for t in str(topics or "").split(";") if t))
                for lang, topics in rows
            }
        )
    )


@click.command("build")
@click.argument("issue", required=False)
@click.option("--period", metavar="PERIOD", help="2025-Q3, 2025-11 or 2025-W47.")
@click.option("--since", metavar="DATE", help="First day of a custom period (2025-11-03).")
@click.option("--until", metavar="DATE", help="Last day of a custom period (default: today).")
@click.option("--since-last", is_flag=True, help="Start where the previous issue ended.")
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    metavar="PATH_OR_URL",
    help="The hub's feed to read (repeatable); default <site_dir>/feeds/all.atom.xml.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; default extra.hub.digest.output_dir.",
)
@click.option(
    "--force", is_flag=True, help="Select again from the feeds, replacing the frozen selection."
)
@click.option(
    "--strict", is_flag=True, help="Fail on any warning (unreachable partner feed, undated entry)."
)
@pass_cli
def build(
    cli: CliContext,
    issue: str | None,
    period: str | None,
    since: str | None,
    until: str | None,
    since_last: bool,
    feeds: tuple[str, ...],
    out_dir: Path | None,
    force: bool,
    strict: bool,
) -> None:
    """Compile digest ISSUE (content/digests/ISSUE.md), or the issue of a period.

    The selection is frozen in content/digests/ISSUE.selection.yml for editors to
    review; rebuilding keeps their edits unless --force is given.
    """
    project = cli.project()
    request = BuildRequest(
        issue=issue,
        force=force,
        strict=strict,
        period=period,
        since=since,
        until=until,
        since_last=since_last,
        feeds=feeds,
        out_dir=out_dir,
        segments=subscriber_segments(project),
    )
    try:
        result = build_issue(project, request)
    except NothingNew as nothing:
        click.echo(str(nothing))
        return
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    compiled = result.compiled
    kept = "kept (edit it, or rebuild with --force)" if result.reused_selection else "written"
    count = len(result.selection.items())
    click.echo(f"Selection {kept}: {_shown(result.selection_file)}")
    click.echo(
        f"Digest {compiled.issue} ({compiled.period_label}): {_plural(count, 'item')}, "
        f"{_plural(len(compiled.variants), 'variant')} in {_shown(compiled.out_dir)}"
    )
    click.echo(f"Web copy on the next `hub build`: {compiled.web_url}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
