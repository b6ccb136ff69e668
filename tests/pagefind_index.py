"""Read what Pagefind wrote into a built site: each shard's entry file and page fragments."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

# Every compressed Pagefind file starts with this signature once decompressed.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def bundles(site: Path) -> list[Path]:
    """The primary bundle, pagefind/, then the shards that pagefind/shards.json lists."""
    primary = site / "pagefind"
    listed = json.loads((primary / "shards.json").read_text(encoding="utf-8"))["shards"]
    return [primary, *(primary / shard for shard in listed)]


def entry(site: Path) -> dict[str, Any]:
    """The primary bundle's pagefind-entry.json, with the page counts of every shard added up."""
    found = [json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")) for bundle in bundles(site)]
    merged = found[0]
    for other in found[1:]:
        for language, details in other["languages"].items():
            if language in merged["languages"]:
                merged["languages"][language]["page_count"] += details["page_count"]
            else:
                merged["languages"][language] = details
    return merged


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every indexed page as Pagefind stores it, over all shards: url, content, meta and filters."""
    pages = []
    for bundle in bundles(site):
        for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
            raw = gzip.decompress(path.read_bytes())
            if not raw.startswith(FRAGMENT_SIGNATURE):
                raise AssertionError(f"{path.name}: not a Pagefind fragment")
            pages.append(json.loads(raw[len(FRAGMENT_SIGNATURE) :]))
    return pages
