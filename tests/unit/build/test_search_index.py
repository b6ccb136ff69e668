"""The Pagefind index of the sample hub holds only what is published.

Drafts, items dated in the future and non-public profiles must not be in the index
(pagefind-entry.json's page count, the fragments' URLs, their text and metadata),
and neither must the canary words planted in the draft and the scheduled article.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from tests.hubkit import ROOT
from tests.pagefind_index import entry, fragments

CONTENT = ROOT / "content"
CANARIES = ("zqxdraftcanary", "zqxfuturecanary")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def _unpublished() -> dict[str, list[tuple[str, Path]]]:
    """URLs of the sample hub's drafts, scheduled items and private profiles."""
    today = dt.date.today()
    found: dict[str, list[tuple[str, Path]]] = {"draft": [], "future": [], "private": []}
    for section in ("articles", "stories", "people", "pages"):
        for path in sorted((CONTENT / section).glob("*.md")):
            if path.name == "index.md":
                continue
            meta = _front_matter(path)
            url = f"/{section}/{path.stem}/"
            date = meta.get("date")
            if isinstance(date, dt.datetime):
                date = date.date()
            if meta.get("draft"):
                found["draft"].append((url, path))
            elif isinstance(date, dt.date) and date > today:
                found["future"].append((url, path))
            elif section == "people" and meta.get("public") is False:
                found["private"].append((url, path))
    return found


@pytest.fixture(scope="module")
def indexed(sample_site: Path) -> list[dict]:
    return fragments(sample_site)


def test_the_sample_hub_has_one_of_each_kind_to_hide() -> None:
    hidden = _unpublished()
    assert all(hidden[kind] for kind in ("draft", "future", "private")), hidden


def test_entry_counts_every_fragment_once(sample_site: Path, indexed: list[dict]) -> None:
    languages = entry(sample_site)["languages"]
    assert sum(language["page_count"] for language in languages.values()) == len(indexed)
    urls = [page["url"] for page in indexed]
    assert len(urls) == len(set(urls))


@pytest.mark.parametrize("kind", ["draft", "future", "private"])
def test_unpublished_pages_are_not_indexed(kind: str, indexed: list[dict]) -> None:
    urls = {page["url"] for page in indexed}
    for url, path in _unpublished()[kind]:
        assert url not in urls, f"{path.relative_to(ROOT)} ({kind}) is in the search index"
        title = _front_matter(path).get("title") or _front_matter(path).get("name")
        if kind != "private":  # a private author's name may sit in a published byline
            assert all(page["meta"].get("title") != title for page in indexed), title


def test_private_profile_text_is_not_indexed(indexed: list[dict]) -> None:
    for _url, path in _unpublished()["private"]:
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        sentence = " ".join(body.split())[:80]
        assert all(sentence not in page["content"] for page in indexed), path.name


def test_canaries_and_addresses_are_not_indexed(indexed: list[dict]) -> None:
    for page in indexed:
        text = " ".join([page["content"], *map(str, page["meta"].values())]).lower()
        for canary in CANARIES:
            assert canary not in text, f"{canary} found in {page['url']}"
        assert not EMAIL.search(text), f"an e-mail address is indexed in {page['url']}"


def test_only_item_pages_are_indexed(indexed: list[dict]) -> None:
    """Listings, topic and country hubs, the directory and the search page are not (in any language)."""
    for page in indexed:
        assert re.fullmatch(r"/((fr|de|pt)/)?(articles|stories|people|pages)/[^/]+/", page["url"]), page["url"]
        assert page["filters"]["type"], page["url"]
