"""Which content files a body links to: what its rendered HTML depends on besides itself."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)"  # [text](target)
    r"|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$"  # [ref]: target
    r"|(?:href|src)\s*=\s*[\"']([^\"']+)",  # raw HTML
    re.MULTILINE,
)
@lru_cache(maxsize=65536)
def relative_targets(body: str, src_uri: str) -> tuple[str, ...]:
    """Paths (from content/) of the relative links and images in a body, sorted, without repeats."""
    here = posixpath.dirname(src_uri)
    found = set()
    for match in _TARGETS.finditer(body):
        target = next(group for group in match.groups() if group)
        if "://" in target or target.startswith(("#", "mailto:", "/", "data:")):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if path:
            found.add(posixpath.normpath(posixpath.join(here, path)))
    return tuple(sorted(found))
