"""Fetching a feed: an http(s) URL under a whole-fetch deadline, or a local file.

Partner feeds are hostile. A fetch over the network therefore:
- speaks http or https only, and follows at most MAX_REDIRECTS redirects, each
  checked again (scheme and destination) before it is followed;
- connects only to public addresses: the host name is resolved here and the
  connection goes to the address that was checked, so a name that resolves to
  loopback, link-local, private or reserved space (or one that changes its answer
  between check and connect) gets nowhere. Tests pass `allow_private` to reach
  their own servers on 127.0.0.1;
- has one time budget for everything: the name lookup, connecting, every redirect,
  the headers and the body. A watchdog shuts the socket when it runs out, so a
  server that dribbles a byte every few seconds can't stretch it, and the lookup
  runs in a thread the fetch stops waiting for (the system resolver keeps its own,
  longer timeouts);
- reads at most `max_bytes`.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.content.errors import HubError

USER_AGENT = "MobilityHubDigest/0.1 (+https://github.com/mobility-hub)"
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"
MAX_REDIRECTS = 5
_CHUNK = 65536


class FeedError(HubError):
    """A feed that could not be read: its URL or path, the HTTP status if any, and why."""

    def __init__(self, url: str, status: int | None, reason: str):
        self.url = url
        self.status = status
        self.reason = reason
        super().__init__(f"feed {url}: {reason}")


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


# -- where a link may point ---------------------------------------------------


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as an IP literal means, in any form a browser reads."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:  # "127.1", "0x7f.0.0.1", "2130706433": still loopback to a browser
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not loopback, link-local, private, shared, reserved, multicast or unspecified."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def is_local_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost") or not name


def is_public_link(url: str) -> bool:
    """An http(s) URL whose host is a name, or a public IP literal; never localhost.

    Links are not resolved (a reader's network decides what a name means); this
    keeps an e-mail from pointing readers at their own machine or network.
    """
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if is_local_name(host):
        return False
    address = _literal_address(host)
    return address is None or is_public_address(address)


# -- the network fetch ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Budget:
    deadline: float
    allow_private: bool

    def left(self) -> float:
        return self.deadline - time.monotonic()


def _lookup(host: str, port: int, budget: _Budget) -> list[Any]:
    """getaddrinfo, waited for only while the budget lasts (TimeoutError after)."""
    found: list[Any] = []
    failed: list[Exception] = []

    def resolve() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            failed.append(exc)

    thread = threading.Thread(target=resolve, name=f"lookup {host}", daemon=True)
    thread.start()
    thread.join(max(budget.left(), 0.0))
    if thread.is_alive():
        raise TimeoutError(f"looking up {host}")
    if failed:
        raise failed[0]
    return found


def _checked_address(host: str, port: int, budget: _Budget, url: str) -> tuple[str, int]:
    """An address of `host` to connect to; FeedError when any of them is not public."""
    try:
        infos = _lookup(host, port, budget)
    except TimeoutError:
        raise  # fetch_url: gave up after feed_timeout
    except (OSError, UnicodeError) as exc:
        raise FeedError(url, None, f"cannot be reached (no address for {host}: {exc})") from None
    if not budget.allow_private:
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not is_public_address(address):
                raise FeedError(
                    url, None, f"refused: {host} is a loopback, private or reserved address ({address})"
                )
    return str(infos[0][4][0]), int(infos[0][4][1])


def _connection(url: str, budget: _Budget) -> http.client.HTTPConnection:
    """A connection to the checked address of the URL's host (TLS still checks the name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(host, port, budget, url)
    timeout = max(budget.left(), 0.01)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(host, port, timeout=timeout)

    def connect_to_checked(_where: object, *args: object, **kwargs: object) -> socket.socket:
        sock = socket.create_connection(address, timeout)
        # Kept for the watchdog: http.client forgets conn.sock once a response will close
        # the connection (HTTP/1.0, Connection: close), while the body is still being read.
        conn.checked_socket = sock  # type: ignore[attr-defined]
        return sock

    conn._create_connection = connect_to_checked  # type: ignore[attr-defined] # (the stdlib's seam)
    return conn


@contextmanager
def _watchdog(conn: http.client.HTTPConnection, budget: _Budget) -> Iterator[None]:
    """Shut the connection's socket when the budget runs out, whatever it is waiting for."""

    def expire() -> None:
        sock = getattr(conn, "checked_socket", None) or conn.sock
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(budget.left(), 0.0), expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        conn.close()


def _read_body(response: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise FeedError(url, response.status, f"is larger than the {max_bytes}-byte limit (feed_max_bytes)")


def _one_request(url: str, budget: _Budget, max_bytes: int) -> tuple[int, str | None, bytes]:
    """(status, Location, body) of one GET; the body only for a 200."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn = _connection(url, budget)
    with _watchdog(conn, budget):
        conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
        response = conn.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location"), b""
        body = _read_body(response, url, max_bytes)
    if budget.left() <= 0:  # the watchdog shut the socket: what was read is cut short
        raise TimeoutError
    return 200, None, body


def _next_url(url: str, status: int, location: str | None, hops: int) -> str:
    """Where a redirect leads, once it is checked; FeedError otherwise."""
    if not location:
        raise FeedError(url, status, f"the server answered HTTP {status} without a Location")
    target = urljoin(url, location.strip())
    if not is_url(target):
        raise FeedError(url, status, f"refused a redirect to {target!r}: only http and https are followed")
    if hops >= MAX_REDIRECTS:
        raise FeedError(url, status, f"refused: more than {MAX_REDIRECTS} redirects")
    return target


def _get(url: str, budget: _Budget, max_bytes: int) -> bytes:
    current = url
    for hops in range(MAX_REDIRECTS + 1):
        try:
            status, location, body = _one_request(current, budget, max_bytes)
        except FeedError as error:
            if current == url:
                raise
            raise FeedError(url, error.status, f"redirected to {current}: {error.reason}") from None
        if status == 200:
            return body
        if status not in (301, 302, 303, 307, 308):
            reason = http.client.responses.get(status, "")
            raise FeedError(url, status, f"the server answered HTTP {status} {reason}".rstrip())
        current = _next_url(current, status, location, hops)
    raise FeedError(url, None, f"refused: more than {MAX_REDIRECTS} redirects")  # not reached


def fetch_url(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of an http(s) URL, within `timeout` seconds in all; see the module docstring."""
    if not is_url(url):
        raise FeedError(url, None, "expected an http(s) URL or a file path")
    budget = _Budget(time.monotonic() + timeout, allow_private)
    try:
        return _get(url, budget, max_bytes)
    except FeedError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if budget.left() <= 0 or isinstance(exc, TimeoutError):
            raise FeedError(url, None, f"gave up after {timeout:g} s (feed_timeout)") from None
        raise FeedError(url, None, f"cannot be reached ({exc or type(exc).__name__})") from None


# -- files and the entry point ---------------------------------------------------


def _read_file(location: str, base: Path, max_bytes: int) -> bytes:
    path = Path(location.removeprefix("file://"))
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise FeedError(location, None, f"no such file: {path}")
    if path.stat().st_size > max_bytes:
        raise FeedError(location, None, f"is larger than the {max_bytes}-byte limit (feed_max_bytes)")
    return path.read_bytes()


def fetch(location: str, *, base: Path, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The bytes of a feed at an http(s) URL or a path (relative to `base`)."""
    scheme = urlsplit(location).scheme
    if scheme in ("http", "https"):
        return fetch_url(location, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    if scheme not in ("", "file") and len(scheme) > 1:
        raise FeedError(location, None, "expected an http(s) URL or a file path")
    return _read_file(location, base, max_bytes)
