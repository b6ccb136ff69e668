"""community_digest.sources over the sample feeds in tests/cases/feeds/.

Each feed states in its header comment what it must produce (`Expect:` lines are
Python expressions over `read`, `error`, `item(url_suffix)` and a few helpers),
in the style of feedparser's own tests.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from community_digest.feeddates import parse_feed_date, to_utc
from community_digest.sources import (
    FeedError,
    dedupe,
    fetch,
    html_to_text,
    parse_feed,
    sanitize_partner_html,
    shorten,
)

CASES = Path(__file__).resolve().parents[2] / "cases" / "feeds"
ZONE = ZoneInfo("Europe/Amsterdam")


def header(path: Path) -> tuple[str, bool, list[str]]:
    comment = re.search(r"<!--(.*?)-->", path.read_text(encoding="utf-8"), re.S).group(1)
    description = re.search(r"Description:(.*?)(?:\n\S|\Z)", comment, re.S).group(1)
    partner = re.search(r"^Partner:\s*yes", comment, re.M) is not None
    expects = re.findall(r"^Expect:\s*(.+)$", comment, re.M)
    return " ".join(description.split()), partner, expects


def outcome(path: Path, partner: bool):
    data = fetch(str(path), base=CASES, timeout=5, max_bytes=1_000_000)
    try:
        return parse_feed(data, str(path), zone=ZONE, partner=partner), None
    except FeedError as error:
        return None, error


@pytest.mark.parametrize("path", sorted(CASES.iterdir()), ids=lambda p: p.name)
def test_sample_feed_gives_what_its_header_says(path: Path):
    description, partner, expects = header(path)
    assert description and expects, f"{path.name}: header needs Description: and Expect: lines"
    read, error = outcome(path, partner)
    parsed = feedparser.parse(path.read_bytes())

    def item(suffix: str):
        found = [i for i in read.items if i.url.endswith(suffix)]
        assert len(found) == 1, f"{path.name}: expected one item ending {suffix!r}, got {found}"
        return found[0]

    def raw_summary(index: int) -> str:
        return parsed.entries[index].summary

    names = {
        "read": read,
        "error": error,
        "item": item,
        "dedupe": dedupe,
        "to_utc": to_utc,
        "sanitize_partner_html": sanitize_partner_html,
        "raw_summary": raw_summary,
    }
    for expect in expects:
        assert eval(expect, names), f"{path.name}: {description}\n  failed: {expect}"  # noqa: S307


def test_missing_file_is_a_feed_error_naming_it(tmp_path: Path):
    with pytest.raises(FeedError) as caught:
        fetch("nowhere.xml", base=tmp_path, timeout=1, max_bytes=2048)
    assert caught.value.status is None
    assert str(caught.value) == f"feed nowhere.xml: no such file: {tmp_path / 'nowhere.xml'}"


def test_size_cap_applies_to_files(tmp_path: Path):
    (tmp_path / "big.xml").write_bytes(b"<rss>" + b" " * 5000 + b"</rss>")
    with pytest.raises(FeedError, match="larger than the 2048-byte limit"):
        fetch("big.xml", base=tmp_path, timeout=1, max_bytes=2048)


def test_other_schemes_are_refused(tmp_path: Path):
    with pytest.raises(FeedError, match="expected an http\\(s\\) URL or a file path"):
        fetch("ftp://example.org/feed.xml", base=tmp_path, timeout=1, max_bytes=2048)


def test_dates_with_zone_names_offsets_and_none():
    assert parse_feed_date("Tue, 09 Sep 2025 10:00:00 CEST", ZONE)[0].isoformat() == (
        "2025-09-09T10:00:00+02:00"
    )
    assert (
        parse_feed_date("Tue, 09 Sep 2025 10:00:00 -0400", ZONE)[0].utcoffset().total_seconds()
        == -4 * 3600
    )
    assert (
        parse_feed_date("2025-09-09T10:00:00Z", ZONE)[0].isoformat() == "2025-09-09T10:00:00+00:00"
    )
    naive, named = parse_feed_date("2025-09-09T10:00:00", ZONE)
    assert naive.tzinfo is ZONE and named is False
    assert parse_feed_date("", ZONE) == (None, False)
    assert parse_feed_date("next tuesday", ZONE) == (None, False)


def test_text_helpers():
    assert html_to_text("<p>a &amp; b</p><p>c</p>") == "a & b c"
    assert shorten("word " * 100, 20) == "word word word word…"
    assert shorten("short") == "short"


# -- over HTTP: a local server stands in for partners' sites ---------------------------


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, float]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, body, delay = self.routes.get(self.path, (404, b"not found", 0.0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()
    _Handler.routes.clear()


def test_fetches_a_partner_feed_over_http(server):
    base, routes = server
    routes["/feed.xml"] = (200, (CASES / "partner-cest.rss.xml").read_bytes(), 0.0)
    data = fetch(f"{base}/feed.xml", base=CASES, timeout=5, max_bytes=100_000, allow_private=True)
    read = parse_feed(data, f"{base}/feed.xml", zone=ZONE, partner=True)
    assert [i.source for i in read.items] == ["Netzwerk Mitreisende"] * 2


def test_http_errors_carry_the_status(server):
    base, routes = server
    routes["/gone.xml"] = (410, b"<html>gone</html>", 0.0)
    with pytest.raises(FeedError) as caught:
        fetch(f"{base}/gone.xml", base=CASES, timeout=5, max_bytes=100_000, allow_private=True)
    assert caught.value.status == 410 and caught.value.url == f"{base}/gone.xml"
    assert str(caught.value) == f"feed {base}/gone.xml: the server answered HTTP 410 Gone"


def test_http_size_cap_and_timeout(server):
    base, routes = server
    routes["/big.xml"] = (200, b"<rss>" + b" " * 50_000 + b"</rss>", 0.0)
    routes["/slow.xml"] = (200, b"<rss/>", 2.0)
    with pytest.raises(FeedError, match="larger than the 2048-byte limit") as caught:
        fetch(f"{base}/big.xml", base=CASES, timeout=5, max_bytes=2048, allow_private=True)
    assert caught.value.status == 200
    with pytest.raises(FeedError, match=r"gave up after 0.3 s \(feed_timeout\)"):
        fetch(f"{base}/slow.xml", base=CASES, timeout=0.3, max_bytes=2048, allow_private=True)
