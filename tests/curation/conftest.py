"""A copy of the minimal golden hub with partner feeds served from 127.0.0.1, and `hub curate` to run on it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import hub
from generator.content.yaml_source import SourceFile, read_source
from tests.curation.feedserver import Body, FeedServer, serving
from tests.golden.conftest import copy_site

HERE = Path(__file__).resolve().parent
CASES = HERE.parent / "cases" / "curation"
RSS_SAMPLE = CASES / "relocation-weekly.rss.xml"
ATOM_SAMPLE = CASES / "global-mobility-review.atom.xml"
EPOCH = "1796464800"  # 2026-12-05T10:00:00Z: "now" for every run here


@dataclass
class Hub:
    root: Path
    config: Path
    server: FeedServer

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def articles(self) -> Path:
        return self.content / "articles"

    @property
    def ledger(self) -> Path:
        return self.content / ".curation.yml"

    def set_feeds(self, feeds: list[dict[str, Any]], **curation: Any) -> None:
        """Write extra.hub.curation into mkdocs.yml (feed urls starting with / are served here)."""
        config = yaml.safe_load(self.config.read_text(encoding="utf-8"))
        served = [{**feed, "url": self.server.url(feed["url"]) if feed["url"].startswith("/") else feed["url"]}
                  for feed in feeds]  # fmt: skip
        config["extra"]["hub"]["curation"] = {"feeds": served, "feed_timeout": 1, **curation}
        self.config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def serve(self, path: str, data: bytes | str, content_type: str = "application/rss+xml; charset=utf-8") -> None:
        self.server.routes[path] = Body(data.encode("utf-8") if isinstance(data, str) else data, content_type)

    def curate(self, *args: str, private: bool = True) -> Result:
        flags = ["--allow-private"] if private else []
        return CliRunner().invoke(hub, ["-f", str(self.config), "curate", *flags, *args])

    def check(self, *args: str) -> Result:
        return CliRunner().invoke(hub, ["-f", str(self.config), "check", *args])

    def drafts(self) -> dict[str, str]:
        """Articles written by curation (draft: true and a source), by file name."""
        found = {}
        for path in sorted(self.articles.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            if "\ndraft: true\n" in text and "\nsource:\n" in text:
                found[path.name] = text
        return found

    def front(self, name: str) -> dict[str, Any]:
        """The front matter as the hub reads it (dates stay text)."""
        source = read_source(name, (self.articles / name).read_bytes())
        assert isinstance(source, SourceFile), source
        return source.front.data

    def body(self, name: str) -> str:
        return (self.articles / name).read_text(encoding="utf-8").split("---\n", 2)[2]

    def snapshot(self) -> dict[str, str]:
        """Every file under the hub's root (site and caches aside), by path, as a digest of its bytes."""
        return {
            path.relative_to(self.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.root.rglob("*"))
            if path.is_file() and not path.relative_to(self.root).as_posix().startswith((".cache", "site"))
        }


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with serving() as server:
        yield server


@pytest.fixture
def curated_hub(tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> Hub:
    """The minimal hub, serving the two sample partner feeds at /rss and /atom, listed in mkdocs.yml."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = copy_site("minimal", tmp_path / "minimal")
    built = Hub(config.parent, config, feed_server)
    built.serve("/rss", RSS_SAMPLE.read_bytes())
    built.serve("/atom", ATOM_SAMPLE.read_bytes(), "application/atom+xml")
    built.set_feeds([
        {"url": "/rss", "name": "Relocation Weekly", "audience": ["partners"],
         "categories": {"careers": "partner-career", "community": "integration"}},
        {"url": "/atom", "name": "Global Mobility Review", "topics": ["integration"], "countries": ["PT"]},
    ])  # fmt: skip
    return built
