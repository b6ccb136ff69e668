"""The summary `hub digest send` and `hub digest status` print (ids, never addresses)."""

from __future__ import annotations

import re

import click

from community_digest.ledger import Ledger
from community_digest.sending import (
    DEFERRED,
    FAILED,
    POSSIBLY_SENT,
    SENT,
    SKIPPED,
    SendReport,
)

SHOWN_FAILURES = 10
# Replies often quote the address; the summary names people by id only.
_ADDRESS = re.compile(r"[^\s<>@\"'()]+@[^\s<>@\"'()]+")


def print_report(report: SendReport, ledger: Ledger) -> None:
    tally = report.tally
    click.echo(
        f"This run: {tally[SENT]} sent, {tally[FAILED]} failed, {tally[DEFERRED]} deferred, "
        f"{tally[SKIPPED]} skipped, {tally[POSSIBLY_SENT]} possibly sent."
    )
    if report.requeued:
        click.echo(f"{report.requeued} possibly sent message(s) were queued again on request.")
    if report.stopped:
        click.echo(f"Stopped early: {report.stopped}.")
    print_status(ledger, report.issue)


def print_status(ledger: Ledger, issue: str) -> None:
    """Where the whole send stands, with the replies behind failures."""
    record = ledger.send_record(issue)
    if record is None:
        click.echo(f"{issue}: not sent yet.")
        return
    counts = ledger.counts(issue)
    pending = counts.pending + counts.reserved  # reserved by a run that died: resumed
    click.echo(
        f"{issue} (began {record.started_at}, {record.recipients} recipient(s)): "
        f"{counts.sent} sent, {counts.failed} failed, {pending} pending, "
        f"{counts.skipped} skipped, {counts.sending} possibly sent."
    )
    for failure in ledger.failures(issue, "failed", SHOWN_FAILURES):
        reply = _ADDRESS.sub("(address)", failure.reply)
        click.echo(f"  failed: subscriber #{failure.subscriber_id}: {reply}")
    if counts.failed > SHOWN_FAILURES:
        click.echo(f"  ... and {counts.failed - SHOWN_FAILURES} more failed")
    if counts.sending:
        click.echo(
            f"{counts.sending} possibly sent: a run stopped during their SMTP transaction. "
            "Check the server's logs for their Message-IDs; rerun with --retry-possibly-sent "
            "to send them again (they may then get two copies)."
        )
    if pending:
        click.echo(f"{pending} not sent yet: rerun the same command to resume.")
