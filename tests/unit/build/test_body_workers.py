"""The Markdown workers of a build end on their own once the bodies are rendered.

A pool's exit stops workers still alive with SIGTERM, which `hub build`'s own handler
(inherited by the forked workers) turned into a KeyboardInterrupt a worker could lose,
leaving it waiting on the pool's queue and the build waiting for it.
"""

from __future__ import annotations

import multiprocessing.pool

import pytest

from generator.build.bodies import MarkdownSetup, render_bodies


def test_no_worker_is_left_for_the_pool_to_terminate(monkeypatch: pytest.MonkeyPatch) -> None:
    alive_at_exit: list[int] = []
    terminate = multiprocessing.pool.Pool.terminate

    def counted(self: multiprocessing.pool.Pool) -> None:
        alive_at_exit.append(sum(process.exitcode is None for process in self._pool))
        terminate(self)

    monkeypatch.setattr(multiprocessing.pool.Pool, "terminate", counted)
    sources = [f"articles/a{n}.md" for n in range(60)]  # enough for a pool of two
    bodies = {src: f"Text of *{n}*, see [the next](a{n + 1}.md).\n" for n, src in enumerate(sources)}
    urls = {src: f"articles/a{n}/" for n, src in enumerate(sources)}
    rendered = render_bodies(sources, bodies, MarkdownSetup([], {}), urls, workers=2, display_root="content")
    assert len(rendered) == 60
    assert '<em>7</em>, see <a href="../a8/">the next</a>' in rendered["articles/a7.md"][0]
    assert alive_at_exit == [0]
