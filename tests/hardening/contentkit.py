"""Helpers for the content hardening tests: a small valid hub, and `hub` run as an editor runs it."""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests.hardening.buildkit import HUB, hub_env
from tests.hubkit import write_hub

T = TypeVar("T")

PRIVATE_EMAIL = "ana.private@example.org"

VALID_HUB = {
    "people/ana.md": f"""\
        ---
        name: Ana Lima
        roles: [author, coach]
        email: {PRIVATE_EMAIL}
        ---
        Ana coaches partners.
        """,
    "articles/ok.md": """\
        ---
        title: Work permits for partners
        date: 2025-11-12
        authors: [ana]
        topics: [partner-career]
        ---
        What to ask before the move.
        """,
    "media/photo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}


def make_hub(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A small valid hub in `root`, plus `extra` files (paths under content/); its mkdocs.yml."""
    return write_hub(root, {**VALID_HUB, **(extra or {})})


def hub_cli(root: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`hub ARGS` in `root`, as a fresh process (CI unset, the clock at 2026-01-01)."""
    return subprocess.run([str(HUB), *args], cwd=root, env=hub_env(), capture_output=True, text=True,  # noqa: S603
                          timeout=timeout, check=False)  # fmt: skip


def site_files(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())


def cpu_time(run: Callable[[], T]) -> tuple[T, float]:
    """run(), and the CPU seconds used by the processes it started and waited for.

    CPU time rather than wall time: a bound must hold on a machine busy with other work.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
