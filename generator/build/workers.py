"""Rendering pages in forked worker processes, and stopping them when a newer save comes.

Engine-free: the engine adapter hands over a function that renders a list of pages
(by their path in content/) with their templates, and sends back, through a pipe,
the cards it made; this module starts, splits, joins and stops the processes that run it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.errors import HubError

from .card_memo import CardMemo
from .work_split import split_by_cost

PAGE_COST = 20_000
"""What rendering any page costs besides its length, in bytes of output: the theme's chrome."""

RenderPages = Callable[[list[str], list[str], Any], None]
"""(pages, their templates, the pipe's sending end) -> None, run in the forked process."""


class WorkerFailed(HubError):
    """A worker process ended with an error (its traceback is on the terminal already)."""


@dataclass
class Worker:
    """A forked process rendering pages, and which."""

    process: Any
    pages: list[str]
    results: Any
    """The reading end of a pipe: the cards the worker made, once it is done."""


def start(render: RenderPages, pages: list[str], templates: list[str]) -> Worker:
    context = multiprocessing.get_context("fork")
    results, sink = context.Pipe(duplex=False)
    process = context.Process(target=render, args=(pages, templates, sink), daemon=True)
    process.start()
    sink.close()  # the worker holds the other end: its exit is then seen as the end of the pipe
    return Worker(process, pages, results)


def start_split(render: RenderPages, pages: list[str], templates: list[str], *, cores: int,
                output_size: Callable[[str], int]) -> list[Worker]:  # fmt: skip
    """Pages rendered outside the engine's loop (a preview update), up to one process per core.

    A few pages leave a core to the caller (which writes the feeds meanwhile); many
    (a template or topics.yml changed) use all. A page takes about as long to render
    as its last output is long (a topic page of hundreds of cards, 0.2 s; an article,
    20 ms), plus a fixed part.
    """
    workers = cores if len(pages) >= 40 else max(1, cores - 1)
    costs = [PAGE_COST + output_size(page) for page in pages]
    return [start(render, [pages[i] for i in group], [templates[i] for i in group])
            for group in split_by_cost(costs, workers)]  # fmt: skip


def join(workers: Sequence[Worker], memo: CardMemo) -> None:
    """Wait for the workers, taking the cards each made; WorkerFailed if any failed."""
    failed = 0
    for worker in workers:
        # Read before joining: a worker handing back many cards waits for the reader.
        with contextlib.suppress(EOFError, OSError):
            memo.add(worker.results.recv())
        worker.results.close()
        worker.process.join()
        failed += worker.process.exitcode != 0
    if failed:
        raise WorkerFailed(f"rendering pages failed in {failed} worker process(es) (see the error above)")


def kill(workers: Sequence[Worker]) -> None:
    for worker in workers:
        worker.process.kill()
        worker.results.close()


def stop(workers: Sequence[Worker], page_target: Callable[[str], Path]) -> list[str]:
    """Stop workers still rendering; returns the pages they may have left unrendered.

    The pages a stopped worker already wrote stay whole (each is written aside and
    renamed); its half-written file is removed once it has ended, off the caller's
    time (a process of a preview server's size takes tens of milliseconds to end).
    """
    stopped, unrendered = [], []
    for worker in workers:
        if worker.process.is_alive() or worker.process.exitcode != 0:
            worker.process.kill()
            stopped.append(worker)
            unrendered.extend(worker.pages)
        worker.results.close()
    if stopped:
        threading.Thread(target=_reap, args=(stopped, page_target), daemon=True).start()
    return unrendered


def partial_path(target: Path, pid: int) -> Path:
    """Where a worker writes a page before renaming it over the last version."""
    return target.with_name(f".{target.name}.{pid}")


def write_page(target: Path, output: str) -> None:
    """Written aside and renamed: the preview server may be reading the old page meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target, os.getpid())
    partial.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
    partial.replace(target)


def _reap(stopped: list[Worker], page_target: Callable[[str], Path]) -> None:
    for worker in stopped:
        worker.process.join()
        for page in worker.pages:
            partial_path(page_target(page), worker.process.pid).unlink(missing_ok=True)
