"""`hub`: the one command for editors and operators."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .errors import HubError
from .project import Project, load_project


@dataclass(slots=True)
class CliContext:
    config_file: Path

    def project(self) -> Project:
        return load_project(self.config_file)


pass_cli = click.make_pass_decorator(CliContext)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="The hub's mkdocs.yml.",
)
@click.version_option(package_name="mobility-hub")
@click.pass_context
def hub(ctx: click.Context, config_file: Path) -> None:
    """Build, preview and publish the Mobility Hub, and send its digest."""
    ctx.obj = CliContext(config_file)


def main() -> None:
    from community_digest.cli import digest, subscribers

    from . import commands, new_command  # noqa: F401  (register build, serve, check, new)

    hub.add_command(digest)
    hub.add_command(subscribers)
    try:
        hub.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except HubError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
