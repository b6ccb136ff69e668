"""The benchmark's synthetic hub: deterministic, the right size, and valid content."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from generator.content.records import AUDIENCES, ROLES
from generator.content.yaml_source import SourceFile, read_source

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from generate_hub import generate  # noqa: E402

ITEMS = 20
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MD_LINK = re.compile(r"\]\(([^)\s]+\.md)\)")


def _tree(root: Path) -> dict[str, bytes]:
    files = (path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): path.read_bytes() for path in files}


def _front(path: Path) -> SourceFile:
    source = read_source(str(path), path.read_bytes())
    assert isinstance(source, SourceFile), str(source)
    return source


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "hub"
    generate(ITEMS, root, seed=1)
    return root


@pytest.fixture(scope="module")
def content(hub: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Front matter by section and slug (the hub's own strict YAML reader)."""
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted((hub / "content").rglob("*.md")):
        section = path.parent.name if path.parent != hub / "content" else ""
        sections.setdefault(section, {})[path.stem] = _front(path).front.data
    return sections


@pytest.fixture(scope="module")
def topic_ids(hub: Path) -> set[str]:
    return set(yaml.safe_load((hub / "content" / "topics.yml").read_text(encoding="utf-8")))


def test_same_seed_gives_the_same_bytes(tmp_path: Path, hub: Path) -> None:
    generate(ITEMS, tmp_path / "again", seed=1)
    assert _tree(tmp_path / "again") == _tree(hub)


def test_another_seed_gives_other_content(tmp_path: Path, hub: Path) -> None:
    generate(ITEMS, tmp_path / "other", seed=2)
    assert _tree(tmp_path / "other") != _tree(hub)


def test_counts(content: dict[str, dict[str, dict[str, Any]]], topic_ids: set[str]) -> None:
    sizes = {section: len(files) for section, files in content.items()}
    assert sizes == {"articles": 14, "stories": 4, "people": 2, "digests": 1, "pages": 2, "": 1}
    assert len(topic_ids) == 12


def test_config_points_at_the_repo_theme(hub: Path) -> None:
    config = (hub / "mkdocs.yml").read_text(encoding="utf-8")
    theme = BENCH.parent / "themes" / "hub"
    assert "site_url: https://bench.example.org/\n" in config
    assert "docs_dir: content\n" in config
    assert f'custom_dir: "{theme}"\n' in config
    assert re.search(r"^plugins:\n  - hub$", config, flags=re.M)


def _is_iso(value: str) -> bool:
    try:
        (date.fromisoformat if len(value) == 10 else datetime.fromisoformat)(value)
    except ValueError:
        return False
    return True


def _country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


def _language(code: str) -> bool:
    return pycountry.languages.get(alpha_2=code) is not None


def test_articles(content: dict[str, dict[str, dict[str, Any]]], topic_ids: set[str]) -> None:
    people = set(content["people"])
    for slug, fields in content["articles"].items():
        assert SLUG.match(slug)
        assert 1 <= len(fields["title"]) <= 200
        assert _is_iso(fields["date"]), fields["date"]
        assert fields.get("updated") is None or _is_iso(fields["updated"])
        assert fields["authors"] and set(fields["authors"]) <= people
        assert 1 <= len(fields["topics"]) <= 8 and set(fields["topics"]) <= topic_ids
        assert all(_country(code) for code in fields.get("countries", []))
        assert set(fields.get("audience", [])) <= set(AUDIENCES)
        source = fields.get("source")
        if source:
            assert source["name"] and source["url"].startswith("https://")
            assert _is_iso(source["published"])


def test_stories(content: dict[str, dict[str, dict[str, Any]]], topic_ids: set[str]) -> None:
    people = set(content["people"])
    for fields in content["stories"].values():
        assert _is_iso(fields["date"])
        assert ("partner" in fields) != ("partner_name" in fields)
        assert fields.get("partner", next(iter(people))) in people
        assert fields.get("interviewer", next(iter(people))) in people
        assert _country(fields["from"]) and _country(fields["to"])
        assert fields["from"] != fields["to"]
        assert set(fields["topics"]) <= topic_ids


def test_profiles(content: dict[str, dict[str, dict[str, Any]]], topic_ids: set[str]) -> None:
    for pid, fields in content["people"].items():
        assert SLUG.match(pid)
        assert fields["name"] and fields["roles"] and set(fields["roles"]) <= set(ROLES)
        assert all(_country(code) for code in [fields["location"], *fields["lived_in"]])
        assert all(_language(code) for code in fields["languages"])
        assert set(fields["expertise"]) <= topic_ids
        assert fields.get("joined") is None or _is_iso(fields["joined"])
        assert fields.get("mentoring", False) in (True, False)


def test_digest(content: dict[str, dict[str, dict[str, Any]]]) -> None:
    (fields,) = content["digests"].values()
    assert fields["period"] == "2025-Q2" and _is_iso(fields["date"])
    assert set(fields["authors"]) <= set(content["people"])


def _words(body: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'-]*", re.sub(r"\]\([^)]*\)", "]", body)))


def test_bodies_are_600_to_1500_words_and_links_resolve(hub: Path) -> None:
    for folder in ("articles", "stories"):
        for path in (hub / "content" / folder).glob("*.md"):
            body = _front(path).body
            assert 600 <= _words(body) <= 1500, path.name
            assert body.count("\n## ") >= 1 or folder == "stories"
    for path in (hub / "content").rglob("*.md"):
        for target in MD_LINK.findall(path.read_text(encoding="utf-8")):
            assert (path.parent / target).resolve().is_file(), f"{path.name}: {target}"


def _yaml_front(path: Path) -> dict[str, Any]:
    """Front matter as MkDocs and the blog plugin read it (PyYAML SafeLoader)."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_blog_flavor_uses_topics_and_known_authors(tmp_path: Path, hub: Path) -> None:
    generate(ITEMS, tmp_path, seed=1, flavor="blog")
    docs = tmp_path / "docs"
    authors = yaml.safe_load((docs / "blog" / ".authors.yml").read_text(encoding="utf-8"))
    topics = yaml.safe_load((hub / "content" / "topics.yml").read_text(encoding="utf-8"))
    titles = {topic["title"] for topic in topics.values()}
    posts = list((docs / "blog" / "posts").glob("*.md"))
    assert len(posts) == 14 + 4
    for post in posts:
        fields = _yaml_front(post)
        assert isinstance(fields["date"], date)
        assert set(fields["categories"]) <= titles
        assert set(fields["authors"]) <= set(authors["authors"])
        assert "<!-- more -->" in post.read_text(encoding="utf-8")


def test_material_flavor_has_the_same_article_words(tmp_path: Path, hub: Path) -> None:
    generate(ITEMS, tmp_path, seed=1, flavor="material")
    for path in (hub / "content" / "articles").glob("*.md"):
        if _front(path).front.data.get("draft"):
            continue
        twin = tmp_path / "docs" / "articles" / path.name
        assert _front(twin).body == _front(path).body
        assert "search" in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
