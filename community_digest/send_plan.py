"""What `hub digest send` settles before the first message: the issue, who gets it, how.

- The issue is the one `hub digest build` compiled; when it was not built yet it is
  compiled here, with one variant per (language, topics) of the subscribers.
- The frequency follows the period: week -> weekly, month -> monthly, quarter ->
  quarterly. A custom period (from/to dates) has no natural frequency, so the
  operator names it with --frequency (repeatable; for other periods it replaces
  the natural one, e.g. to send a quarterly issue to monthly subscribers too). The
  frequencies are frozen with the recipients when the send begins; a rerun must
  not change them.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.content.errors import HubError
from generator.content.project import Project

from .compiled import CompiledIssue, Variant, compile_issue, load_compiled
from .dkim_signing import DkimSigner
from .ledger import Delivery, Ledger, SendRecord
from .messages import MessageComposer, Recipient, RenderedMessage
from .subscriber_fields import FREQUENCIES
from .tokens import SECRET_ENV, SECRET_MIN, TokenSigner

FREQUENCY_OF_KIND = {"week": "weekly", "month": "monthly", "quarter": "quarterly"}
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|m|h|min))?\s*$")
_PER = {None: 1.0, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_rate(text: str | None) -> float | None:
    """'20/s', '600/m', '5' (per second) -> messages per second."""
    if text is None:
        return None
    match = _RATE.match(text)
    if not match or float(match[1]) <= 0:
        raise HubError(f"--rate: expected messages per second like 20/s or 600/m, got {text!r}")
    return float(match[1]) / _PER[match[2]]


def load_issue(project: Project, issue: str, conn: sqlite3.Connection) -> CompiledIssue:
    """The compiled issue, compiling it first (for the subscribers' segments) if needed."""
    out_dir = project.resolve(project.settings.digest.output_dir)
    compiled = load_compiled(out_dir, issue)
    if compiled is not None:
        return compiled
    rows = conn.execute("SELECT DISTINCT language, topics FROM subscribers WHERE status = 'active'").fetchall()
    segments = sorted({(row[0], tuple(t for t in row[1].split(";") if t)) for row in rows})
    return compile_issue(project, issue, segments=segments or None)


def frequencies_for(compiled: CompiledIssue, requested: Sequence[str], record: SendRecord | None) -> tuple[str, ...]:
    """The subscriber frequencies this issue goes to; see the module docstring."""
    natural = FREQUENCY_OF_KIND.get(compiled.period_kind)
    wanted = tuple(sorted(set(requested))) or ((natural,) if natural else ())
    if not wanted:
        raise HubError(
            f"{compiled.issue}: its period {compiled.period_label!r} is not a week, month or "
            f"quarter; say who gets it with --frequency ({', '.join(FREQUENCIES)}, repeatable)"
        )
    if record is not None and tuple(sorted(record.frequencies)) != wanted:
        raise HubError(
            f"{compiled.issue}: the send began on {record.started_at} for "
            f"{' and '.join(record.frequencies)} subscribers; rerun it with the same --frequency"
        )
    return wanted


def make_composer(project: Project, compiled: CompiledIssue, *, test_copy: bool = False) -> MessageComposer:
    """The composer, with an unsubscribe signer when links must (or can) carry tokens.

    With the subscription service (extra.hub.subscriptions.url) the one-click
    link is its /unsubscribe; with a DKIM key every message is signed.
    """
    settings = project.settings.digest
    service = project.settings.subscriptions.url
    if service:
        settings = settings.model_copy(update={"unsubscribe_url": f"{service}unsubscribe"})
    signer = None
    if settings.unsubscribe_url:
        signer = TokenSigner.from_env("extra.hub.digest.unsubscribe_url (one-click unsubscribe)")
    elif len(os.environ.get(SECRET_ENV, "")) >= SECRET_MIN:
        # Optional here: with it, the mailto link's subject carries a verifiable token.
        signer = TokenSigner.from_env("unsubscribe tokens")
    links = {"test_copy": test_copy, "preferences_url": f"{service}preferences" if service else None}
    dkim = DkimSigner.from_settings(settings.dkim)
    if dkim is not None:
        return SignedComposer(compiled, settings, project.site_name, signer, dkim=dkim, **links)
    return MessageComposer(compiled, settings, project.site_name, signer, **links)


class SignedComposer(MessageComposer):
    """Every message with a DKIM signature over its final bytes."""

    def __init__(self, *args: Any, dkim: DkimSigner, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.dkim = dkim

    def render(self, variant: Variant, recipient: Recipient) -> RenderedMessage:
        message = super().render(variant, recipient)
        return replace(message, data=self.dkim.sign(message.data))


def dry_run_deliveries(ledger: Ledger, compiled: CompiledIssue, frequencies: Sequence[str]) -> list[Delivery]:
    """Who a send would mail now: the rest of a started send, else everyone it would freeze."""
    if ledger.send_record(compiled.issue) is not None:
        return ledger.pending(compiled.issue)
    return ledger.candidates(frequencies, lambda lang, topics: compiled.variant_for(lang, topics).id)


def write_dry_run(composer: MessageComposer, compiled: CompiledIssue, deliveries: Sequence[Delivery], out: Path) -> int:
    """Every message as <n>-<subscriber id>.eml in `out`; the ledger is not touched."""
    out.mkdir(parents=True, exist_ok=True)
    for number, delivery in enumerate(deliveries, start=1):
        variant = compiled.variant(delivery.variant) or compiled.full_variant(delivery.language)
        recipient = Recipient(delivery.email, delivery.name, delivery.subscriber_id)
        message = composer.render(variant, recipient)
        (out / f"{number:06d}-{delivery.subscriber_id}.eml").write_bytes(message.data)
    return len(deliveries)
