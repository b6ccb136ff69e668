"""Browser fixtures: the built sample hub on 127.0.0.1, Debian's Chromium, axe-core.

One server and one browser per session (per xdist worker); a fresh context per
test. Every wait is bounded by the context's default timeouts.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser.static_host import served
from tests.hubkit import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 10_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """Base URL (ending in /) of the built sample hub, served from a thread."""
    yield from _serve(sample_site)


@pytest.fixture(scope="session")
def sharded_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample hub again, its search index cut into shards of a few pages each."""
    from generator.engine.run import build_site

    folder = tmp_path_factory.mktemp("sharded")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / config["docs_dir"])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["extra"]["hub"].update(search_shard_pages=6, cache_dir=str(folder / "cache"))
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build_site(folder / "mkdocs.yml", site_dir=folder / "site", strict=False)
    yield from _serve(folder / "site")


def _serve(directory: Path) -> Iterator[str]:
    with served(directory) as url:
        yield url


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


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()


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
                done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True,
                                      text=True, timeout=300, check=False)  # fmt: skip
                if done.returncode != 0 or not AXE.exists():
                    pytest.fail(f"`npm ci` in {HERE} failed:\n{done.stderr[-2000:]}")
    return AXE.read_text(encoding="utf-8")
