"""Every page of the built sample hub refers to its scripts, styles, fonts and images locally.

The browser test (tests/browser/test_no_third_party.py) watches the network of a few
pages; this scans all of them, and the stylesheets, for anything that would load from
another host.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

LOADING = {  # element -> attributes whose URL the browser fetches by itself
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",),
    "track": ("src",), "input": ("src",),
}  # fmt: skip
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect",
                 "dns-prefetch", "manifest", "apple-touch-icon"}  # fmt: skip
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def _remote(url: str) -> bool:
    url = url.strip()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("data:")


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        names: tuple[str, ...] = LOADING.get(tag, ())
        if tag == "link" and LOADING_LINKS & set(found.get("rel", "").lower().split()):
            names = ("href", "imagesrcset")
        for name in names:
            for part in found.get(name, "").split(","):
                if part.strip():
                    self.urls.append(part.strip().split()[0])
        self.urls += CSS_URL.findall(found.get("style", ""))


def test_pages_load_nothing_from_another_host(sample_site: Path) -> None:
    offenders = []
    pages = [path for path in sample_site.rglob("*.html") if "pagefind" not in path.parts]
    assert len(pages) > 20
    for path in pages:
        parser = _Loads()
        parser.feed(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(sample_site)}: {url}" for url in parser.urls if _remote(url)]
    assert offenders == []


def test_stylesheets_load_nothing_from_another_host(sample_site: Path) -> None:
    offenders = []
    for path in sample_site.rglob("*.css"):
        urls = CSS_URL.findall(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(sample_site)}: {url}" for url in urls if _remote(url)]
    assert offenders == []
