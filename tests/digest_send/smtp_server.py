"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, recording what it accepts.

Its behaviour is scripted per test: answer 4xx to some recipients a number of
times, 5xx to others, drop the connection at the Nth RCPT or after the Nth
message, hold a message after receiving it, require a login.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    def parsed(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Script:
    """What the server does; tests set fields before the send."""

    transient: dict[str, list[str]] = field(default_factory=dict)
    """address -> replies to give (in order) before accepting it."""
    permanent: dict[str, str] = field(default_factory=dict)
    """address -> the 5xx reply it always gets."""
    drop_at_rcpt: set[int] = field(default_factory=set)
    """Close the connection instead of answering the Nth RCPT (1-based, over the run)."""
    drop_after_data: set[int] = field(default_factory=set)
    """Keep the Nth message, then close the connection without answering."""
    hold_after_data: int | None = None
    """Keep the Nth message, signal `held`, and answer only when `release` is set."""
    password: str | None = None


class RecordingHandler:
    def __init__(self, script: Script):
        self.script = script
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.rcpt_count = 0
        self.logins: list[str] = []
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        with self.lock:
            self.rcpt_count += 1
            number = self.rcpt_count
            queue = self.script.transient.get(address)
            transient = queue.pop(0) if queue else None
        if number in self.script.drop_at_rcpt:
            server.transport.abort()
            return "421 closing"  # never reaches the client
        if transient:
            return transient
        if address in self.script.permanent:
            return self.script.permanent[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        with self.lock:
            self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
            number = len(self.messages)
        if number in self.script.drop_after_data:
            server.transport.abort()
            return "250 never seen"
        if number == self.script.hold_after_data:
            self.held.set()
            for _ in range(3000):  # at most 30 s
                if self.release.is_set() or server.transport.is_closing():
                    break
                await asyncio.sleep(0.01)
        return f"250 OK queued as {number}"

    def count_by_recipient(self) -> Counter[str]:
        with self.lock:
            return Counter(to.lower() for message in self.messages for to in message.rcpt_tos)

    def authenticate(self, server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        if isinstance(auth_data, LoginPassword):
            self.logins.append(auth_data.login.decode())
            ok = auth_data.password.decode() == self.script.password
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Controller + handler; `url` is what `hub digest send --smtp` takes."""

    def __init__(self, script: Script | None = None, tls: ssl.SSLContext | None = None, implicit_tls: bool = False):
        self.script = script or Script()
        self.handler = RecordingHandler(self.script)
        self.port = free_port()
        extra: dict[str, object] = {}
        if tls is not None and implicit_tls:
            extra["ssl_context"] = tls
        elif tls is not None:
            extra.update(tls_context=tls, require_starttls=True)
        if self.script.password is not None:
            extra.update(
                authenticator=self.handler.authenticate,
                auth_required=True,
                auth_require_tls=tls is not None and not implicit_tls,  # aiosmtpd sees only STARTTLS
            )
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            server_hostname="localhost",
            ready_timeout=10,
            **extra,
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.release.set()
        self.controller.stop()
