"""Debian's Chromium through Playwright, and axe-core: one browser per session (per xdist worker).

Registered by tests/conftest.py for every suite, so tests under different folders
share one Playwright instance (two in one process cannot run). A fresh context per
test; every wait is bounded by the context's default timeouts.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
AXE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              timeout=30_000)  # fmt: skip
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser):
    """Factory for browser contexts with bounded timeouts; all are closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, installed from tests/browser/package-lock.json if missing."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("axe-core is not installed and npm is missing: run `make browser`")
        with (Path(tempfile.gettempdir()) / "hub-axe-npm.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two xdist workers must not run npm ci at once
            if not AXE.exists():
                done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=BROWSER_DIR, capture_output=True,
                                      text=True, timeout=300, check=False)  # fmt: skip
                if done.returncode != 0 or not AXE.exists():
                    pytest.fail(f"`npm ci` in {BROWSER_DIR} failed:\n{done.stderr[-2000:]}")
    return AXE.read_text(encoding="utf-8")
