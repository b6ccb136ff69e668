"""Browser fixtures: the built sample hub on 127.0.0.1, pages at phone and desktop size.

The browser itself, its contexts and axe-core are in tests/browser_kit.py, shared
with every suite that drives a browser (one Chromium per xdist worker).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser.static_host import served
from tests.hubkit import ROOT

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


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
