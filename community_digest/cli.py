"""`hub digest ...` and `hub subscribers ...`."""

from __future__ import annotations

import click


@click.group()
def digest() -> None:
    """Compile, preview and send the e-mail digest."""


@click.group()
def subscribers() -> None:
    """Manage the digest's subscribers (kept in SQLite, never in the site)."""


def _register_sending() -> None:
    # Each command lives in its own module under commands/ (the team's layout rule).
    from .commands.build import build
    from .commands.send import send
    from .commands.status import status
    from .commands.subscribers_add import add
    from .commands.subscribers_bounces import bounces
    from .commands.subscribers_export import export
    from .commands.subscribers_import import import_subscribers
    from .commands.subscribers_list import list_subscribers
    from .commands.subscribers_remove import remove
    from .commands.subscribers_serve import serve
    from .commands.subscribers_unsubscribe import unsubscribe

    digest.add_command(build)
    digest.add_command(send)
    digest.add_command(status)
    for command in (import_subscribers, add, list_subscribers, export, unsubscribe, remove, serve, bounces):
        subscribers.add_command(command)


_register_sending()
