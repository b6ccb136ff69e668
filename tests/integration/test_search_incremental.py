"""An incremental build's search finds what a clean build's finds, for the page just edited too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.engine.run import build_site
from tests.hubkit import write_hub
from tests.integration.test_incremental import files
from tests.integration.test_search_shards import indexed
from tests.pagefind_index import search

# Words no page has, which English stemming leaves as they are (a prefix search finds them).
FIRST, SECOND = "zqxplonk", "zqxgrimp"
EDITED = "/articles/a7/"


def _edit(config: Path, word: str) -> None:
    path = config.parent / "content/articles/a7.md"
    text = path.read_text(encoding="utf-8")
    for old in (f"More words, {FIRST}.", f"More words, {SECOND}.", "More words."):
        text = text.replace(old, "More words.")
    path.write_text(text.replace("More words.", f"More words, {word}."), encoding="utf-8")


def _clean_build(config: Path) -> None:
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    build_site(config, strict=True)


@pytest.mark.parametrize("hub", [{"search": True}, {"search": True, "search_shard_pages": 4}],
                         ids=["one index", "shards"])  # fmt: skip
def test_search_after_an_edit_equals_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   hub: dict) -> None:  # fmt: skip
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    incremental = write_hub(tmp_path / "inc", files(12), hub=hub)
    clean = write_hub(tmp_path / "clean", files(12), hub=hub)
    build_site(incremental, strict=True)
    site, clean_site = incremental.parent / "site", clean.parent / "site"
    assert search(site, FIRST) == set()
    assert search(site, "part") >= {EDITED, "/articles/a1/"}  # the reader finds ordinary words

    # The edit adds a word: the rebuilt index finds it, on that page only.
    for config in (incremental, clean):
        _edit(config, FIRST)
    build_site(incremental, strict=True)
    _clean_build(clean)
    assert search(site, FIRST) == {EDITED} == search(clean_site, FIRST)

    # The next edit swaps it for another: the old word is found nowhere, the new one on the page.
    for config in (incremental, clean):
        _edit(config, SECOND)
    build_site(incremental, strict=True)
    _clean_build(clean)
    assert search(site, SECOND) == {EDITED} == search(clean_site, SECOND)
    assert search(site, FIRST) == set() == search(clean_site, FIRST)
    for word in ("part", "ana", "ben", "word"):
        assert search(site, word) == search(clean_site, word), word
    assert indexed(site) == indexed(clean_site)
