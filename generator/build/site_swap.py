"""Replacing the published site folder in one step, so a failed build never leaves half a site."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def swap(built: Path, final: Path) -> None:
    """Replace `final` with `built` with two renames, then drop the old copy."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
        final.rename(old / final.name)
    built.rename(final)
    if old is not None:
        remove_in_background(old)


def remove_in_background(folder: Path) -> None:
    """Deleting thousands of files is slow and nobody waits for it: hand it to `rm`."""
    if shutil.which("rm"):
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True)  # noqa: S603
    else:
        shutil.rmtree(folder, ignore_errors=True)
