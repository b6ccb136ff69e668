"""Sending an issue: walk the pending deliveries, one SMTP transaction each, at most once.

Deliveries are reserved in fsynced batches (see ledger.py for why). For every
message: render it, mark it `sending` (committed), run the SMTP transaction,
record the outcome. Transient failures are retried with bounded exponential
backoff; a message the server may have taken when the connection broke stays
`sending` (possibly sent) and is not retried. Every loop is bounded: by the
batch, by the attempts per message, by the total backoff per message, by a
cap on consecutive deferrals, and by a cap on consecutive timeouts (a server
that stops answering costs at most that many waits, not one per message).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .compiled import CompiledIssue
from .ledger import Delivery, Ledger, boot_id
from .messages import MessageComposer, Recipient
from .smtp_client import Outcome, Result, SmtpFatal, SmtpUnavailable

SENT, FAILED, DEFERRED, SKIPPED, POSSIBLY_SENT = (
    "sent",
    "failed",
    "deferred",
    "skipped",
    "possibly_sent",
)


class Transport(Protocol):
    def deliver(self, envelope_from: str, recipient: str, data: bytes) -> Result: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5
    """SMTP attempts per message for transient errors (4xx, dropped connection)."""
    first_delay: float = 1.0
    """Seconds before the first retry; doubles each time."""
    max_delay: float = 30.0
    max_wait: float = 120.0
    """Most seconds spent waiting on one message before it is deferred to a rerun."""

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2 ** (attempt - 1), self.max_delay)


@dataclass(frozen=True, slots=True)
class SendOptions:
    rate: float | None = None
    """Messages per second at most (None: as fast as the server takes them)."""
    max_messages: int | None = None
    """Messages attempted in this run at most; a rerun goes on with the rest."""
    retry: RetryPolicy = RetryPolicy()
    retry_possibly_sent: bool = False
    """Put deliveries left `sending` by a crash back in the queue (may mail them twice)."""
    max_deferred_in_a_row: int = 20
    """Stop the run when the server keeps deferring: it is probably not the recipients."""
    max_timeouts_in_a_row: int = 3
    """Stop when the server has not answered this many times in a row (smtp_max_timeouts)."""
    max_failed_in_a_row: int = 10
    """Stop when this many recipients in a row are refused, and keep them for a rerun:
    that is a server problem (relaying denied, no login), not ten bad addresses."""
    reserve_batch: int = 100
    """Deliveries reserved per fsync (fewer with --rate: about one second's worth)."""

    def batch_size(self, boot: str | None) -> int:
        if boot is None:
            return 1  # no way to tell a restart after a crash: fsync before every message
        if self.rate:
            return max(1, min(self.reserve_batch, int(self.rate)))
        return self.reserve_batch


@dataclass(slots=True)
class SendReport:
    issue: str
    tally: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((SENT, FAILED, DEFERRED, SKIPPED, POSSIBLY_SENT), 0)
    )
    requeued: int = 0
    stopped: str | None = None
    """Why the run ended before its batch did (interrupted, server unreachable)."""
    fatal: str | None = None
    """An error that stopped the run for good (login or sender refused)."""


class Pacer:
    """At most `rate` starts per second; waits wake up early when `stop` is set."""

    def __init__(self, rate: float | None, stop: threading.Event):
        self.interval = 1.0 / rate if rate else 0.0
        self.stop = stop
        self.next = time.monotonic()

    def wait(self) -> bool:
        """False when the run was asked to stop while waiting."""
        delay = self.next - time.monotonic()
        if delay > 0 and self.stop.wait(delay):
            return False
        self.next = max(self.next, time.monotonic() - self.interval) + self.interval
        return not self.stop.is_set()


class Sender:
    def __init__(
        self,
        ledger: Ledger,
        compiled: CompiledIssue,
        composer: MessageComposer,
        transport: Transport,
        options: SendOptions,
        stop: threading.Event | None = None,
    ):
        self.ledger = ledger
        self.compiled = compiled
        self.composer = composer
        self.transport = transport
        self.options = options
        self.stop = stop or threading.Event()
        self.boot = boot_id()
        self.pacer = Pacer(options.rate, self.stop)
        self.deferred_in_a_row = 0
        self.failed_in_a_row: list[int] = []
        self.timeouts_in_a_row = 0
        self.last_timeout = ""
        self.last_reply = ""
        self._unreachable = False

    def prepare(self, report: SendReport) -> list[Delivery]:
        """The batch of this run, after settling what an earlier run left behind."""
        issue = self.compiled.issue
        report.tally[POSSIBLY_SENT] += self.ledger.recover(issue, self.boot)
        report.tally[SKIPPED] += self.ledger.skip_departed(issue)
        if self.options.retry_possibly_sent:
            report.requeued = self.ledger.requeue_possibly_sent(issue)
        return self.ledger.pending(issue, self.options.max_messages)

    def run(
        self,
        batch: list[Delivery],
        report: SendReport,
        on_progress: Callable[[str], None] = lambda outcome: None,
    ) -> SendReport:
        size = self.options.batch_size(self.boot)
        try:
            for start in range(0, len(batch), size):
                chunk = batch[start : start + size]
                reserved = self.ledger.reserve([d.id for d in chunk], self.boot)
                if not self._run_chunk(chunk, reserved, report, on_progress):
                    break
        except SmtpUnavailable as exc:
            report.stopped = str(exc)
        except SmtpFatal as exc:
            report.fatal = str(exc)
        finally:
            self.transport.close()
            self.ledger.unreserve(self.compiled.issue)
            report.tally[SKIPPED] += self.ledger.skip_departed(self.compiled.issue)
        return report

    def _run_chunk(
        self,
        chunk: list[Delivery],
        reserved: set[int],
        report: SendReport,
        on_progress: Callable[[str], None],
    ) -> bool:
        """Send one reserved chunk; False when the run must stop."""
        for delivery in chunk:
            if delivery.id not in reserved:
                on_progress(SKIPPED)  # taken out of the queue meanwhile (unsubscribed)
                continue
            if not self.pacer.wait():
                report.stopped = "interrupted"
                return False
            outcome = self._deliver(delivery)
            if outcome != SKIPPED:  # skips are counted from the ledger, in run()
                report.tally[outcome] += 1
            on_progress(outcome)
            if self._streak_too_long(delivery, outcome, report):
                return False
        return True

    def _streak_too_long(self, delivery: Delivery, outcome: str, report: SendReport) -> bool:
        """Stop on a run of timeouts, deferrals or refusals: the server, not the recipients, is wrong."""
        if self._unresponsive():
            report.stopped = (
                f"the SMTP server did not answer {self.timeouts_in_a_row} times in a row "
                f"(last: {self.last_timeout})"
            )
            return True
        self.deferred_in_a_row = self.deferred_in_a_row + 1 if outcome == DEFERRED else 0
        if self.deferred_in_a_row >= self.options.max_deferred_in_a_row:
            report.stopped = f"the server deferred {self.deferred_in_a_row} messages in a row"
            return True
        self.failed_in_a_row = [*self.failed_in_a_row, delivery.id] if outcome == FAILED else []
        if len(self.failed_in_a_row) < self.options.max_failed_in_a_row:
            return False
        count = self.ledger.requeue_failed(self.failed_in_a_row)  # a 5xx: surely not delivered
        report.tally[FAILED] -= count
        report.tally[DEFERRED] += count
        report.stopped = (
            f"the server refused {count} recipients in a row (last: {self.last_reply}); they are "
            "kept for a rerun: check the server's settings (relaying, login)"
        )
        return True

    def _deliver(self, delivery: Delivery) -> str:
        variant = self.compiled.variant(delivery.variant) or self.compiled.variant_for(
            delivery.language, delivery.topics
        )
        recipient = Recipient(delivery.email, delivery.name, delivery.subscriber_id)
        message = self.composer.render(variant, recipient)
        policy = self.options.retry
        waited = 0.0
        for attempt in range(1, policy.attempts + 1):
            if not self.ledger.claim(delivery.id, message.message_id):
                return SKIPPED  # unsubscribed or removed a moment ago
            result = self._attempt(delivery, message.envelope_from, message.to, message.data)
            if result.outcome is not Outcome.TRANSIENT:
                return self._record(delivery, result)
            self.ledger.finish(delivery.id, "reserved", result.reply)
            if self._unresponsive():
                return DEFERRED  # back in the queue; _streak_too_long stops the run
            delay = policy.delay(attempt)
            if attempt == policy.attempts or waited + delay > policy.max_wait:
                break
            if self.stop.wait(delay):
                return DEFERRED
            waited += delay
        if self._unreachable:
            raise SmtpUnavailable(result.reply)
        return DEFERRED

    def _unresponsive(self) -> bool:
        return self.timeouts_in_a_row >= self.options.max_timeouts_in_a_row

    def _attempt(self, delivery: Delivery, sender: str, to: str, data: bytes) -> Result:
        result = self._try(delivery, sender, to, data)
        self.timeouts_in_a_row = self.timeouts_in_a_row + 1 if result.timed_out else 0
        if result.timed_out:
            self.last_timeout = result.reply
        return result

    def _try(self, delivery: Delivery, sender: str, to: str, data: bytes) -> Result:
        try:
            result = self.transport.deliver(sender, to, data)
        except SmtpUnavailable as exc:
            self._unreachable = True
            return Result(Outcome.TRANSIENT, str(exc), exc.timed_out)
        except SmtpFatal as exc:
            # Login or sender refused: the message was not written. (Any other
            # exception leaves the row `sending`: possibly sent, the safe side.)
            self.ledger.finish(delivery.id, "reserved", str(exc))
            raise
        self._unreachable = False
        return result

    def _record(self, delivery: Delivery, result: Result) -> str:
        if result.outcome is Outcome.ACCEPTED:
            self.ledger.finish(delivery.id, "sent", result.reply)
            return SENT
        if result.outcome is Outcome.PERMANENT:
            self.ledger.finish(delivery.id, "failed", result.reply)
            self.last_reply = result.reply
            return FAILED
        self.ledger.finish(delivery.id, "sending", result.reply)
        return POSSIBLY_SENT
