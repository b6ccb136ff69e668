"""`hub`: the one command for editors and operators."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from community_digest.cli import digest, subscribers
from generator.build.site_swap import where_and_why
from generator.commands.context import CliContext
from generator.commands.curate import curate_command
from generator.commands.mentoring import mentoring
from generator.commands.new import new
from generator.commands.site import build, check, serve
from generator.content.errors import HubError


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


for _command in (build, serve, check, new, digest, subscribers, mentoring):
    hub.add_command(_command)
hub.add_command(curate_command)


def main() -> None:
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
    except OSError as exc:
        if exc.errno is None or exc.filename is None:
            raise  # not the file system: a bug to see whole
        # A folder or file the command could not read or write: the disk, not a bug.
        click.echo(where_and_why(exc), err=True)
        sys.exit(1)
