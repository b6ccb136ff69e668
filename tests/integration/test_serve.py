"""`hub serve` keeps serving through a content error, shows it, and recovers when it is fixed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hubkit import ARTICLE, PERSON, write_hub


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, condition: Callable[[str], bool], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        last = fetch(url)
        if last is not None and condition(last):
            return last
        time.sleep(0.2)
    raise AssertionError(f"{url} did not reach the expected state in {seconds} s; last page:\n{(last or '')[:500]}")


@pytest.fixture(params=[{"search": False}], ids=["no-search"])
def served_hub(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    config = write_hub(tmp_path, {
        "people/ana.md": PERSON.format(name="Ana Lima"),
        "articles/first.md": ARTICLE.format(title="First steps", date="2025-01-02", author="ana"),
    }, hub=request.param)  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "-f", str(config), "serve",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield tmp_path / "content", f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_serve_shows_content_errors_and_recovers(served_hub: tuple[Path, str]) -> None:
    content, base = served_hub
    article = base + "articles/first/"
    wait_for(article, lambda page: "First steps" in page)

    (content / "articles/first.md").write_text(
        ARTICLE.format(title="First steps, revised", date="2025-01-02", author="ana")
    )
    wait_for(article, lambda page: "First steps, revised" in page)
    assert "First steps, revised" in (fetch(base + "articles/") or "")  # listings follow at once
    assert "First steps, revised" in (fetch(base + "feeds/all.atom.xml") or "")  # and feeds

    (content / "articles/broken.md").write_text("---\ntitle: Broken\ndate: 2025-13-45\n---\nText.\n")
    # The save may arrive in two events (the file emptied, then written): wait for its last state.
    error = "content/articles/broken.md:3: date: expected an ISO date like 2025-11-12, got &#39;2025-13-45&#39;"
    page = wait_for(base, lambda page: error in page)
    assert '<div class="hub-build-errors" role="alert"' in page  # shown in the banner, not elsewhere
    assert "First steps, revised" in fetch(article)  # the valid pages are still served

    (content / "articles/broken.md").write_text(
        ARTICLE.format(title="Fixed now", date="2025-01-03", author="ana")
    )
    wait_for(base + "articles/broken/", lambda page: "Fixed now" in page)
    assert "hub-build-errors" not in wait_for(base, lambda page: "hub-build-errors" not in page)


@pytest.mark.parametrize("served_hub", [{"search": True}], ids=["search"], indirect=True)
def test_serve_indexes_search_in_the_background(served_hub: tuple[Path, str]) -> None:
    content, base = served_hub
    entry = wait_for(base + "pagefind/pagefind-entry.json", lambda text: '"languages"' in text)
    (content / "articles/second.md").write_text(
        ARTICLE.format(title="Second steps", date="2025-01-04", author="ana")
    )
    wait_for(base + "articles/second/", lambda page: "Second steps" in page)
    # The page is there before the index catches up; the index then follows.
    wait_for(base + "pagefind/pagefind-entry.json", lambda text: text != entry and '"languages"' in text)


@pytest.mark.parametrize("served_hub", [{"search": False, "languages": ["en", "fr"]}], ids=["fr"], indirect=True)
def test_a_missing_page_gets_the_404_page_of_its_language(served_hub: tuple[Path, str]) -> None:
    _, base = served_hub
    wait_for(base + "fr/", lambda page: 'lang="fr"' in page)

    def missing(url: str) -> str:
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 (loopback only)
        assert answer.value.code == 404
        return answer.value.read().decode("utf-8")

    assert "Rien ne se trouve à cette adresse" in missing(base + "fr/articles/nowhere/")
    assert "This page isn't here" in missing(base + "articles/nowhere/")
    assert "This page isn't here" in missing(base + "%2e%2e/fr/nowhere/")
