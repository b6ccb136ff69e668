"""The build folder beside the site: made, handed over and removed, even when an interrupt
lands between making it and handing it to the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import site_swap
from generator.build.site_swap import BUILD_PREFIX, BuildFolder, discard_unfinished


def folders(parent: Path) -> list[str]:
    return sorted(path.name for path in parent.iterdir() if path.name.startswith(BUILD_PREFIX))


def test_an_interrupt_after_mkdir_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: Path) -> int | None:
        raise KeyboardInterrupt  # SIGTERM, turned into one by the command, at the worst moment

    monkeypatch.setattr(site_swap, "_lock", interrupted)
    with pytest.raises(KeyboardInterrupt):
        BuildFolder.beside(tmp_path / "site")
    assert len(folders(tmp_path)) == 1  # made, and nobody holds it
    discard_unfinished()
    assert folders(tmp_path) == []


def test_published_and_discarded_folders_are_not_touched_again(tmp_path: Path) -> None:
    published = BuildFolder.beside(tmp_path / "site")
    (published.path / "index.html").write_text("new", encoding="utf-8")
    published.publish(tmp_path / "site")
    BuildFolder.beside(tmp_path / "other").discard()
    running = BuildFolder.beside(tmp_path / "third")
    discard_unfinished()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert not running.path.exists()  # unfinished: what the command removes on its way out
    assert folders(tmp_path) == []
