"""Read what Pagefind wrote into a built site: its entry file and its page fragments."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

# Every compressed Pagefind file starts with this signature once decompressed.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def entry(site: Path) -> dict[str, Any]:
    """pagefind/pagefind-entry.json: version, languages and page counts."""
    return json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every indexed page as Pagefind stores it: url, content, meta and filters."""
    pages = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise AssertionError(f"{path.name}: not a Pagefind fragment")
        pages.append(json.loads(raw[len(FRAGMENT_SIGNATURE) :]))
    return pages
