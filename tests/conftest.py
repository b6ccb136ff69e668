from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hubkit import ROOT

pytest_plugins = ["tests.browser_kit"]  # browser, new_context, axe_script for every suite


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample hub in content/, built once per session (with its search index)."""
    from generator.engine.run import build_site

    site = tmp_path_factory.mktemp("sample") / "site"
    build_site(ROOT / "mkdocs.yml", site_dir=site, strict=False)
    return site


@pytest.fixture(autouse=True)
def _no_ci_strictness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose strictness explicitly; CI=true in the environment must not change results."""
    if "CI" in os.environ:
        monkeypatch.delenv("CI")
