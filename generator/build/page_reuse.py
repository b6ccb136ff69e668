"""Reusing pages of the previous build whose fingerprint has not changed."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class PageManifest:
    """Which fingerprint produced each page of a built site."""

    site: str
    pages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, site: Path) -> PageManifest | None:
        """The manifest of `site`'s last build, or None when there is none to trust."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("site") != str(site) or not isinstance(data.get("pages"), dict):
            return None
        return cls(data["site"], data["pages"])

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"site": self.site, "pages": self.pages}), encoding="utf-8")
        temporary.replace(path)


def link_previous(manifest: PageManifest | None, previous_dir: Path | None, dest_uri: str,
                  fingerprint: str, site_dir: Path) -> bool:  # fmt: skip
    """Put the previous build's copy of a page into the new site when it is still valid."""
    if manifest is None or previous_dir is None or manifest.pages.get(dest_uri) != fingerprint:
        return False
    source = previous_dir / dest_uri
    if not source.is_file():
        return False
    link(source, site_dir / dest_uri)  # pages are never written in place, so sharing the inode is safe
    return True


def link(source: Path, target: Path) -> None:
    """Put `source` at `target` without copying its bytes where the file system allows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
