"""Which origins may post forms to the service: the site's and the service's own.

A browser sends `Origin` with every form POST; a form on another site (a forged
request riding on a visitor's browser) therefore shows up with a foreign one,
and "null" (a sandboxed or file page) is foreign too. A request without Origin
comes from no browser form (a mail provider's one-click POST, a script); those
are bounded by the rate limits instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, default ports dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        return ""
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


def allowed_origins(urls: Iterable[str]) -> frozenset[str]:
    return frozenset(origin for origin in (origin_of(url) for url in urls) if origin)


def origin_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    if header is None:
        return True
    return origin_of(header) in allowed if header.strip().lower() != "null" else False
