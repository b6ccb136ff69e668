"""A complete .eml preview of one variant: multipart/alternative, text first, then HTML.

The preview is byte-for-byte reproducible: its Date is the issue's date, its
Message-ID and MIME boundary are derived from the issue and the content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

PREVIEW_TO = Address("Preview", "preview", "example.invalid")


@dataclass(frozen=True, slots=True)
class Envelope:
    """The headers every variant of an issue shares."""

    subject: str
    from_address: str
    reply_to: str | None
    list_id: str
    date: datetime
    unsubscribe_mailto: str | None = None


def preview_message(envelope: Envelope, variant_id: str, issue: str, text: str, html: str) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = envelope.from_address
    message["To"] = PREVIEW_TO
    if envelope.reply_to:
        message["Reply-To"] = envelope.reply_to
    message["Subject"] = envelope.subject
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = f"<{issue}.{variant_id}.preview@{envelope.list_id}>"
    message["List-Id"] = f"<{envelope.list_id}>"
    if envelope.unsubscribe_mailto:
        message["List-Unsubscribe"] = f"<mailto:{envelope.unsubscribe_mailto}?subject=unsubscribe>"
    message["X-Hub-Digest"] = f"{issue}; variant={variant_id}"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    digest = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:24]
    message.set_boundary(f"=_hub_{digest}")
    return message.as_bytes()
