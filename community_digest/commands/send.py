"""`hub digest send <issue> --smtp smtp://HOST:PORT`: mail an issue, at most once each."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from community_digest.compiled import CompiledIssue
from community_digest.ledger import Ledger
from community_digest.messages import Recipient
from community_digest.send_plan import (
    dry_run_deliveries,
    frequencies_for,
    load_issue,
    make_composer,
    parse_rate,
    write_dry_run,
)
from community_digest.sending import RetryPolicy, Sender, SendOptions, SendReport
from community_digest.smtp_client import Outcome, SmtpSession, SmtpTarget
from community_digest.store import database_path, one_sender, open_project_database
from community_digest.subscriber_fields import FREQUENCIES, check_email
from generator.commands.context import CliContext, pass_cli
from generator.content.errors import HubError
from generator.content.project import Project

from .send_report import print_report


@dataclass(frozen=True, slots=True)
class SendRequest:
    issue: str
    smtp_url: str | None
    starttls: bool
    use_ssl: bool
    options: SendOptions
    frequencies: tuple[str, ...]
    dry_run: Path | None
    test_address: str | None
    variant_id: str | None
    yes: bool


@click.command("send")
@click.argument("issue")
@click.option("--smtp", "smtp_url", metavar="smtp://HOST:PORT", help="The SMTP server or relay.")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect with TLS from the start (port 465).")
@click.option("--rate", metavar="N/s", help="At most N messages per second (or N/m).")
@click.option("--max", "max_messages", type=click.IntRange(min=1), help="Send at most N in this run.")
@click.option(
    "--frequency",
    multiple=True,
    type=click.Choice(FREQUENCIES),
    help="Who gets it (repeatable): required for a custom period, else replaces the period's own.",
)
@click.option(
    "--dry-run",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write every message to DIR as .eml instead of sending.",
)
@click.option(
    "--to",
    "test_address",
    metavar="ADDRESS",
    help="Send one test copy to ADDRESS; subscribers and the ledger are untouched.",
)
@click.option("--variant", "variant_id", help="With --to: which variant (default: the full issue).")
@click.option(
    "--retry-possibly-sent",
    is_flag=True,
    help="Also resend messages an interrupted run may have sent (risks duplicates).",
)
@click.option(
    "--retries",
    type=click.IntRange(1, 20),
    default=5,
    show_default=True,
    help="SMTP attempts per message on temporary errors.",
)
@click.option(
    "--retry-delay",
    type=click.FloatRange(0, 60),
    default=1.0,
    show_default=True,
    help="Seconds before the first retry; doubles each time (at most 30).",
)
@click.option("--yes", "-y", is_flag=True, help="Don't ask for confirmation.")
@pass_cli
def send(cli: CliContext, **params: object) -> None:
    """Send a compiled issue to its subscribers; rerun the same command to resume.

    User and password come from HUB_SMTP_USER and HUB_SMTP_PASSWORD only.
    """
    project = cli.project()
    request = _request(params, project.settings.digest.smtp_max_timeouts)
    conn = open_project_database(project)
    ledger = Ledger(conn)
    compiled = load_issue(project, request.issue, conn)
    if request.test_address:
        _send_test_copy(project, compiled, request)
        return
    frequencies = frequencies_for(compiled, request.frequencies, ledger.send_record(request.issue))
    if request.dry_run:
        composer = make_composer(project, compiled)
        written = write_dry_run(composer, compiled, dry_run_deliveries(ledger, compiled, frequencies), request.dry_run)
        click.echo(f"Wrote {written} message(s) to {request.dry_run}; nothing was sent.")
        return
    with one_sender(database_path(project)):
        _send_all(project, compiled, ledger, frequencies, request)


def _request(params: dict[str, object], max_timeouts: int) -> SendRequest:
    retry = RetryPolicy(attempts=int(params["retries"]), first_delay=float(params["retry_delay"]))
    options = SendOptions(
        rate=parse_rate(params["rate"]),  # type: ignore[arg-type]
        max_messages=params["max_messages"],  # type: ignore[arg-type]
        retry=retry,
        retry_possibly_sent=bool(params["retry_possibly_sent"]),
        max_timeouts_in_a_row=max_timeouts,
    )
    request = SendRequest(
        issue=str(params["issue"]),
        smtp_url=params["smtp_url"],
        starttls=bool(params["starttls"]),
        use_ssl=bool(params["use_ssl"]),
        options=options,
        frequencies=tuple(params["frequency"]),
        dry_run=params["dry_run"],
        test_address=params["test_address"],
        variant_id=params["variant_id"],
        yes=bool(params["yes"]),
    )  # type: ignore[arg-type]
    if not request.smtp_url and not request.dry_run:
        raise click.UsageError("give --smtp smtp://HOST:PORT (or --dry-run DIR)")
    if request.dry_run and request.test_address:
        raise click.UsageError("--dry-run and --to exclude each other")
    if request.variant_id and not request.test_address:
        raise click.UsageError("--variant goes with --to")
    return request


def _target(request: SendRequest, project: Project) -> SmtpTarget:
    assert request.smtp_url is not None
    timeout = project.settings.digest.smtp_timeout
    return SmtpTarget.parse(request.smtp_url, starttls=request.starttls, use_ssl=request.use_ssl, timeout=timeout)


def _send_test_copy(project: Project, compiled: CompiledIssue, request: SendRequest) -> None:
    address = check_email(request.test_address or "")
    if not isinstance(address, str):
        raise HubError(f"--to: {address}")
    variant = compiled.variant(request.variant_id) if request.variant_id else compiled.full_variant()
    if variant is None:
        known = ", ".join(v.id for v in compiled.variants)
        raise HubError(f"--variant: expected one of {known}, got {request.variant_id!r}")
    message = make_composer(project, compiled, test_copy=True).render(variant, Recipient(address))
    session = SmtpSession(_target(request, project))
    try:
        result = session.deliver(message.envelope_from, message.to, message.data)
    finally:
        session.close()
    if result.outcome is not Outcome.ACCEPTED:
        raise HubError(f"the test copy was not accepted: {result.reply}")
    click.echo(f"Sent a test copy of {compiled.issue} ({variant.id}) to {address}: {result.reply}")


def _send_all(
    project: Project,
    compiled: CompiledIssue,
    ledger: Ledger,
    frequencies: tuple[str, ...],
    request: SendRequest,
) -> None:
    composer = make_composer(project, compiled)
    session = SmtpSession(_target(request, project))
    session.open()  # a refused login stops here, before anything is frozen or marked
    _begin_or_resume(compiled, ledger, frequencies, request, session.target.label)
    stop = threading.Event()
    sender = Sender(ledger, compiled, composer, session, request.options, stop)
    report = SendReport(compiled.issue)
    batch = sender.prepare(report)
    label = f"Sending {compiled.issue}"
    with (
        _graceful_stop(stop),
        click.progressbar(length=len(batch), label=label, file=sys.stderr) as bar,
    ):
        sender.run(batch, report, lambda outcome: bar.update(1))
    print_report(report, ledger)
    if report.fatal or (report.stopped and report.stopped != "interrupted"):
        raise HubError(report.fatal or f"stopped: {report.stopped}; rerun the command to resume")
    if report.stopped:
        raise click.Abort  # Ctrl-C: exit status 130, as for any interrupted command


def _begin_or_resume(
    compiled: CompiledIssue,
    ledger: Ledger,
    frequencies: tuple[str, ...],
    request: SendRequest,
    server: str,
) -> None:
    """Ask (unless --yes), then freeze the recipients of a new send. Nothing is written before."""
    record = ledger.send_record(compiled.issue)
    if record is None:
        count = ledger.count_candidates(frequencies)
        _confirm(
            request,
            f"Send {compiled.subject!r} to {count} {'/'.join(frequencies)} subscriber(s) through {server}?",
        )
        ledger.freeze(compiled.issue, frequencies, lambda lang, topics: compiled.variant_for(lang, topics).id)
        return
    counts = ledger.counts(compiled.issue)
    left = counts.pending + counts.reserved + (counts.sending if request.options.retry_possibly_sent else 0)
    if left:
        _confirm(
            request,
            f"Resume sending {compiled.issue} (began {record.started_at}): {left} message(s) left?",
        )


def _confirm(request: SendRequest, question: str) -> None:
    if not request.yes:
        click.confirm(question, abort=True, err=True)


@contextmanager
def _graceful_stop(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C (or SIGTERM): finish the message in flight, then stop. Second: at once."""

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("\nStopping after the current message (Ctrl-C again to abort now).", err=True)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
