"""What every `hub` command receives: the project's mkdocs.yml, loaded on demand.

The digest's commands use it too; it imports neither the `hub` group nor any command,
so command modules never import the CLI module that gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from generator.content.project import Project, load_project


@dataclass(slots=True)
class CliContext:
    config_file: Path

    def project(self) -> Project:
        return load_project(self.config_file)


pass_cli = click.make_pass_decorator(CliContext)
