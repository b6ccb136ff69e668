"""`hub build`, `hub serve` and `hub check`."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

import click

from generator.build.site_swap import discard_unfinished
from generator.commands.context import CliContext, pass_cli
from generator.content.errors import ContentErrors
from generator.site.plan import load_checked


def _show_logs(level: int) -> None:
    """Print the build's messages (warnings; with serve, also where it serves and each rebuild)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    for name in ("mkdocs", "generator"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def _stop_on_sigterm() -> None:
    """SIGTERM (`kill`, a service manager, a CI timeout) ends the command as Ctrl-C does, so the
    build's or the preview's temporary folder is removed on the way out. A second SIGTERM
    while that cleanup runs is ignored rather than cut it short."""

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _default_strict() -> bool:
    """Strict by default in CI, where a warning should stop a merge."""
    return bool(os.environ.get("CI"))


@click.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site.")
@click.option("--strict/--no-strict", default=None, help="Fail on warnings (default: on when CI is set).")
@pass_cli
def build(cli: CliContext, site_dir: Path | None, strict: bool | None) -> None:
    """Build the site into site/ (or --site-dir), replacing it only if the build succeeds."""
    from generator.engine.run import build_site

    project = cli.project()
    _show_logs(logging.WARNING)
    _stop_on_sigterm()
    try:
        build_site(project.config_file, site_dir=site_dir, strict=_default_strict() if strict is None else strict)
    finally:
        discard_unfinished()
    click.echo(f"Built the hub in {site_dir or project.site_dir}", err=True)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@pass_cli
def serve(cli: CliContext, port: int, host: str) -> None:
    """Preview the hub at http://HOST:PORT/, rebuilding on every save."""
    from generator.engine.run import serve_site

    project = cli.project()
    _show_logs(logging.INFO)
    _stop_on_sigterm()
    serve_site(project.config_file, host=host, port=port)


@click.command()
@click.option("--strict/--no-strict", default=None, help="Count warnings as errors (default: on when CI is set).")
@pass_cli
def check(cli: CliContext, strict: bool | None) -> None:
    """Validate content and settings without rendering (exit 1 on errors)."""
    project = cli.project()
    strict = _default_strict() if strict is None else strict
    try:
        result = load_checked(project.content_dir, project.settings, project.language,
                              os.path.relpath(project.content_dir, Path.cwd()).replace(os.sep, "/"))  # fmt: skip
    except ContentErrors as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        click.echo(f"{len(exc.issues)} error(s) in the content", err=True)
        sys.exit(1)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if strict and result.warnings:
        click.echo(f"{len(result.warnings)} warning(s), failing in strict mode", err=True)
        sys.exit(1)
    hub_records = result.hub
    click.echo(
        f"OK: {len(hub_records.articles)} articles, {len(hub_records.stories)} stories, "
        f"{len(hub_records.people)} profiles, {len(hub_records.topics)} topics"
    )
