"""Details of the built site that follow from settings and content dates."""

from __future__ import annotations

import gzip
import re
import struct
from pathlib import Path

import pytest

from generator.engine.run import build_site
from tests.hubkit import PERSON, write_hub


def article(number: int, *, featured: bool = False, updated: str | None = None) -> str:
    return (
        f"---\ntitle: Article {number}\ndate: 2025-03-{number + 1:02d}\nauthors: [ana]\ntopics: [integration]\n"
        + ("featured: true\n" if featured else "")
        + (f"updated: {updated}\n" if updated else "")
        + f"---\nBody {number}.\n"
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    files = {"people/ana.md": PERSON.format(name="Ana Lima")}
    files.update({f"articles/a{n}.md": article(n, featured=True) for n in range(4)})
    files["articles/a9.md"] = article(9, updated="2025-06-30")
    build_site(write_hub(tmp_path, files, hub={"home_featured": 2}), strict=True)
    return tmp_path / "site"


def test_sitemap_dates_come_from_the_content_not_the_build_day(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    assert re.search(r"<loc>https://hub.test/articles/a9/</loc><lastmod>2025-06-30</lastmod>", sitemap)
    assert re.search(r"<loc>https://hub.test/articles/a1/</loc><lastmod>2025-03-02</lastmod>", sitemap)
    assert "2026-01-01" not in sitemap


def test_the_compressed_sitemap_is_the_same_stamped_with_the_build_day(site: Path) -> None:
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == (site / "sitemap.xml").read_bytes()
    assert struct.unpack("<I", packed[4:8])[0] == 1767225600  # the header's mtime: the build day, at midnight UTC
    assert packed[10:22] == b"sitemap.xml\0"  # its name, without the build folder's path


def test_without_a_site_url_the_sitemap_lists_no_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    files = {"people/ana.md": PERSON.format(name="Ana Lima"), "articles/a1.md": article(1)}
    build_site(write_hub(tmp_path, files, site_url=None), strict=True)
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert "<urlset" in sitemap
    assert "<url>" not in sitemap  # no canonical address to give: relative ones would be invalid


def test_home_shows_only_the_newest_featured_items(site: Path) -> None:
    home = (site / "index.html").read_text()
    featured = home.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r">Article (\d)<", featured) == ["3", "2"]
