"""Every image of the built sample hub states its size, so the page keeps its place before it loads.

An image without width and height takes no room until it arrives, then pushes what
follows down: on a slow phone network that is a layout shift the reader sees.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.unsized: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and not (found.get("width") and found.get("height")):
            self.unsized.append(found.get("src") or "?")


def test_every_image_on_every_page_has_a_width_and_a_height(sample_site: Path) -> None:
    unsized = {}
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.unsized:
            unsized[page.relative_to(sample_site).as_posix()] = parser.unsized
    assert unsized == {}
