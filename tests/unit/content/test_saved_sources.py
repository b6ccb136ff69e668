"""Saved sources: a new process's load from the last build's saved files gives what a cold load gives."""

from __future__ import annotations

import ast
import hashlib
import os
import pickle
from pathlib import Path

import pytest

from generator.content import saved_sources
from generator.content.loader import LoadResult, SourceCache
from generator.content.records import Entry, Hub
from generator.content.saved_sources import SAVED_FILE
from generator.content.settings import parse_settings
from generator.site.plan import load_content
from tests.hubkit import write_hub
from tests.unit.build.test_incremental_plan import EDITS, FILES, NOW, SETTINGS, replace

# Files that give errors and warnings, and text that is hard to cut back out of a file.
ODD_FILES = {
    "articles/warned.md": "---\r\ntitle: Crème brûlée in Zürich\r\ndate: 2025-01-10\r\nupdated: "
                          "2025-01-11T09:30:00+05:30\r\nauthors: [ana]\r\ntopics: [integration]\r\ncolour: red\r\n"
                          "source:\r\n  name: Partner magazine\r\n  url: https://magazine.test/a\r\n  extra: 1\r\n"
                          "---\r\nÜber den Umzug: 搬家.\r\n\r\nTODO: write the rest\r\n",
    "articles/broken.md": "---\ntitle: No date\nauthors: [ana, nobody]\ntopics: [integration]\n---\nBody.\n",
    "articles/bad-yaml.md": "---\ntitle: [unclosed\n---\nBody.\n",
    "articles/no-body.md": "---\ntitle: No body\ndate: 2025-01-12\nauthors: [ana]\ntopics: [mentoring]\n---\n",
    "pages/bom.md": "\ufeff---\ntitle: With a byte order mark\n---\n---\nA rule, then text.\n",
    "people/dee.md": "---\nname: Dee Roe\nroles: [author]\nphoto: ../media/missing.png\n"
                     "links:\n  Site: https://dee.test/\n---\nDee's bio.\n",
    "digests/custom.md": "---\ntitle: A custom period\nperiod:\n  from: 2025-01-01\n  to: 2025-02-15\n"
                         "date: 2025-02-20\n---\nDear readers.\n",
}  # fmt: skip


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # the link check's "now"
    write_hub(tmp_path, {**FILES, **ODD_FILES})
    return tmp_path / "content"


def cold(content: Path, settings=SETTINGS, language: str = "en", root: str = "content") -> LoadResult:
    return load_content(content, settings, language, root)


def saved(content: Path, settings=SETTINGS, language: str = "en", root: str = "content") -> tuple[LoadResult, int]:
    """A load as a new build process makes it (a SourceCache of its own), and how many records it reused."""
    sources = SourceCache()
    result = load_content(content, settings, language, root, sources, cache_dir(content))
    return result, sources.files(content).reused


def cache_dir(content: Path) -> Path:
    return content.parent / ".cache" / "hub"


def entries(hub: Hub) -> list[Entry]:
    found: list[Entry] = [*hub.items(), *hub.people.values(), *hub.digests, *hub.pages]
    return [*found, hub.home] if hub.home is not None else found


def assert_same(result: LoadResult, expected: LoadResult) -> None:
    assert result.issues == expected.issues
    assert result.hub == expected.hub
    for entry, other in zip(entries(result.hub), entries(expected.hub), strict=True):
        # What == leaves out: the class, the line of the body, the order of the fields.
        assert (type(entry), repr(entry), entry.body_line) == (type(other), repr(other), other.body_line)
        assert list(vars(entry)) == list(vars(other))


def test_a_load_from_saved_sources_is_a_cold_load(content: Path):
    expected = cold(content)
    assert {issue.path for issue in expected.errors} >= {"content/articles/broken.md", "content/articles/bad-yaml.md",
                                                         "content/people/dee.md"}  # fmt: skip
    assert expected.warnings
    first, reused = saved(content)
    assert reused == 0 and (cache_dir(content) / SAVED_FILE).is_file()
    assert_same(first, expected)
    again, reused = saved(content)
    assert reused == len(entries(expected.hub)) + 2  # and the files with errors: no record, the same issues
    assert_same(again, expected)
    assert os.listdir(cache_dir(content)) == [SAVED_FILE]  # no temporary file left behind


def test_errors_are_reported_on_every_load(content: Path):
    messages = [[str(issue) for issue in saved(content)[0].errors] for _ in range(3)]
    assert messages[0] == messages[1] == messages[2]
    assert "content/articles/broken.md:5: date: required field is missing" in messages[0]
    assert any(message.startswith("content/articles/bad-yaml.md:") for message in messages[0])


def test_every_edit_loads_from_saved_sources_as_cold(content: Path):
    saved(content)
    for name, edit in EDITS:
        edit(content)
        try:
            result, reused = saved(content)
            assert_same(result, cold(content))
            assert reused > 0
        except AssertionError as exc:
            raise AssertionError(f"after {name!r}: {exc}") from exc
        if name == "topic removed":  # a2 was saved with the topic known
            message = "topics: expected a topic id from topics.yml, got 'relocation'"
            assert any(issue.path.endswith("articles/a2.md") and message in str(issue) for issue in result.errors)


def test_an_edit_of_the_same_size_and_time_is_seen(content: Path):
    saved(content)
    path = content / "articles/a2.md"
    before = os.stat(path)
    replace(path, "title: Article two", "title: Article 2wo")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result, _ = saved(content)
    assert "Article 2wo" in [article.title for article in result.hub.articles]


@pytest.mark.parametrize(
    "settings, language, root",
    [(SETTINGS, "fr", "content"), (SETTINGS, "en", "docs"),
     (parse_settings({"timezone": "Asia/Singapore", "search": False}, source="test"), "en", "content")],
    ids=["language", "display-root", "time-zone"],
)  # fmt: skip
def test_other_settings_load_cold(content: Path, settings, language: str, root: str):
    saved(content)
    result, reused = saved(content, settings, language, root)
    assert reused == 0
    assert_same(result, cold(content, settings, language, root))


def good_header(content: Path) -> object:
    with (cache_dir(content) / SAVED_FILE).open("rb") as file:
        return pickle.load(file)


def write_pickles(path: Path, *objects: object) -> None:
    with path.open("wb") as file:
        for found in objects:
            pickle.dump(found, file)


class Harmful:
    """Unpickling this would print: a saved file must never run what it names."""

    def __reduce__(self):
        return print, ("unpickled a function",)


def digest(content: Path, name: str) -> bytes:
    return hashlib.sha256((content / name).read_bytes()).digest()


CORRUPTIONS = {
    "empty": lambda path, header, content: path.write_bytes(b""),
    "garbage": lambda path, header, content: path.write_bytes(b"\x80\x05garbage" * 100),
    "truncated": lambda path, header, content: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "old format": lambda path, header, content: write_pickles(path, ("mobility-hub saved sources 0", b"key"), {}),
    "other key": lambda path, header, content: write_pickles(path, (header[0], b"another key"), {}),
    "not a mapping": lambda path, header, content: write_pickles(path, header, ["articles/a1.md"]),
    "foreign global": lambda path, header, content: write_pickles(path, header, {"articles/a1.md": Harmful()}),
    "foreign global in an entry": lambda path, header, content: write_pickles(path, header, {
        "articles/a1.md": (digest(content, "articles/a1.md"), pickle.dumps(Harmful())),
    }),
    "bad entries": lambda path, header, content: write_pickles(path, header, {
        "articles/a1.md": (digest(content, "articles/a1.md"), pickle.dumps(("x", {}, {}, 1, None))),
        "articles/a2.md": (digest(content, "articles/a2.md"), pickle.dumps(("an issue that isn't one",))),
        "articles/a3.md": (digest(content, "articles/a3.md"), b"not a pickle"),
        "articles/a5.md": (digest(content, "articles/a5.md"), pickle.dumps((1, [], {}, 1, ("x", {}, (), (), ())))),
        "articles/a6.md": (b"digest", 1, 2),
        5: (b"digest", b"entry"),
    }),
    "a folder": lambda path, header, content: (path.unlink(), path.mkdir()),
}  # fmt: skip


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_an_unusable_saved_file_means_a_cold_load(content: Path, corrupt, capsys: pytest.CaptureFixture[str]):
    saved(content)
    path = cache_dir(content) / SAVED_FILE
    corrupt(path, good_header(content), content)
    result, reused = saved(content)
    assert reused == 0
    assert_same(result, cold(content))
    assert "unpickled" not in capsys.readouterr().out
    if path.is_file():  # written again, whole: the next load reuses everything
        assert saved(content)[1] == len(entries(result.hub)) + 2


def test_an_unchanged_load_leaves_the_saved_file_alone(content: Path):
    saved(content)
    path = cache_dir(content) / SAVED_FILE
    before = os.stat(path)
    saved(content)
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    replace(content / "articles/a1.md", "More words.", "Other words.")
    saved(content)
    assert os.stat(path).st_ino != before.st_ino  # replaced by a new file, never written in place


def test_listings_answer_as_pathlib(content: Path):
    """A load lists content/ with os.scandir: regular files as rglob and glob see them, never a link."""
    (content / "elsewhere").mkdir()
    (content / "elsewhere/f.md").write_text("outside", encoding="utf-8")
    (content / "pages/linked").symlink_to(content / "elsewhere")  # a linked folder is not walked into
    (content / "articles/link.md").symlink_to(content / "articles/a0.md")
    (content / "articles/broken.md").unlink()
    (content / "articles/broken.md").symlink_to(content / "articles/nowhere.md")
    (content / "articles/folder.md").mkdir()
    (content / "articles/.hidden.md").write_text("x", encoding="utf-8")
    files = SourceCache().files(content)
    rglob = [path.relative_to(content).as_posix() for path in content.rglob("*")
             if path.is_file() and not path.is_symlink()]  # fmt: skip
    assert sorted(files.listing()) == sorted(rglob)
    assert "articles/link.md" not in files.listing()
    for folder in ("articles", "pages", "people", "pages/linked", "missing", "topics.yml"):
        path = content / folder
        regular = [p.name for p in sorted(path.glob("*.md")) if p.is_file() and not p.is_symlink()]
        assert files.markdown(folder) == (regular if path.is_dir() and not path.is_symlink() else []), folder
    assert files.markdown("pages/linked") == []
    assert not files.is_file("articles/link.md") and not files.is_file("pages/linked/f.md")


def generator_imports(module: str, root: Path) -> set[str]:
    """The generator modules `module` imports, directly or not (relative imports only, as the code has)."""
    found, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for node in ast.walk(ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
                todo.extend(name for name in names if (root / f"{name}.py").is_file())
    return found


def test_the_saved_key_covers_the_code_a_load_runs():
    root = Path(saved_sources.__file__).parent
    # render_cache only lends the versions of the software, which the key holds.
    assert generator_imports("loader", root) - {"render_cache"} == set(saved_sources._CODE)
