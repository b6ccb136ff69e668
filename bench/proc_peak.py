"""Which program of a build is its largest single process: /proc polled while the build runs.

`wait4`'s rusage (what build_bench.py reports) gives the peak resident set of the largest
process in a build's tree but not which one it was. This watcher reads `VmHWM` (a
process's own peak so far) of every process under the build every 0.1 s and keeps the
highest per program name, so a table can say "pagefind 1,407 MiB, python 300 MiB".
A process that lives less than one poll can be missed; its peak still counts in wait4's.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")
INTERVAL = 0.1


def _children(pid: int) -> list[int]:
    found = []
    for task in (PROC / str(pid) / "task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue  # the task ended between listing and reading
    return found


def _tree(root: int) -> list[int]:
    pids, seen = [root], []
    while pids and len(seen) < 10_000:  # bounded: a build never has that many processes
        pid = pids.pop()
        seen.append(pid)
        pids += _children(pid)
    return seen


def _peak(pid: int) -> tuple[str, int] | None:
    """(program name, VmHWM in KiB) of a live process, None once it has ended."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if "VmHWM" not in fields:
        return None  # a zombie: its memory is gone
    return fields["Name"].strip(), int(fields["VmHWM"].split()[0])


class PeakWatch:
    """Polls a process tree in a thread from start() to stop(); `peaks` maps program -> KiB."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> PeakWatch:
        self._thread.start()
        return self

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join(timeout=5)
        return self.peaks

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in _tree(self.root):
                found = _peak(pid)
                if found and found[1] > self.peaks.get(found[0], 0):
                    self.peaks[found[0]] = found[1]
            self._stop.wait(INTERVAL)


def largest(peaks: dict[str, int]) -> str:
    """The two largest programs, e.g. 'pagefind 1407 MiB, python 301 MiB'."""
    top = sorted(peaks.items(), key=lambda item: -item[1])[:2]
    return ", ".join(f"{name} {kib / 1024:.0f} MiB" for name, kib in top) or "—"
