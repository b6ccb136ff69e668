"""Per-subscriber unsubscribe tokens: `<subscriber id>.<HMAC>`.

The MAC covers the id and the address, so a token stops working if the row is
erased and can't be forged or moved to someone else without the secret
(environment variable HUB_UNSUBSCRIBE_SECRET). The address itself is not in the
token: unsubscribe links in forwarded mails and server logs don't leak it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from generator.content.errors import HubError

SECRET_ENV = "HUB_UNSUBSCRIBE_SECRET"
SECRET_MIN = 16
_TOKEN = re.compile(r"^([1-9][0-9]{0,18})\.([A-Za-z0-9_-]{22})$")


class BadToken(HubError):
    """An unsubscribe token that is malformed or whose MAC does not match."""


@dataclass(frozen=True, slots=True)
class TokenSigner:
    secret: bytes

    @classmethod
    def from_env(cls, purpose: str) -> TokenSigner:
        """The signer, or a HubError naming the variable and why it is needed."""
        secret = os.environ.get(SECRET_ENV, "")
        if len(secret) < SECRET_MIN:
            state = "is not set" if not secret else f"is shorter than {SECRET_MIN} characters"
            raise HubError(
                f"{SECRET_ENV} {state}; {purpose} needs it (e.g. export {SECRET_ENV}="
                "$(python -c 'import secrets; print(secrets.token_urlsafe())'))"
            )
        return cls(secret.encode("utf-8"))

    def _mac(self, subscriber_id: int, email: str) -> str:
        message = f"hub-unsubscribe:{subscriber_id}:{email.lower()}".encode()
        digest = hmac.new(self.secret, message, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def token(self, subscriber_id: int, email: str) -> str:
        return f"{subscriber_id}.{self._mac(subscriber_id, email)}"

    def verify(self, token: str, email: str) -> bool:
        match = _TOKEN.match(token.strip())
        if not match:
            return False
        expected = self._mac(int(match[1]), email)
        return hmac.compare_digest(expected, match[2])


def token_subscriber_id(token: str) -> int:
    """The subscriber id a token claims (not yet verified); BadToken if malformed."""
    match = _TOKEN.match(token.strip())
    if not match:
        raise BadToken("invalid unsubscribe token: expected the token from an unsubscribe link")
    return int(match[1])
