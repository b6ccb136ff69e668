"""A search index in shards: the same pages indexed as one index would hold, and a rebuild
after one edit runs Pagefind over that edit's shard only."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import search_index
from generator.content.errors import HubError
from generator.engine.run import build_site
from tests.hubkit import write_hub
from tests.integration.test_incremental import article, files
from tests.pagefind_index import bundles, entry, fragments

SHARDED = {"search": True, "search_shard_pages": 4}


def indexed(site: Path) -> dict[str, tuple[str, dict, dict]]:
    """What the search page can find, by URL; Pagefind's file names are not stable, this is."""
    found = {}
    for page in fragments(site):
        assert page["url"] not in found, f"{page['url']} is in two shards"
        found[page["url"]] = (page["content"], page["meta"], page["filters"])
    return found


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A count of the Pagefind runs (pages per run)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    started: list[int] = []
    start = search_index.ShardStore.start

    def counted(self, shard, site_dir, *, nice=False):  # type: ignore[no-untyped-def]
        started.append(len(shard.pages))
        return start(self, shard, site_dir, nice=nice)

    monkeypatch.setattr(search_index.ShardStore, "start", counted)
    return started


def test_shards_hold_every_indexed_page_once(tmp_path: Path, runs: list[int]) -> None:
    config = write_hub(tmp_path / "hub", files(20), hub=SHARDED)
    build_site(config, strict=True)
    site = tmp_path / "hub" / "site"
    shard_count = len(bundles(site))
    assert shard_count == len(runs) > 2
    found = indexed(site)
    expected = {f"/articles/a{n}/" for n in range(20)} | {"/stories/s1/", "/people/ana/", "/people/ben/"}
    assert set(found) == expected
    assert sum(language["page_count"] for language in entry(site)["languages"].values()) == len(expected)
    # Pagefind's library is served once, from the primary bundle.
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not list((site / "pagefind" / "1").glob("*.js"))


def test_a_rebuild_indexes_the_edited_shard_only_and_matches_a_clean_build(tmp_path: Path, runs: list[int]) -> None:
    incremental = write_hub(tmp_path / "inc", files(20), hub=SHARDED)
    clean = write_hub(tmp_path / "clean", files(20), hub=SHARDED)
    build_site(incremental, strict=True)
    runs.clear()

    # A change to the text alone: no other page shows it, so one shard is indexed again.
    for config in (incremental, clean):
        path = config.parent / "content/articles/a7.md"
        path.write_text(path.read_text().replace("More words.", "More words, zqxshardcanary."))
    build_site(incremental, strict=True)
    assert len(runs) == 1
    shutil.rmtree(clean.parent / ".cache", ignore_errors=True)
    build_site(clean, strict=True)

    found = indexed(incremental.parent / "site")
    assert found == indexed(clean.parent / "site")
    assert "zqxshardcanary" in found["/articles/a7/"][0]


def test_a_deleted_cache_means_a_whole_index_again(tmp_path: Path, runs: list[int]) -> None:
    config = write_hub(tmp_path / "hub", files(12), hub=SHARDED)
    build_site(config, strict=True)
    first = len(runs)
    build_site(config, strict=True)
    assert len(runs) == first  # nothing changed: no shard is indexed again
    shutil.rmtree(tmp_path / "hub" / ".cache")
    build_site(config, strict=True)
    assert len(runs) == 2 * first
    assert len(indexed(tmp_path / "hub" / "site")) == 15


def test_one_index_by_default(tmp_path: Path, runs: list[int]) -> None:
    config = write_hub(tmp_path / "hub", files(12), hub={"search": True})
    build_site(config, strict=True)
    assert runs == [15]
    assert bundles(tmp_path / "hub" / "site") == [tmp_path / "hub" / "site" / "pagefind"]


def test_the_preview_indexes_again_only_the_edited_shard(tmp_path: Path, runs: list[int]) -> None:
    from generator.engine.run import open_preview

    config = write_hub(tmp_path / "hub", files(20), hub=SHARDED)
    served = tmp_path / "served"
    session = open_preview(config, served)
    try:
        session.build()
        wait_for(lambda: (served / "pagefind" / "shards.json").is_file() and len(indexed(served)) == 23)
        shard_count = len(bundles(served))
        assert len(runs) == shard_count > 2
        runs.clear()

        # A change to the text alone: no other page shows it, so one shard is indexed again.
        article_file = tmp_path / "hub" / "content" / "articles" / "a3.md"
        article_file.write_text(article(3).replace("More words.", "More words, zqxpreviewcanary."))
        assert session.update({article_file})
        wait_for(lambda: "zqxpreviewcanary" in indexed(served)["/articles/a3/"][0])
        assert len(runs) == 1
        assert len(indexed(served)) == 23
    finally:
        session.close()


def wait_for(ready: Callable[[], bool], seconds: float = 60) -> None:
    """Poll (bounded) for what the background indexer makes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except (OSError, ValueError, KeyError):
            pass  # the index is being swapped in
        time.sleep(0.1)
    raise AssertionError(f"not ready within {seconds} s")


def test_a_failing_indexer_fails_the_build_and_keeps_the_last_site(
    tmp_path: Path, runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_hub(tmp_path / "hub", files(8), hub=SHARDED)
    build_site(config, strict=True)
    site = tmp_path / "hub" / "site"
    before = indexed(site)

    def broken(site_dir: Path, output: Path, *, language: str) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.exit('the indexer broke')"]

    monkeypatch.setattr(search_index, "search_command", broken)
    (tmp_path / "hub" / "content" / "articles" / "a1.md").write_text(article(1).replace("More words.", "Changed."))
    with pytest.raises(HubError, match="search indexing failed: the indexer broke"):
        build_site(config, strict=True)
    assert indexed(site) == before
    assert "Changed." not in (site / "articles" / "a1" / "index.html").read_text(encoding="utf-8")
