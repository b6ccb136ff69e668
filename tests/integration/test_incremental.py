"""An incremental build gives exactly the site a clean build gives, across a series of edits."""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.engine.run import build_site
from tests.hubkit import write_hub

PEOPLE = {
    "people/ana.md": "---\nname: Ana Lima\nroles: [author, mentor]\nmentoring: true\nlived_in: [SG]\n---\nAna's bio.\n",
    "people/ben.md": "---\nname: Ben Okoro\nroles: [partner]\nlocation: DE\njoined: 2025-02-01\n---\nBen's bio.\n",
}


def article(number: int, *, author: str = "ana", topic: str = "integration", extra: str = "") -> str:
    return (
        f"---\ntitle: Article {number}\ndate: 2025-01-{number % 28 + 1:02d}\nauthors: [{author}]\n"
        f"topics: [{topic}]\ncountries: [SG]\n{extra}---\nBody of article {number}.\n\n## Part\n\nMore words.\n"
    )


def files(count: int) -> dict[str, str]:
    found = dict(PEOPLE)
    found.update({f"articles/a{n}.md": article(n, topic="mentoring" if n % 3 else "integration")
                  for n in range(count)})  # fmt: skip
    found["stories/s1.md"] = (
        "---\ntitle: A story\ndate: 2025-01-05\npartner: ben\nfrom: BR\nto: DE\ntopics: [integration]\n---\nStory.\n"
    )
    return found


def tree(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def assert_same_site(incremental: Path, clean: Path) -> None:
    assert tree(incremental) == tree(clean)
    _, mismatch, errors = filecmp.cmpfiles(incremental, clean, tree(clean), shallow=False)
    assert (mismatch, errors) == ([], [])


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("change", lambda c: (c / "articles/a1.md").write_text(article(1, extra="summary: Now with a summary.\n"))),
    ("add", lambda c: (c / "articles/new.md").write_text(article(50, extra="featured: true\n"))),
    ("delete", lambda c: (c / "articles/a2.md").unlink()),
    ("rename", lambda c: (c / "articles/a3.md").rename(c / "articles/a3-renamed.md")),
    ("to draft", lambda c: (c / "articles/a4.md").write_text(article(4, extra="draft: true\n"))),
    ("back to published", lambda c: (c / "articles/a4.md").write_text(article(4))),
    ("profile private", lambda c: (c / "people/ana.md").write_text(PEOPLE["people/ana.md"].replace(
        "mentoring: true", "mentoring: true\npublic: false"))),
    ("topic renamed", lambda c: (c / "topics.yml").write_text(
        (c / "topics.yml").read_text().replace("title: Mentoring", "title: Mentoring programmes"))),
]  # fmt: skip


@pytest.mark.parametrize("workers", [1, 2])
def test_incremental_equals_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    hub = {"workers": workers, "page_size": 5}
    incremental = write_hub(tmp_path / "inc", files(45), hub=hub)
    clean = write_hub(tmp_path / "clean", files(45), hub=hub)
    build_site(incremental, strict=True)
    for name, edit in EDITS:
        edit(incremental.parent / "content")
        edit(clean.parent / "content")
        build_site(incremental, strict=True)
        shutil.rmtree(clean.parent / "site", ignore_errors=True)
        shutil.rmtree(clean.parent / ".cache", ignore_errors=True)
        build_site(clean, strict=True)
        assert_same_site(incremental.parent / "site", clean.parent / "site"), name


def test_rebuild_reuses_unchanged_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    config = write_hub(tmp_path, files(10), hub={"workers": 1})
    build_site(config, strict=True)
    untouched = tmp_path / "site/articles/a7/index.html"
    before = untouched.stat().st_ino
    (tmp_path / "content/articles/a1.md").write_text(article(1, extra="summary: Changed.\n"))
    build_site(config, strict=True)
    assert untouched.stat().st_ino == before, "an unchanged page should be reused, not rendered again"
    assert "Changed." in (tmp_path / "site/articles/a1/index.html").read_text()


def test_template_change_invalidates_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    theme = tmp_path / "theme"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes/hub", theme)
    config = write_hub(tmp_path, files(3), hub={"workers": 1})
    config.write_text(config.read_text().replace(str(Path(__file__).resolve().parents[2] / "themes/hub"), str(theme)))
    build_site(config, strict=True)
    footer = theme / "partials/hub-footer.html"
    footer.write_text(footer.read_text().replace('{{ _("Archive") }}</a>', "Every item</a>"))
    build_site(config, strict=True)
    assert "Every item" in (tmp_path / "site/articles/a1/index.html").read_text()


def test_unreadable_cache_only_costs_a_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    config = write_hub(tmp_path, files(3), hub={"workers": 1})
    cache = tmp_path / ".cache/hub"
    cache.mkdir(parents=True)
    (cache / "render.sqlite3").write_bytes(b"this is not a database")
    (cache / "pages.json").write_text("{not json")
    build_site(config, strict=True)
    assert "Article 1" in (tmp_path / "site/articles/a1/index.html").read_text()
