"""The service's own mails: the confirmation link, or a reminder for an active address.

Plain text, in the subscriber's language, written with the `email` package (its
SMTP policy encodes what people typed and refuses line breaks in headers), DKIM
signed when a key is configured, and sent over SMTP connections kept open between requests.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from ..dkim_signing import DkimSigner
from ..messages import clean_name
from ..smtp_client import Outcome, SmtpSession, SmtpTarget
from .texts import texts

log = logging.getLogger("hub.subscriptions")


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    language: str
    name: str
    kind: str
    """"confirm" or "already"."""
    link: str


@dataclass(frozen=True, slots=True)
class Mailer:
    target: SmtpTarget
    from_address: str
    site_name: str
    confirm_hours: int
    dkim: DkimSigner | None = None
    _pool: SessionPool = field(default_factory=lambda: SessionPool(), repr=False, compare=False)

    def compose(self, mail: Mail) -> bytes:
        words = texts(mail.language)
        name = clean_name(mail.name)
        fields = {"site": self.site_name, "link": mail.link, "hours": self.confirm_hours,
                  "name": f" {name}" if name else ""}  # fmt: skip
        message = EmailMessage(policy=policy.SMTP)
        message["From"] = self.from_address
        message["To"] = mail.to
        message["Subject"] = words[f"mail_{mail.kind}_subject"].format(**fields)
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid("subscription", domain=self._domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(words[f"mail_{mail.kind}_body"].format(**fields), cte="quoted-printable")
        data = message.as_bytes()
        return self.dkim.sign(data) if self.dkim else data

    @property
    def _domain(self) -> str:
        return parseaddr(self.from_address)[1].rsplit("@", 1)[-1] or "localhost"

    def send(self, mail: Mail) -> bool:
        """True when the server took the message. One retry on a fresh connection when a
        kept one was dropped meanwhile (servers close idle connections)."""
        data = self.compose(mail)
        for _ in range(2):
            session = self._pool.take(self.target)
            try:
                result = session.deliver(parseaddr(self.from_address)[1], mail.to, data)
            except Exception as exc:  # noqa: BLE001 (any failure: the caller takes the request back)
                session.close()
                log.warning("%s mail not sent: %s", mail.kind, type(exc).__name__)
                return False
            if result.outcome is Outcome.TRANSIENT and result.reply.startswith("connection lost"):
                session.close()
                continue
            self._pool.give(session)
            if result.outcome is not Outcome.ACCEPTED:
                # The reply's code only: servers often quote the address in the rest.
                log.warning("%s mail not sent: the server answered %s", mail.kind, result.reply[:3])
            return result.outcome is Outcome.ACCEPTED
        log.warning("%s mail not sent: the connection to %s keeps dropping", mail.kind, self.target.label)
        return False


class SessionPool:
    """SMTP connections kept open between requests: opening one costs more than the
    whole transaction (EHLO, and TLS or a login with a relay). Each is used by one
    thread at a time; at most `keep` wait idle."""

    def __init__(self, keep: int = 32):
        self.keep = keep
        self._idle: list[SmtpSession] = []
        self._lock = threading.Lock()

    def take(self, target: SmtpTarget) -> SmtpSession:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return SmtpSession(target)

    def give(self, session: SmtpSession) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(session)
                return
        session.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for session in idle:
            session.close()
