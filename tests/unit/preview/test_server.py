"""The preview's web server on 127.0.0.1: pages with the reload script and the error banner,
a long poll that answers when an update is done, and nothing served from outside the site."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.preview.server import PreviewServer


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, list[set[Path]], Path, PreviewServer]]:
    site = tmp_path / "site"
    (site / "articles" / "a").mkdir(parents=True)
    (site / "articles" / "a" / "index.html").write_text("<html><body><p>Article A</p></body></html>")
    (tmp_path / "secret.txt").write_text("outside the site")
    (site / "escape.txt").symlink_to(tmp_path / "secret.txt")
    updates: list[set[Path]] = []
    def banner(html: str) -> str:
        return html.replace("<body>", "<body>BANNER")

    server = PreviewServer(site, "127.0.0.1", 0, "/", updates.append, banner,
                           lambda path: b"<html><body>Missing</body></html>")  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", updates, site, server
    finally:
        server.stop()
        thread.join(timeout=10)


def test_pages_carry_the_reload_script_and_what_decorate_adds(served: tuple[str, list, Path, PreviewServer]) -> None:
    base, *_ = served
    status, page = get(base + "articles/a/")
    assert status == 200
    assert "<body>BANNER<p>Article A</p>" in page
    assert 'fetch("/livereload/"+epoch' in page and page.index("<script>") < page.index("</body>")


def test_a_folder_without_its_slash_is_redirected(served: tuple[str, list, Path, PreviewServer]) -> None:
    base, *_ = served
    status, page = get(base + "articles/a")  # urllib follows the redirect
    assert status == 200 and "Article A" in page


def test_nothing_outside_the_site_is_served(served: tuple[str, list, Path, PreviewServer]) -> None:
    base, *_ = served
    for path in ("escape.txt", "../secret.txt", "%2e%2e/secret.txt", "articles/../../secret.txt"):
        status, page = get(base + path)
        assert status == 404 and "outside the site" not in page, path
        assert "Missing" in page


def test_the_long_poll_answers_once_an_update_is_done(served: tuple[str, list, Path, PreviewServer]) -> None:
    base, updates, site, server = served
    server_epoch: list[str] = []
    poll = threading.Thread(target=lambda: server_epoch.append(get(base + "livereload/0")[1]), daemon=True)
    started = time.monotonic()
    poll.start()
    time.sleep(0.3)
    assert poll.is_alive()  # held open: nothing changed yet
    changed = site / "articles" / "a" / "index.html"
    # What the watcher does on a save: note the path, wake the update loop (which then moves the epoch).
    server.changes.paths.add(changed)
    server.wanted.set()
    poll.join(timeout=10)
    assert server_epoch == ["1"] and time.monotonic() - started < 10
    assert updates == [{changed}]

