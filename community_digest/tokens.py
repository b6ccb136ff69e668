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
from collections.abc import Callable
from dataclasses import dataclass

from generator.content.errors import HubError

SECRET_ENV = "HUB_UNSUBSCRIBE_SECRET"
SECRET_MIN = 16
_TOKEN = re.compile(r"^([1-9][0-9]{0,18})\.([A-Za-z0-9_-]{22})$")
MAX_SUBSCRIBER_ID = 2**63 - 1
"""SQLite's largest row id: a bigger one can name no subscriber (and overflows a query)."""
INVALID_TOKEN = "invalid unsubscribe token: expected the token of an unsubscribe link, as sent"
"""One wording for every way a token can be wrong, so it reveals nothing about ids."""


class BadToken(HubError):
    """An unsubscribe token that is malformed, names no subscriber, or whose MAC does not match."""

    def __init__(self, message: str = INVALID_TOKEN):
        super().__init__(message)


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

    def subscriber_of(self, token: str, email_of: Callable[[int], str | None]) -> int:
        """The id of a valid token; BadToken (always the same words) otherwise.

        `email_of` looks the claimed id up (None: no such subscriber). A MAC is
        checked even then, so an unknown id costs the same time as a forged one.
        """
        subscriber_id = token_subscriber_id(token)
        email = email_of(subscriber_id)
        if not self.verify(token, email or "") or email is None:
            raise BadToken()
        return subscriber_id


def token_subscriber_id(token: str) -> int:
    """The subscriber id a token claims (not yet verified); BadToken if malformed."""
    match = _TOKEN.match(token.strip())
    if not match or int(match[1]) > MAX_SUBSCRIBER_ID:
        raise BadToken()
    return int(match[1])


# Tokens of the subscription service, each bound to one purpose (a letter in front):
#   c.<id>.<expires>.<mac>  confirm a subscription request; the MAC also covers the
#                           request's nonce, so the link works once and only for the
#                           latest request, and `expires` (epoch seconds) ends it;
#   p.<id>.<mac>            the preference centre, for as long as the person exists.
# Unsubscribe links keep the `<id>.<mac>` form above, so links already mailed work.
# Ids of at most 18 digits stay below SQLite's largest row id.
_SCOPED = re.compile(r"^([cp])\.([1-9][0-9]{0,17})\.(?:([1-9][0-9]{0,11})\.)?([A-Za-z0-9_-]{22})$")
_LETTER = {"confirm": "c", "preferences": "p"}


@dataclass(frozen=True, slots=True)
class ScopedClaim:
    """What a token says before it is checked against the subscriber's row."""

    purpose: str
    subscriber_id: int
    expires: int | None
    mac: str


def _scoped_mac(secret: bytes, purpose: str, subscriber_id: int, email: str, expires: int | None, nonce: str) -> str:
    message = f"hub-{purpose}:{subscriber_id}:{email.lower()}:{expires or 0}:{nonce}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def scoped_token(
    signer: TokenSigner, purpose: str, subscriber_id: int, email: str, *, expires: int | None = None, nonce: str = ""
) -> str:
    """A confirm token (with `expires` and `nonce`) or a preferences token."""
    letter = _LETTER[purpose]
    mac = _scoped_mac(signer.secret, purpose, subscriber_id, email, expires, nonce)
    middle = f"{subscriber_id}.{expires}" if expires else f"{subscriber_id}"
    return f"{letter}.{middle}.{mac}"


def parse_scoped(token: str, purpose: str) -> ScopedClaim | None:
    """The claim of a well-formed token of this purpose; None for anything else."""
    match = _SCOPED.match(token.strip())
    if not match or match[1] != _LETTER[purpose] or (purpose == "confirm") != bool(match[3]):
        return None
    return ScopedClaim(purpose, int(match[2]), int(match[3]) if match[3] else None, match[4])


def verify_scoped(signer: TokenSigner, claim: ScopedClaim, email: str, *, nonce: str = "", now: float) -> bool:
    """The MAC matches this subscriber (and nonce), and a confirm token has not expired."""
    if claim.expires is not None and claim.expires < now:
        return False
    expected = _scoped_mac(signer.secret, claim.purpose, claim.subscriber_id, email, claim.expires, nonce)
    return hmac.compare_digest(expected, claim.mac)
