"""One spelling per web page: the URL a curated article credits, and what duplicates match on."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "_hs")
"""Campaign parameters of analytics tools (Google, Matomo/Piwik, HubSpot), by prefix."""
TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "igshid", "mc_cid", "mc_eid", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid",
})  # fmt: skip
"""Click and mailing identifiers: they name the visit, not the page."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """`url` with scheme and host lower-cased; the default port, any user name or password,
    tracking parameters and the fragment dropped; the other parameters keep their order.
    Not an http(s) URL: returned stripped."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not is_tracking(name)]
    query = urlencode(kept) if len(kept) != len(pairs) else parts.query
    return urlunsplit((scheme, host, parts.path or "/", query, ""))
