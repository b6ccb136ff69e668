"""`hub digest ...` and `hub subscribers ...`."""

from __future__ import annotations

import click


@click.group()
def digest() -> None:
    """Compile, preview and send the e-mail digest."""


@click.group()
def subscribers() -> None:
    """Manage the digest's subscribers (kept in SQLite, never in the site)."""
