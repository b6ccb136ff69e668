"""Build mechanics under attack: permissions, killed builds and previews, leftovers, reproducibility."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2
import pytest

from generator.build.search_bundle import SIGNATURE
from generator.engine.plugin import build_site
from tests.hardening.buildkit import EPOCH, copy_sample, files_of


def _build_in_process(config: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_site(config, site_dir=site, strict=False)


# --- 11. Two clean builds are the same bytes, search index included -------------------------


def test_two_clean_builds_with_the_same_epoch_are_byte_identical(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Before, 13 files under pagefind/ differed: Pagefind writes filter values in a random order."""
    sites = []
    for name in ("one", "two"):
        config = copy_sample(tmp_path / name)  # each its own project: no cache shared
        _build_in_process(config, tmp_path / name / "site", monkeypatch)
        sites.append(files_of(tmp_path / name / "site"))
    first, second = sites
    assert any(path.startswith("pagefind/filter/") for path in first)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []

    # The order is sorted, not merely the same twice by luck.
    site = tmp_path / "one" / "site"
    for path in (site / "pagefind" / "filter").iterdir():
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE)
        _, values = cbor2.loads(raw[len(SIGNATURE) :])
        assert [value[0] for value in values] == sorted(value[0] for value in values)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_hash = entry["languages"]["en"]["hash"]
    assert (site / "pagefind" / f"pagefind.{meta_hash}.pf_meta").is_file()
