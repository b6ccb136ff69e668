"""The published site folder: built beside it, swapped in one step, readable by everyone.

A build writes into a folder of its own next to the site and renames it into place
only when it succeeded, so a failed build never leaves half a site. The folder is
locked (flock) while its build runs: a build that was killed leaves its folder
unlocked, and the next build beside it removes such leftovers (and old copies a
killed removal left) without touching the folders of builds still running.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BUILD_PREFIX = ".site-build-"
_UNFINISHED: set[Path] = set()
"""Build folders this process made and has neither published nor discarded (see discard_unfinished)."""


def old_prefix(final: Path) -> str:
    return f".{final.name}-old-"


@dataclass
class BuildFolder:
    """A folder a build writes into, locked for as long as the build holds it."""

    path: Path
    lock: int | None
    """A descriptor of the folder holding its lock; None once released."""

    @classmethod
    def beside(cls, final: Path) -> BuildFolder:
        """A new, locked build folder next to `final`, after removing what killed builds left there.

        Made with the default mode (0777 less the umask), unlike mkdtemp's 0700: it
        becomes the site, which a web server running as another user must read.
        """
        if final.exists() and not final.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "expected a folder for the site, found a file", str(final))
        parent = final.parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(final)
        for _attempt in range(10):
            path = parent / f"{BUILD_PREFIX}{secrets.token_hex(4)}"
            _UNFINISHED.add(path)  # before it exists: an interrupt after mkdir still finds it
            try:
                path.mkdir()
            except FileExistsError:
                _UNFINISHED.discard(path)
                continue
            except OSError as exc:
                raise _about(exc, parent) from None
            lock = _lock(path)
            if lock is not None:
                return cls(path, lock)
        raise FileExistsError(f"{parent}: could not make a build folder there")

    def publish(self, final: Path) -> None:
        """Replace `final` with this folder; on failure, this folder is removed."""
        try:
            swap(self.path, final)
        except OSError:
            self.discard()
            raise
        _UNFINISHED.discard(self.path)
        self.release()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        _UNFINISHED.discard(self.path)
        self.release()

    def release(self) -> None:
        _release(self.lock)
        self.lock = None


def discard_unfinished() -> None:
    """Remove the build folders this process leaves unfinished. An interrupt (Ctrl-C, or
    SIGTERM turned into one) can land between making a folder and handing it to the build,
    where nothing else would remove it until the next build."""
    for path in list(_UNFINISHED):
        shutil.rmtree(path, ignore_errors=True)
        _UNFINISHED.discard(path)


def check_writable(folder: Path) -> None:
    """Raise, naming `folder`, the error a write there would meet (making it if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise _about(exc, folder) from None


def where_and_why(exc: OSError) -> str:
    """An OSError as one line: the path, then the system's reason."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _about(exc: OSError, folder: Path) -> OSError:
    """The same error, naming the folder rather than a file made up inside it."""
    if exc.filename is not None and Path(exc.filename) != folder and Path(exc.filename).parent == folder:
        return type(exc)(exc.errno, exc.strerror, str(folder))
    return exc


def swap(built: Path, final: Path) -> None:
    """Replace `final` with `built` with two renames, then drop the old copy."""
    if not final.exists():
        built.rename(final)
        return
    old = final.parent / f"{old_prefix(final)}{secrets.token_hex(4)}"
    old.mkdir(mode=0o700)
    lock = _lock(old)
    try:
        final.rename(old / final.name)
        try:
            built.rename(final)
        except OSError:
            (old / final.name).rename(final)  # the previous site stays published
            raise
    except OSError:
        _release(lock)
        old.rmdir()
        raise
    remove_in_background(old, lock)


def remove_leftovers(final: Path) -> None:
    """Remove the build folders and old copies beside `final` that no running build holds."""
    try:
        candidates = list(final.parent.iterdir())
    except FileNotFoundError:
        return
    for path in candidates:
        if not path.name.startswith((BUILD_PREFIX, old_prefix(final))) or path.is_symlink() or not path.is_dir():
            continue
        lock = _lock(path)
        if lock is not None:
            remove_in_background(path, lock)


def remove_in_background(folder: Path, lock: int | None = None) -> None:
    """Deleting thousands of files is slow and nobody waits for it: hand it to `rm`.

    `rm` inherits the folder's lock and holds it until it is done, so no other build
    removes the same folder meanwhile.
    """
    try:
        if shutil.which("rm"):
            subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,  # noqa: S603, S607
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             pass_fds=() if lock is None else (lock,))  # fmt: skip
        else:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        _release(lock)


def _lock(path: Path) -> int | None:
    """An exclusive lock on the folder, or None if another process holds it or it went away."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # Whoever held the lock before may have removed the folder (and another made one
        # under the same name): the lock counts only on the folder still at `path`.
        if os.path.samestat(os.stat(path), os.fstat(descriptor)):
            return descriptor
    except OSError:
        pass
    os.close(descriptor)
    return None


def _release(lock: int | None) -> None:
    if lock is not None:
        os.close(lock)
