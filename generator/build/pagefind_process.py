"""Pagefind as a child process that never outlives the build that started it.

A build that is killed (SIGKILL, the OOM killer, a CI timeout) runs no cleanup, and
its Pagefind would go on indexing for nobody. So Pagefind is started through this
module: on Linux it asks the kernel (PR_SET_PDEATHSIG) to kill it when its parent
dies, then becomes Pagefind, which keeps that request across exec.
"""

from __future__ import annotations

import ctypes
import os
import runpy
import signal
import sys

PR_SET_PDEATHSIG = 1
"""From <sys/prctl.h>."""


def pagefind_command(arguments: list[str]) -> list[str]:
    """The command line running Pagefind with `arguments`, as a child of this process."""
    return [sys.executable, "-m", __name__, str(os.getpid()), *arguments]


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        sys.exit("pagefind: the build that started it has ended")  # it died before the request


def main() -> None:
    parent, *arguments = sys.argv[1:]
    _die_with_parent(int(parent))
    sys.argv = ["pagefind", *arguments]
    runpy.run_module("pagefind", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
