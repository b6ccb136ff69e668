"""What of content/ may be published, and what hub check says about the rest (content_tree)."""

from __future__ import annotations

from pathlib import Path

from generator.content.content_tree import survey, surveyed
from generator.content.errors import Severity
from generator.content.source_cache import SourceCache

CONTRACT = {
    "": {"index.md": "file", "topics.yml": "file", "articles": "folder", "people": "folder", "media": "folder",
         "digests": "folder", "countries": "folder"},
    "articles": {"a.md": "file"},
    "people": {"ana.md": "file"},
    "digests": {"2026-q3.md": "file", "2026-q3.selection.yml": "file"},
    "countries": {"jp.md": "file"},
    "media": {"photo.svg": "file", "people": "folder"},
    "media/people": {"ana.jpg": "file"},
}  # fmt: skip


def test_what_the_contract_names_is_published_and_nothing_is_said_about_it():
    found = survey(CONTRACT)
    assert found.issues == []
    assert found.pages == {"index.md", "articles/a.md", "people/ana.md", "digests/2026-q3.md"}
    assert found.media == {"media/photo.svg", "media/people/ana.jpg"}


def test_everything_else_is_named_and_kept_out():
    tree = {
        "": {"notes": "folder", "secret.txt": "file", "media": "folder", "articles": "folder"},
        "notes": {"a.md": "file"},
        "articles": {"x.md.orig": "file", "old": "folder", "index.md": "file"},
        "articles/old": {"y.md": "file"},
        "media": {"a.svg~": "file", ".DS_Store": "file", "readme.md": "file", "fifo": "other", "up": "link"},
    }
    found = survey(tree)
    assert found.pages == set() and found.media == set()
    said = {issue.path: (issue.severity, issue.message) for issue in found.issues}
    assert sorted(said) == [
        "content/articles/index.md", "content/articles/old/y.md", "content/articles/x.md.orig",
        "content/media/.DS_Store", "content/media/a.svg~", "content/media/fifo", "content/media/readme.md",
        "content/media/up", "content/notes/a.md", "content/secret.txt",
    ]  # fmt: skip
    errors = {path for path, (severity, _) in said.items() if severity is Severity.ERROR}
    assert errors == {"content/articles/index.md", "content/media/fifo", "content/media/up"}
    subfolder = "in a subfolder of articles/, which the build doesn't read: never published"
    assert said["content/articles/old/y.md"][1] == subfolder


def test_a_watched_folder_is_surveyed_again_only_when_its_entries_change(tmp_path: Path):
    content = tmp_path / "content"
    (content / "people").mkdir(parents=True)
    (content / "people" / "ana.md").write_text("---\nname: Ana\n---\n", encoding="utf-8")
    cache = SourceCache()
    cache.changed([])  # watched from now on: the preview reports every change
    first = surveyed(cache.files(content))
    (content / "people" / "ana.md").write_text("---\nname: Ana Lima\n---\n", encoding="utf-8")
    cache.changed([content / "people" / "ana.md"])
    assert surveyed(cache.files(content)) is first  # an edit in place
    (content / "people" / "ana.md~").write_text("backup", encoding="utf-8")
    cache.changed([content / "people" / "ana.md~"])
    again = surveyed(cache.files(content))
    assert [issue.path for issue in again.issues] == ["content/people/ana.md~"]
