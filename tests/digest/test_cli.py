"""`hub digest build` as users run it: messages and exit statuses, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PARTNERS
from .hubproject import make_project

HUB = [sys.executable, "-c", "from generator.cli import main; main()"]


def hub(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HUB, *args], cwd=root, capture_output=True, text=True, timeout=120)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    make_project(tmp_path, partners=PARTNERS)
    return tmp_path


def test_build_then_rebuild_keeps_the_selection(root: Path):
    first = hub(root, "digest", "build", "2025-q3")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "Selection written: content/digests/2025-q3.selection.yml",
        "Digest 2025-q3 (2025-Q3): 10 items, 8 variants in digest-out/2025-q3",
        "Web copy on the next `hub build`: https://hub.example.org/digests/2025-q3/",
    ]
    again = hub(root, "digest", "build", "2025-q3")
    assert again.stdout.startswith("Selection kept (edit it, or rebuild with --force)")
    assert (root / "digest-out" / "2025-q3" / "en-all.eml").is_file()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["--period", "2024-11"],
            0,
            "digest 2024-11: nothing new was published in 2024-11 (Nov 1 – 30, 2024); "
            "no e-mail was written\n",
        ),
        (
            ["--period", "2025-Q5"],
            1,
            "period: expected a period like 2025-Q3, 2025-11 or 2025-W47, got '2025-Q5' "
            "(quarters are Q1 to Q4)\n",
        ),
        (
            ["Q3"],
            1,
            "expected an issue id like 2025-q3 (lowercase letters, digits and hyphens), got 'Q3'\n",
        ),
        (
            ["2025-q4"],
            1,
            "content/digests/2025-q4.md: no such issue; write its intro (title, period, date) "
            "or give --period 2025-Q3|2025-11|2025-W47, or --since DATE --until DATE\n",
        ),
        (
            ["--since", "2025-13-01"],
            1,
            "--since: expected a date like 2025-11-30, got '2025-13-01'\n",
        ),
        (
            ["--period", "2025-Q3", "--since-last"],
            1,
            "--period and --since-last: give only one way of choosing the period\n",
        ),
        (
            ["--period", "2025-Q3", "--feed", "missing.xml"],
            1,
            "missing.xml: no such feed; build the site first with `hub build` "
            "(or give --feed PATH_OR_URL)\n",
        ),
    ],
)
def test_user_mistakes_are_one_clear_line(root: Path, args, status, message):
    result = hub(root, "digest", "build", *args)
    assert result.returncode == status
    output = result.stdout if status == 0 else result.stderr
    assert output == message
    assert "Traceback" not in result.stderr
