"""Run Lighthouse 12 (npm, pinned in package-lock.json) on pages of a served site.

Used by test_lighthouse.py (accessibility, best practices, SEO, layout shift) and by
bench/lighthouse.py (performance, which depends on the machine's load).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "lighthouse_run.mjs"
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "package.json"
CHROMIUM = "/usr/bin/chromium"
SECONDS_PER_PAGE = 90


@dataclass(frozen=True)
class Audit:
    """One page's Lighthouse result."""

    url: str
    scores: dict[str, float | None]
    cls: float | None
    failing: list[dict]
    error: str | None
    seconds: float


class LighthouseMissing(RuntimeError):
    """Node, npm's Lighthouse or Chromium is not installed."""


def audit(urls: list[str], categories: tuple[str, ...]) -> list[Audit]:
    """Lighthouse's mobile run on each URL in turn, one Chrome for all (bounded in time)."""
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.exists() or not Path(CHROMIUM).exists():
        raise LighthouseMissing("Lighthouse needs node, `npm ci` in tests/browser and /usr/bin/chromium: "
                                "run `make browser`")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="hub-lighthouse-") as folder:
        out = Path(folder) / "results.json"
        done = subprocess.run([node, str(RUNNER), str(out), ",".join(categories), *urls], cwd=HERE,
                              env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                              timeout=60 + SECONDS_PER_PAGE * len(urls), check=False)  # fmt: skip
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"Lighthouse failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return [Audit(**row) for row in json.loads(out.read_text(encoding="utf-8"))]
