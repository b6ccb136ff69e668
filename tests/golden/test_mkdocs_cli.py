"""`mkdocs build` (MkDocs' own CLI, our plugin named in mkdocs.yml) gives the same site as `hub build`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.golden.conftest import EPOCH, BuiltSite, copy_site
from tests.hubkit import ROOT

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"


def relative_files(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mkdocs-cli") / "minimal"
    config = copy_site("minimal", root)
    out = root / "elsewhere"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CI", None)
    result = subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(out)],
                            capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


def test_same_files_as_hub_build(mkdocs_site: Path, minimal_site: BuiltSite):
    assert sorted(relative_files(mkdocs_site)) == sorted(relative_files(minimal_site.site))


def test_same_pages_and_feeds_byte_for_byte(mkdocs_site: Path, minimal_site: BuiltSite):
    ours, theirs = relative_files(minimal_site.site), relative_files(mkdocs_site)
    different = [rel for rel in ours if rel.endswith((".html", ".xml", ".json", ".txt"))
                 and ours[rel].read_bytes() != theirs[rel].read_bytes()]  # fmt: skip
    assert different == []


def test_no_temporary_folder_is_left(mkdocs_site: Path):
    assert [p.name for p in mkdocs_site.parent.iterdir() if p.name.startswith(".site-build-")] == []
