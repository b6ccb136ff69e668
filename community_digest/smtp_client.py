"""One SMTP connection, reused across messages, that says exactly what became of each one.

Each message is its own transaction (MAIL, RCPT, DATA) with one recipient, so a
reply is about one subscriber. The outcome tells the sender what it may do next:

- ACCEPTED: the server answered 250 after the message.
- TRANSIENT: the server surely does not have it (a 4xx, or the connection failed
  before the end of the message was written): safe to try again.
- PERMANENT: a 5xx about this recipient or this message.
- UNKNOWN: the connection broke after the whole message was written but before
  the reply: the server may have taken it. At most once means: don't retry.

A server that stops answering shows as a timeout (`Result.timed_out`, or
`SmtpUnavailable.timed_out` when connecting); the sender counts them in a row.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from generator.content.errors import HubError

USER_ENV = "HUB_SMTP_USER"
PASSWORD_ENV = "HUB_SMTP_PASSWORD"


class Outcome(Enum):
    ACCEPTED = "accepted"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    reply: str
    timed_out: bool = False
    """The server did not answer within the target's timeout."""


class SmtpFatal(HubError):
    """The run cannot go on (login refused, sender refused): nothing more is sent."""


class SmtpUnavailable(HubError):
    """The server cannot be reached right now (connection refused, timeout, 421)."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    security: str = "plain"
    """plain, starttls or ssl."""
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    """Seconds to wait for the server at each step (extra.hub.digest.smtp_timeout)."""

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, url: str, *, starttls: bool = False, use_ssl: bool = False, timeout: float = 30.0) -> SmtpTarget:
        """smtp://HOST:PORT (or smtps://) plus credentials from the environment only."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise HubError(f"--smtp: expected smtp://HOST:PORT, got {url!r}")
        if parts.username or parts.password:
            raise HubError(f"--smtp: put no user or password in the URL; set {USER_ENV} and {PASSWORD_ENV}")
        if starttls and (use_ssl or parts.scheme == "smtps"):
            raise HubError("--starttls and --ssl (or smtps://) exclude each other")
        security = "ssl" if use_ssl or parts.scheme == "smtps" else "plain"
        security = "starttls" if starttls else security
        try:
            port = parts.port or (465 if security == "ssl" else 25)
        except ValueError:
            raise HubError(f"--smtp: expected a port number in {url!r}") from None
        user = os.environ.get(USER_ENV) or None
        password = os.environ.get(PASSWORD_ENV) or None
        if user and password is None:
            raise HubError(f"{USER_ENV} is set but {PASSWORD_ENV} is not")
        target = cls(parts.hostname, port, security, user, password, timeout)
        if user and security == "plain" and not _is_loopback(target.host):
            raise HubError(f"refusing to send the SMTP password unencrypted to {target.label}; add --starttls or --ssl")
        return target


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _timed_out(exc: BaseException) -> bool:
    """A socket timeout, also when smtplib reports it as a lost connection."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}".strip()


def _classify(code: int, message: bytes | str) -> Result:
    if 200 <= code < 300:
        return Result(Outcome.ACCEPTED, _reply(code, message))
    if 400 <= code < 500:
        return Result(Outcome.TRANSIENT, _reply(code, message))
    return Result(Outcome.PERMANENT, _reply(code, message))


def stuff(data: bytes) -> bytes:
    """The DATA payload: dot-stuffed, CRLF-terminated, with the final '.' line."""
    data = data.replace(b"\r\n.", b"\r\n..")  # messages are CRLF throughout
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


class SmtpSession:
    """A lazily opened connection; reopened after a drop, closed by `close()`."""

    def __init__(self, target: SmtpTarget):
        self.target = target
        self._conn: smtplib.SMTP | None = None

    def open(self) -> None:
        if self._conn is not None:
            return
        target = self.target
        context = ssl.create_default_context()
        try:
            if target.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(target.host, target.port, timeout=target.timeout, context=context)
            else:
                conn = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
            conn.ehlo()
            if target.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
        except (OSError, smtplib.SMTPException) as exc:
            if _timed_out(exc):
                raise SmtpUnavailable(
                    f"the SMTP server {target.label} did not answer within {target.timeout:g} s", timed_out=True
                ) from None
            raise SmtpUnavailable(f"cannot connect to the SMTP server {target.label}: {exc}") from None
        self._conn = conn
        if target.user:
            self._login(conn)

    def _login(self, conn: smtplib.SMTP) -> None:
        assert self.target.user is not None and self.target.password is not None
        try:
            conn.login(self.target.user, self.target.password)
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise SmtpFatal(
                f"the SMTP server {self.target.label} refused the login of {USER_ENV}: "
                f"{_reply(exc.smtp_code, exc.smtp_error)}; check {USER_ENV} and {PASSWORD_ENV}"
            ) from None
        except smtplib.SMTPNotSupportedError:
            self.close()
            raise SmtpFatal(
                f"the SMTP server {self.target.label} offers no login here; "
                f"unset {USER_ENV}, or add --starttls or --ssl"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise SmtpUnavailable(f"login to {self.target.label} failed: {exc}") from None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def deliver(self, envelope_from: str, recipient: str, data: bytes) -> Result:
        """One transaction for one recipient; see the module docstring for outcomes."""
        self.open()
        conn = self._conn
        assert conn is not None
        handed_over = False
        try:
            code, message = conn.mail(envelope_from)
            if code != 250:
                return self._refused_sender(code, message)
            code, message = conn.rcpt(recipient)
            if code not in (250, 251):
                return self._reset(_classify(code, message))
            code, message = conn.docmd("DATA")
            if code != 354:
                return self._reset(_classify(code, message))
            conn.send(stuff(data))
            handed_over = True
            code, message = conn.getreply()
            return self._after_message(_classify(code, message))
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            timed_out = _timed_out(exc)
            if timed_out:
                detail = f"no answer within {self.target.timeout:g} s"
            else:
                detail = f"connection lost: {exc or type(exc).__name__}"
            if handed_over:
                return Result(Outcome.UNKNOWN, f"{detail} (after the message was written)", timed_out)
            return Result(Outcome.TRANSIENT, detail, timed_out)

    def _refused_sender(self, code: int, message: bytes) -> Result:
        if code == 421 or 400 <= code < 500:
            self._drop()
            raise SmtpUnavailable(f"the SMTP server is not taking mail now: {_reply(code, message)}")
        self._drop()
        raise SmtpFatal(
            f"the SMTP server {self.target.label} refused the sender: {_reply(code, message)}"
            f" (does it need a login? set {USER_ENV} and {PASSWORD_ENV})"
        )

    def _reset(self, result: Result) -> Result:
        """Abandon the transaction; a 421 means the server is closing the connection."""
        conn = self._conn
        if conn is None or result.reply.startswith("421"):
            self._drop()
            return result
        try:
            conn.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
        return result

    def _after_message(self, result: Result) -> Result:
        if result.reply.startswith("421"):
            self._drop()
        return result
