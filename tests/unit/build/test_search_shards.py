"""Dealing indexed pages into search shards: stable places, digests that follow the pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.search_index import ShardStore, is_searched, plan_shards


def pages(count: int, *, changed: str = "") -> dict[str, str]:
    found = {f"articles/a{n}/index.html": f"print-{n}" for n in range(count)}
    if changed:
        found[changed] += "-edited"
    return found


@pytest.mark.parametrize(
    ("dest", "searched"),
    [
        ("articles/move/index.html", True),
        ("fr/stories/accueil/index.html", True),
        ("people/ana/index.html", True),
        ("articles/index.html", True),
        ("index.html", False),
        ("topics/housing/index.html", False),
        ("articles/move/photo.jpg", False),
    ],
)
def test_searched_sections(dest: str, searched: bool) -> None:
    assert is_searched(dest) is searched


def test_every_page_lands_in_exactly_one_shard() -> None:
    shards = plan_shards(pages(95), language="en", per_shard=10)
    assert len(shards) == 10
    placed = [dest for shard in shards for dest in shard.pages]
    assert sorted(placed) == sorted(pages(95))
    assert all(shard.pages for shard in shards)
    assert [shard.folder for shard in shards[:2]] == ["pagefind", "pagefind/1"]


def test_one_edit_changes_one_digest() -> None:
    before = plan_shards(pages(95), language="en", per_shard=10)
    after = plan_shards(pages(95, changed="articles/a7/index.html"), language="en", per_shard=10)
    assert [shard.pages for shard in before] == [shard.pages for shard in after]
    changed = [b.number for b, a in zip(before, after, strict=True) if b.digest != a.digest]
    assert len(changed) == 1
    assert "articles/a7/index.html" in before[changed[0]].pages


def test_language_and_shard_count_are_in_every_digest() -> None:
    english = {shard.digest for shard in plan_shards(pages(95), language="en", per_shard=10)}
    french = {shard.digest for shard in plan_shards(pages(95), language="fr", per_shard=10)}
    assert english.isdisjoint(french)
    assert english.isdisjoint(shard.digest for shard in plan_shards(pages(95), language="en", per_shard=20))


def test_one_index_unless_shards_are_asked_for() -> None:
    shards = plan_shards(pages(5000), language="en")
    assert len(shards) == 1 and len(shards[0].pages) == 5000
    assert len(plan_shards(pages(12), language="en", per_shard=100)) == 1
    assert plan_shards({}, language="en", per_shard=10)[0].pages == ()


def test_keep_only_keeps_used_and_as_many_recent_bundles(tmp_path: Path) -> None:
    store = ShardStore(tmp_path, language="en")
    shards = plan_shards(pages(3), language="en")
    for number, name in enumerate(["old1", "old2", "recent", shards[0].digest]):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pagefind-entry.json").write_text("{}")
        mtime = 1_000_000 + number
        os.utime(tmp_path / name, (mtime, mtime))
    (tmp_path / "someone.pages.1").mkdir()  # another process's work folder
    store.keep_only(shards)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([shards[0].digest, "recent", "someone.pages.1"])
