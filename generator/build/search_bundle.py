"""Making a Pagefind bundle the same bytes for the same pages.

Pagefind (1.5) keeps each filter's values in a Rust HashMap, whose order is seeded
at random in every run: the values come out in a different order each time, and
with them each filter file's bytes, its content-hashed name, the metadata file that
lists those names, its own hashed name and the entry file. Everything else Pagefind
writes is already stable. So after Pagefind, the filter files are written again with
their values sorted, under names hashed as Pagefind hashes them, and the metadata
and entry files follow (the entry's languages sorted too, for the same reason). The
search reads them as before.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
"""What every decompressed Pagefind file starts with."""
ENTRY = "pagefind-entry.json"


def make_reproducible(bundle: Path) -> None:
    """Rewrite the bundle's filter and metadata files in a stable order."""
    entry_path = bundle / ENTRY
    if not entry_path.is_file():
        return  # nothing indexed
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for details in entry["languages"].values():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[3]
        for listed in filters:
            listed[1] = _sorted_filter(bundle / "filter", listed[1])
        filters.sort(key=lambda listed: listed[0])
        old_hash = details["hash"]
        details["hash"] = _write(bundle, "pagefind.", old_hash, ".pf_meta", meta)
        if details["hash"] != old_hash:
            meta_path.unlink()
    # The languages come out in the same random order as the filters.
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _sorted_filter(folder: Path, name: str) -> str:
    """Sort one filter file's values (and each value's pages); return its new name."""
    path = folder / f"{name}.pf_filter"
    filter_name, values = _read(path)
    for value in values:
        value[1].sort()
    values.sort(key=lambda value: value[0])
    new_name = _write(folder, "", name, ".pf_filter", [filter_name, values])
    if new_name != name:
        path.unlink()
    return new_name


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _write(folder: Path, prefix: str, old_name: str, suffix: str, data: Any) -> str:
    """Write `data` as Pagefind does, under the old name's language part and a new hash
    of the same length; return that name."""
    payload = cbor2.dumps(data)
    language, _, old_hash = old_name.rpartition("_")
    name = f"{language}_{_pagefind_hash(payload)[: len(old_hash)]}"
    # mtime 0: the gzip header holds no time of the build.
    compressed = gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0)
    (folder / f"{prefix}{name}{suffix}").write_bytes(compressed)
    return name


def _pagefind_hash(payload: bytes) -> str:
    """Pagefind's file hash: SHA-1 of the payload, each byte in hex without leading zeros."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(payload).digest())  # noqa: S324 (a name, not a secret)
