"""generator.site.feeds and publish.write_feeds without MkDocs: limits, full archive, escaping of XML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from generator.build.publish import write_feeds
from generator.content.settings import parse_settings
from generator.site.feeds import absolutize
from generator.site.plan import load_checked, plan_site
from tests.hubkit import ARTICLE, PERSON, write_hub

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def feeds_of(root: Path, hub: dict) -> Path:
    files = {"people/ana.md": PERSON.format(name="Ana Lima")}
    for day in range(1, 6):
        files[f"articles/a{day}.md"] = ARTICLE.format(title=f"Article {day}", date=f"2025-11-0{day}", author="ana")
    files["articles/later.md"] = ARTICLE.format(title="Scheduled", date="2026-02-01", author="ana")
    write_hub(root, files)
    settings = parse_settings({"timezone": "UTC", **hub})
    plan = plan_site(load_checked(root / "content", settings, "en"), settings=settings, site_name="Test Hub",
                     site_url="https://hub.test/", language="en", now=NOW)  # fmt: skip
    site = root / "out"
    write_feeds(plan, {}, site)
    return site


def titles(site: Path, path: str) -> list[str]:
    feed = feedparser.parse((site / path).read_bytes())
    assert feed.bozo == 0
    return [entry.title for entry in feed.entries]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))


def test_limit_applies_to_every_feed_without_full_archive(tmp_path: Path):
    site = feeds_of(tmp_path, {"feeds": {"limit": 2}})
    newest_two = ["Article 5", "Article 4"]
    assert titles(site, "feeds/all.atom.xml") == newest_two
    assert titles(site, "feeds/articles.atom.xml") == newest_two
    assert titles(site, "feeds/topics/integration.atom.xml") == newest_two
    assert titles(site, "feeds/stories.atom.xml") == []


def test_full_archive_puts_everything_in_the_all_feed_only(tmp_path: Path):
    site = feeds_of(tmp_path, {"feeds": {"limit": 2, "full_archive": True}})
    assert titles(site, "feeds/all.atom.xml") == ["Article 5", "Article 4", "Article 3", "Article 2", "Article 1"]
    assert titles(site, "feeds/articles.atom.xml") == ["Article 5", "Article 4"]


def test_default_limit_is_50(tmp_path: Path):
    site = feeds_of(tmp_path, {})
    assert len(titles(site, "feeds/all.atom.xml")) == 5  # and never the scheduled one


def test_absolutize_makes_links_absolute_against_the_page():
    html = '<a href="../../people/ana/">Ana</a><img src="media/x.png"><a href="#top">t</a><a href="https://x.test/">x</a>'
    assert absolutize(html, "https://hub.test/articles/a/") == (
        '<a href="https://hub.test/people/ana/">Ana</a><img src="https://hub.test/articles/a/media/x.png">'
        '<a href="#top">t</a><a href="https://x.test/">x</a>'
    )
