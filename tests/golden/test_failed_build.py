"""A build that fails leaves the previous site/ byte for byte, and no temporary folder behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.content.errors import HubError
from tests.golden.conftest import build_at
from tests.hubkit import ARTICLE, PERSON, write_hub


def snapshot(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def leftovers(root: Path) -> list[str]:
    """Temporary build folders left beside site/ (the replaced copy is removed in the background)."""
    deadline = time.monotonic() + 10
    while True:
        found = sorted(path.name for path in root.iterdir() if path.name.startswith(".site"))
        if not any(name.startswith(".site-old-") for name in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture
def built_once(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    config = write_hub(tmp_path, {
        "people/ana.md": PERSON.format(name="Ana Lima"),
        "articles/first.md": ARTICLE.format(title="First steps", date="2025-01-02", author="ana"),
    })  # fmt: skip
    build_at(config)
    before = snapshot(tmp_path / "site")
    assert "articles/first/index.html" in before
    return config, before


def test_content_error_keeps_the_previous_site_until_a_build_succeeds(built_once: tuple[Path, dict[str, bytes]]):
    config, before = built_once
    root = config.parent
    second = root / "content" / "articles" / "second.md"
    second.write_text(ARTICLE.format(title="Second", date="2025-13-45", author="ana"), encoding="utf-8")
    with pytest.raises(HubError) as caught:
        build_at(config)
    expected = "content/articles/second.md:3: date: expected an ISO date like 2025-11-12, got '2025-13-45'"
    assert expected in str(caught.value)
    assert snapshot(root / "site") == before
    assert leftovers(root) == []

    second.write_text(ARTICLE.format(title="Second", date="2025-01-03", author="ana"), encoding="utf-8")
    (root / "content" / "articles" / "first.md").unlink()
    build_at(config)
    after = snapshot(root / "site")
    assert "articles/second/index.html" in after and "articles/first/index.html" not in after
    assert leftovers(root) == []


def test_strict_warning_keeps_the_previous_site(built_once: tuple[Path, dict[str, bytes]]):
    config, before = built_once
    root = config.parent
    (root / "content" / "articles" / "second.md").write_text(
        "---\ntitle: Second\ndate: 2025-01-03\nauthors: [ana]\ntopics: [integration]\ncolour: blue\n---\nBody\n",
        encoding="utf-8")
    with pytest.raises(HubError, match="in strict mode"):
        build_at(config, strict=True)
    assert snapshot(root / "site") == before
    assert leftovers(root) == []
