"""DKIM signatures (RFC 6376) on every mail the hub sends, with dkimpy.

The selector and domain are in mkdocs.yml (extra.hub.digest.dkim); the private
key stays out of the repository, in the file HUB_DKIM_KEY_FILE names. The list
headers are signed so that nobody on the way can swap the unsubscribe link, and
signing a header the message lacks (From and Subject aside) keeps one from
being added later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import dkim

from generator.content.errors import HubError
from generator.content.settings import DkimSettings

KEY_ENV = "HUB_DKIM_KEY_FILE"
SIGNED_HEADERS = (
    b"from", b"to", b"subject", b"date", b"message-id", b"reply-to", b"mime-version", b"content-type",
    b"list-id", b"list-unsubscribe", b"list-unsubscribe-post",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DkimSigner:
    selector: str
    domain: str
    key: bytes = field(repr=False)

    @classmethod
    def from_settings(cls, settings: DkimSettings | None) -> DkimSigner | None:
        """The signer when extra.hub.digest.dkim is set; a HubError if its key can't be read."""
        if settings is None:
            return None
        path = os.environ.get(KEY_ENV, "")
        if not path:
            raise HubError(f"extra.hub.digest.dkim is set but {KEY_ENV} is not: name the private key file (PEM)")
        try:
            key = Path(path).read_bytes()
        except OSError as exc:
            raise HubError(f"{KEY_ENV}: cannot read the DKIM key {path}: {exc.strerror}") from None
        signer = cls(settings.selector, settings.domain, key)
        signer.sign(b"From: check@" + settings.domain.encode() + b"\r\nSubject: check\r\n\r\nkey check\r\n")
        return signer

    def sign(self, data: bytes) -> bytes:
        """The message with its DKIM-Signature header first."""
        try:
            signature = dkim.sign(
                data,
                self.selector.encode("ascii"),
                self.domain.encode("ascii"),
                self.key,
                canonicalize=(b"relaxed", b"relaxed"),
                include_headers=list(SIGNED_HEADERS),
            )
        except (dkim.DKIMException, ValueError, UnicodeEncodeError) as exc:
            raise HubError(f"{KEY_ENV}: cannot sign with the DKIM key: {exc}") from None
        return signature + data
