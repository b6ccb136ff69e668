"""Helpers for the build-mechanics hardening tests: project copies and `hub` run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.hubkit import ROOT

HUB = Path(sys.executable).with_name("hub")
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
NOBODY = 65534


def copy_sample(dest: Path) -> Path:
    """The sample hub (mkdocs.yml, content/, themes/) copied to `dest`, with no cache; its mkdocs.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "themes", dest / "themes")
    return dest / "mkdocs.yml"


def hub_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env.update(extra)
    return env


def run_hub(args: list[str], cwd: Path, *, timeout: float = 120, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HUB), *args], cwd=cwd, env=hub_env(), capture_output=True, text=True,  # noqa: S603
                          timeout=timeout, check=False, **kwargs)  # type: ignore[call-overload]  # fmt: skip


def files_of(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}
