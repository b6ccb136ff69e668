"""`hub subscribers serve [--host 127.0.0.1] [--port 8100] --smtp smtp://HOST:PORT [--starttls|--ssl]`."""

from __future__ import annotations

import logging

import click

from community_digest.smtp_client import SmtpTarget
from community_digest.store import open_database
from generator.commands.context import CliContext, pass_cli


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (behind a reverse proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=8100, show_default=True)
@click.option("--smtp", "smtp_url", required=True, metavar="smtp://HOST:PORT", help="Where confirmation mails go.")
@click.option("--starttls", is_flag=True, help="Upgrade the SMTP connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect to SMTP with TLS from the start (port 465).")
@click.option(
    "--allow-origin",
    multiple=True,
    metavar="URL",
    help="Another origin whose pages may post the forms (repeatable), e.g. the local preview http://127.0.0.1:8000.",
)
@pass_cli
def serve(
    cli: CliContext, host: str, port: int, smtp_url: str, starttls: bool, use_ssl: bool, allow_origin: tuple[str, ...]
) -> None:
    """Run the subscription service: double opt-in, preferences, one-click unsubscribe.

    Needs extra.hub.subscriptions.url in mkdocs.yml and HUB_UNSUBSCRIBE_SECRET.
    """
    import uvicorn  # imported here: every `hub` command would pay for it otherwise

    from community_digest.service.app import create_app
    from community_digest.service.config import service_config

    project = cli.project()
    target = SmtpTarget.parse(smtp_url, starttls=starttls, use_ssl=use_ssl)
    config = service_config(project, target, allow_origin)
    open_database(config.database).close()  # create or migrate it now, not on the first request
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Subscriptions for {config.base_url} on http://{host}:{port}/ (mail through {target.label})", err=True)
    # access_log off: uvicorn's would write query strings, which carry tokens. The
    # app logs each request's path instead. Proxy headers are trusted from loopback only.
    uvicorn.run(
        create_app(config), host=host, port=port, access_log=False, proxy_headers=True,
        forwarded_allow_ips="127.0.0.1", log_level="info", server_header=False,
    )  # fmt: skip
