"""Read what Pagefind wrote into a built site: each shard's entry file and page fragments."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import cbor2

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


def _decoded(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(FRAGMENT_SIGNATURE):
        raise AssertionError(f"{path.name}: not a Pagefind file")
    return cbor2.loads(raw[len(FRAGMENT_SIGNATURE) :])


def search(site: Path, word: str, *, language: str = "en") -> set[str]:
    """The URLs a Pagefind search for `word` finds, read as its library reads the index.

    Each bundle's metadata lists its pages (by fragment hash) and its index chunks (first and
    last word); the chunks whose range can hold the word give each indexed word's pages as
    numbers counted from the previous one. A word matches as a prefix, as the typed word does
    in Pagefind (so a test word should not be changed by English stemming).
    """
    term, urls = word.lower(), set()
    for bundle in bundles(site):
        details = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"].get(language)
        if details is None:
            continue
        _, pages, chunks, *_ = _decoded(bundle / f"pagefind.{details['hash']}.pf_meta")
        for first, last, chunk in chunks:
            if not first[: len(term)] <= term <= last[: len(term)]:
                continue
            words, *_ = _decoded(bundle / "index" / f"{chunk}.pf_index")
            for indexed_word, postings, *_ in words:
                if not indexed_word.startswith(term):
                    continue
                number = 0
                for posting in postings:
                    number += posting[0]
                    fragment = bundle / "fragment" / f"{pages[number][0]}.pf_fragment"
                    urls.add(json.loads(gzip.decompress(fragment.read_bytes())[len(FRAGMENT_SIGNATURE) :])["url"])
    return urls
