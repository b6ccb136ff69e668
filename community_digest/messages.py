"""One subscriber's e-mail: the compiled variant with its tokens filled, and list headers.

The message is multipart/alternative (text, then HTML), both parts UTF-8 and
quoted-printable. It is assembled from bytes prepared once per send, because
building thousands of EmailMessage objects would cap a send at about 200 messages
per second on its own; tests parse every kind of result back with `email`.

No header can be injected: From, Subject and List-Id go through the `email`
package (SMTP policy: non-ASCII encoded, line breaks refused, the subject put on
one line first); a subscriber's name in To is either plain words or RFC 2047
encoded words; every other header we write is checked to be printable ASCII.
"""

from __future__ import annotations

import binascii
import hashlib
import html
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import quote

from generator.content.errors import HubError
from generator.content.settings import DigestSettings

from .compiled import CompiledIssue, Variant
from .placeholders import NAME as NAME_TOKEN
from .placeholders import PREFERENCES_URL as PREFERENCES_TOKEN
from .placeholders import UNSUBSCRIBE_URL as UNSUBSCRIBE_TOKEN
from .placeholders import Slot, split_at_slots
from .tokens import TokenSigner, scoped_token

# Names the email package would write unchanged (atext words, one space apart).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9'-]+(?: [A-Za-z0-9'-]+)*")
_NOT_IN_HEADER = re.compile(r"[^\x21-\x7e ]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a message is for. `subscriber_id` is None for a test copy."""

    email: str
    name: str = ""
    subscriber_id: int | None = None


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    envelope_from: str
    to: str
    message_id: str
    data: bytes


@dataclass(frozen=True, slots=True)
class _Body:
    text: _Template
    html: _Template


def _ascii(value: str) -> str:
    """Text for a header we write ourselves: printable ASCII only, so nothing breaks out."""
    if _NOT_IN_HEADER.search(value):
        raise ValueError(f"unexpected character in header value {value!r}")
    return value


def _header_line(name: str, value: str) -> bytes:
    return f"{name}: {_ascii(value)}\r\n".encode("ascii")


def _qp(text: str) -> bytes:
    """Quoted-printable (binascii's C encoder) with CRLF line ends and soft breaks."""
    raw = text.encode("utf-8")
    encoded = binascii.b2a_qp(raw, quotetabs=False, istext=True, header=False)
    # b2a_qp copies the first line end it sees; text without one gets bare-LF soft breaks.
    if b"\r\n" not in raw:
        encoded = encoded.replace(b"=\n", b"=\r\n")
    lines = encoded.split(b"\r\n")
    if all(len(line) <= 76 for line in lines):
        return encoded
    # b2a_qp lets a line reach 77 when it encodes a space before a line end.
    return b"\r\n".join(_fold(line) for line in lines)


def _fold(line: bytes) -> bytes:
    """Re-break one encoded line into lines of at most 76 (an "=XX" is never split)."""
    if len(line) <= 76:
        return line
    soft = line.endswith(b"=")  # an escape never ends in "=": this is a soft break
    body = line[:-1] if soft else line
    chunks, start, end = [], 0, 0
    while end < len(body):
        step = 3 if body[end : end + 1] == b"=" else 1
        if end + step - start > 75:
            chunks.append(body[start:end])
            start = end
        end += step
    chunks.append(body[start:])
    return b"=\r\n".join(chunks) + (b"=" if soft else b"")


@dataclass(frozen=True, slots=True)
class _Template:
    """A body encoded once: QP pieces between the tokens, which are encoded per message.

    Tokens are filled only at the slots the compiler recorded (where the templates
    put them); the same characters anywhere else are left as text.

    A soft line break ("=" CRLF) decodes to nothing, so pieces encoded apart and
    joined by one decode to the whole text, and no line passes 76 characters.
    """

    pieces: tuple[bytes | str, ...]
    """Encoded constant text (bytes) and token names (str)."""

    @classmethod
    def of(cls, text: str, slots: tuple[Slot, ...]) -> _Template:
        parts = split_at_slots(text, slots)
        constants = [part.replace("\r\n", "\n").replace("\r", "\n") for part in parts[::2]]
        if not constants[-1].endswith("\n"):
            constants[-1] += "\n"
        parts[::2] = [part.replace("\n", "\r\n") for part in constants]
        return cls(tuple(part if i % 2 else _qp(part) for i, part in enumerate(parts)))

    def fill(self, values: dict[str, str]) -> bytes:
        out: list[bytes] = []
        for piece in self.pieces:
            encoded = _qp(values[piece]) if isinstance(piece, str) else piece
            if not encoded:
                continue
            if out and not out[-1].endswith(b"\n"):
                out[-1] = _soft_break(out[-1])
            out.append(encoded)
        return b"".join(out)


def _soft_break(encoded: bytes) -> bytes:
    """End `encoded` with a soft line break, keeping its last line within 76 characters."""
    line = len(encoded) - (encoded.rfind(b"\n") + 1)
    if line >= 76:  # b2a_qp's last line may be 76 long: move its last character down
        cut = len(encoded) - (3 if encoded[-3:-2] == b"=" else 1)  # "=XX" is one character
        encoded = encoded[:cut] + b"=\r\n" + encoded[cut:]
    return encoded + b"=\r\n"


def _read_template(path: Path, slots: tuple[Slot, ...], issue: str) -> _Template:
    """A compiled part; HubError when it is missing or was changed after it was compiled."""
    rebuild = f"rebuild it with `hub digest build {issue}` (the frozen selection is kept)"
    try:
        # newline="": the slots count characters as they were written.
        with path.open(encoding="utf-8", newline="") as handle:
            return _Template.of(handle.read(), slots)
    except OSError as exc:
        raise HubError(f"{path}: cannot read the compiled digest ({exc.strerror}); {rebuild}") from None
    except ValueError as exc:
        raise HubError(f"{path}: changed after it was compiled ({exc}); {rebuild}") from None


def _headers_of(message: EmailMessage) -> bytes:
    """The serialized header block of a body-less message, without the blank line."""
    return message.as_bytes(policy=policy.SMTP).removesuffix(b"\r\n")


def clean_name(name: str) -> str:
    """Names are checked on the way in; this also guards rows written by other tools."""
    return _CONTROL.sub(" ", name).strip()


class MessageComposer:
    """Writes the messages of one issue; constant parts are prepared once."""

    def __init__(
        self,
        compiled: CompiledIssue,
        settings: DigestSettings,
        site_name: str,
        signer: TokenSigner | None,
        *,
        test_copy: bool = False,
        preferences_url: str | None = None,
    ):
        self.compiled = compiled
        self.settings = settings
        self.signer = signer
        self.preferences_url = preferences_url
        """The preference centre of the subscription service; None without it."""
        self.envelope_from, self.domain = _sender(settings.from_address)
        if not settings.unsubscribe_mailto and not settings.unsubscribe_url:
            raise HubError(
                "extra.hub.digest: set unsubscribe_mailto or unsubscribe_url in mkdocs.yml; "
                "every digest must tell people how to unsubscribe"
            )
        if settings.unsubscribe_url and signer is None:
            raise HubError("extra.hub.digest.unsubscribe_url needs an unsubscribe secret")
        _check_links(settings)
        self.boundary = f"=_hub_{secrets.token_hex(12)}"  # '=' never appears raw in QP
        self._test_mark = " [test]" if test_copy else ""
        self._constant = self._constant_headers(site_name)
        self._bodies: dict[str, _Body] = {}
        self._subjects: dict[str, bytes] = {}
        self._parts_head = (
            b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
            b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
        )

    def _constant_headers(self, site_name: str) -> bytes:
        message = EmailMessage(policy=policy.SMTP)
        message["From"] = self.settings.from_address
        if self.settings.reply_to:
            message["Reply-To"] = self.settings.reply_to
        message["List-Id"] = f"{site_name} digest <{self.settings.list_id}>"
        message["Precedence"] = "bulk"
        message["Auto-Submitted"] = "auto-generated"
        return _headers_of(message)

    def _subject(self, variant: Variant) -> bytes:
        """The variant's subject header: its title, in its language (the issue's for an older build)."""
        found = self._subjects.get(variant.id)
        if found is None:
            message = EmailMessage(policy=policy.SMTP)
            subject = (variant.subject or self.compiled.subject) + self._test_mark
            message["Subject"] = " ".join(subject.split())  # a title never spans lines
            found = self._subjects[variant.id] = _headers_of(message)
        return found

    def _body(self, variant: Variant) -> _Body:
        body = self._bodies.get(variant.id)
        if body is None:
            issue = self.compiled.issue
            body = self._bodies[variant.id] = _Body(
                _read_template(variant.text_path, variant.text_slots, issue),
                _read_template(variant.html_path, variant.html_slots, issue),
            )
        return body

    def message_id(self, recipient: Recipient) -> str:
        """Deterministic per issue and subscriber, so duplicates show in server logs."""
        if recipient.subscriber_id is None:
            return make_msgid("test", domain=self.domain)
        issue = re.sub(r"[^A-Za-z0-9-]", "-", self.compiled.issue)
        seed = f"{self.compiled.issue}\0{recipient.subscriber_id}\0{recipient.email.lower()}"
        digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24]
        return f"<digest.{issue}.{digest}@{self.domain}>"

    def unsubscribe_links(self, recipient: Recipient) -> tuple[str | None, str | None]:
        """(https link, mailto link) for List-Unsubscribe; either may be None."""
        token = None
        if self.signer is not None and recipient.subscriber_id is not None:
            token = self.signer.token(recipient.subscriber_id, recipient.email)
        https = None
        if self.settings.unsubscribe_url:
            joiner = "&" if "?" in self.settings.unsubscribe_url else "?"
            # A test copy has no subscriber: its link shows where the token goes.
            https = f"{self.settings.unsubscribe_url}{joiner}token={token or 'test-copy'}"
        mailto = None
        if self.settings.unsubscribe_mailto:
            subject = quote(f"unsubscribe {token}" if token else "unsubscribe")
            mailto = f"mailto:{self.settings.unsubscribe_mailto}?subject={subject}"
        return https, mailto

    def preferences_link(self, recipient: Recipient) -> str | None:
        """{subscriptions.url}preferences?token=… (a preferences token), or None without the service."""
        if not self.preferences_url:
            return None
        token = "test-copy"  # a test copy has no subscriber: its link shows where the token goes
        if self.signer is not None and recipient.subscriber_id is not None:
            token = scoped_token(self.signer, "preferences", recipient.subscriber_id, recipient.email)
        return f"{self.preferences_url}?token={token}"

    def render(self, variant: Variant, recipient: Recipient) -> RenderedMessage:
        https, mailto = self.unsubscribe_links(recipient)
        link = https or mailto or ""
        name = clean_name(recipient.name)
        body = self._body(variant)
        prefs = self.preferences_link(recipient) or link
        text = body.text.fill({NAME_TOKEN: name, UNSUBSCRIBE_TOKEN: link, PREFERENCES_TOKEN: prefs})
        markup = body.html.fill(
            {NAME_TOKEN: html.escape(name), UNSUBSCRIBE_TOKEN: html.escape(link), PREFERENCES_TOKEN: html.escape(prefs)}
        )
        message_id = self.message_id(recipient)
        head = self._recipient_headers(recipient, name, message_id, https, mailto)
        mark = f"--{self.boundary}\r\n".encode("ascii")
        data = b"".join(
            (
                head,
                self._constant,
                self._subject(variant),
                b"MIME-Version: 1.0\r\n",
                f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n\r\n'.encode(),
                mark,
                self._parts_head[0],
                text,
                mark,
                self._parts_head[1],
                markup,
                f"--{self.boundary}--\r\n".encode("ascii"),
            )
        )
        return RenderedMessage(self.envelope_from, recipient.email, message_id, data)

    def _recipient_headers(
        self,
        recipient: Recipient,
        name: str,
        message_id: str,
        https: str | None,
        mailto: str | None,
    ) -> bytes:
        links = [f"<{link}>" for link in (mailto, https) if link]
        lines = [
            _header_line("Date", format_datetime(datetime.now(UTC))),
            _to_header(name, recipient.email),
            _header_line("Message-ID", message_id),
            # One link per line: both together often pass the 78-character line limit.
            _header_line("List-Unsubscribe", ", ".join(links)).replace(b", <", b",\r\n <"),
        ]
        if https:
            lines.append(_header_line("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        return b"".join(lines)


def _to_header(name: str, address: str) -> bytes:
    """To, with the name as plain words or else as RFC 2047 encoded words.

    Not through EmailMessage: it writes a display name that looks like an encoded
    word ("=?utf-8?q?Bcc=3A_x=40evil.example?=") decoded and unquoted, which turns
    it into another recipient. An encoded word is display text to every reader.
    """
    if not name:
        return _header_line("To", address)
    if len(name) <= 60 and _PLAIN_NAME.fullmatch(name):
        return _header_line("To", f"{name} <{address}>")
    encoded = Header(name, "utf-8", maxlinelen=76, header_name="To").encode(linesep="\r\n")
    return f"To: {encoded} <{_ascii(address)}>\r\n".encode("ascii")


def _sender(from_address: str) -> tuple[str, str]:
    """The envelope sender (address only) and the domain for Message-IDs."""
    _, address = parseaddr(from_address)
    if "@" not in address or _NOT_IN_HEADER.search(address) or " " in address:
        raise HubError(f"extra.hub.digest.from_address: expected 'Name <address@domain>', got {from_address!r}")
    return address, address.rsplit("@", 1)[1]


def _check_links(settings: DigestSettings) -> None:
    url, mailto = settings.unsubscribe_url, settings.unsubscribe_mailto
    # http only on this machine: the subscription service tried locally (README).
    local = url is not None and url.startswith(("http://127.0.0.1:", "http://localhost:"))
    if url and (not (url.startswith("https://") or local) or _NOT_IN_HEADER.search(url) or " " in url):
        raise HubError(f"extra.hub.digest.unsubscribe_url: expected an https:// URL without spaces, got {url!r}")
    if mailto and ("@" not in mailto or _NOT_IN_HEADER.search(mailto) or " " in mailto):
        raise HubError(f"extra.hub.digest.unsubscribe_mailto: expected an e-mail address, got {mailto!r}")
