"""Helpers for the build-mechanics hardening tests: project copies and `hub` run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def run_hub(args: list[str], cwd: Path, *, prefix: list[str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`hub ARGS` in `cwd` as of EPOCH, run by `prefix` (say, as another user)."""
    return subprocess.run([*(prefix or []), str(HUB), *args], cwd=cwd, env=hub_env(),  # noqa: S603
                          capture_output=True, text=True, timeout=timeout, check=False)  # fmt: skip


def files_of(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def small_hub(root: Path, *, search: bool = False) -> Path:
    """A two-page hub (a profile and an article) in `root`; its mkdocs.yml."""
    from tests.hubkit import ARTICLE, PERSON, write_hub

    files = {"people/ana.md": PERSON.format(name="Ana"),
             "articles/first.md": ARTICLE.format(title="First", date="2025-01-01", author="ana")}  # fmt: skip
    return write_hub(root, files, hub={"search": search})


def shared_folder(parent: Path) -> Path:
    """A folder another user can enter (pytest's own temporary folders are private to root)."""
    path = Path(tempfile.mkdtemp(dir=parent))
    path.chmod(0o755)
    return path


def as_other_user() -> list[str]:
    """A command prefix that runs a command as `nobody` when the tests run as root.

    Root writes through any mode bits, so a read-only folder proves nothing to it: the
    build runs as another user, for whom a folder root owns with 0755 is read-only.
    """
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def give_away(path: Path) -> None:
    """Make `path` (and all below) writable by the user as_other_user() runs as."""
    if os.geteuid() != 0:
        return
    for item in [path, *path.rglob("*")]:
        os.chown(item, NOBODY, NOBODY)


def make_read_only(path: Path) -> None:
    """Read-only for the user as_other_user() runs as: owned by root with 0755, or 0555 otherwise."""
    path.chmod(0o755 if os.geteuid() == 0 else 0o555)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces: the fields after it are fixed.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def is_running(pid: int) -> bool:
    """Not gone, not a zombie: a process still doing (or able to do) something."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def executable(pid: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def wait_until(condition: Callable[[], bool], seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
