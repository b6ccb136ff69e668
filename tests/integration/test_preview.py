"""`hub serve` updates pages in place after a save, and the folder it serves then holds
exactly what a clean build of the same content writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.engine.run import open_preview
from generator.preview.live import LivePreview
from tests.integration.test_incremental import PEOPLE, article, assert_same_site, files

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1767225600"  # 2026-01-01: every build here sees the same "now"


def clean_build(config: Path, site: Path) -> None:
    command = [sys.executable, "-c", "from generator.cli import main; main()", "-f", str(config), "build",
               "--site-dir", str(site), "--strict"]  # fmt: skip
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CI", None)
    subprocess.run(command, check=True, cwd=ROOT, env=env, capture_output=True, timeout=120)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


Edit = tuple[str, str, Callable[[Path], None], bool]
EDITS: list[Edit] = [
    ("body", "articles/a1.md", lambda c: replace(c / "articles/a1.md", "More words.", "More words, and more."), True),
    ("title", "articles/a5.md", lambda c: replace(c / "articles/a5.md", "title: Article 5", "title: Renamed"), True),
    ("topics", "articles/a7.md", lambda c: replace(c / "articles/a7.md", "topics: [mentoring]",
                                                  "topics: [mentoring, partner-career]"), True),
    ("date", "articles/a10.md", lambda c: replace(c / "articles/a10.md", "date: 2025-01-11", "date: 2025-03-30"),
     True),
    ("author's name", "people/ana.md", lambda c: replace(c / "people/ana.md", "Ana Lima", "Ana M. Lima"), True),
    ("summary", "articles/a8.md", lambda c: (c / "articles/a8.md").write_text(
        article(8, extra="summary: A summary at last.\n")), True),
    ("add", "articles/new.md", lambda c: (c / "articles/new.md").write_text(article(60)), False),
    ("draft", "articles/a9.md", lambda c: (c / "articles/a9.md").write_text(article(9, extra="draft: true\n")), False),
    ("story partner", "people/ben.md", lambda c: (c / "people/ben.md").write_text(
        PEOPLE["people/ben.md"].replace("Ben Okoro", "Ben O. Okoro")), True),
    # A destination's intro is rendered like any body (the site's Markdown extensions, its links).
    ("country intro", "countries/sg.md", lambda c: write(c / "countries/sg.md", INTRO), True),
    ("country intro edited", "countries/sg.md", lambda c: replace(c / "countries/sg.md", "Humid.", "Hot."), True),
]  # fmt: skip
INTRO = "---\nsummary: What helps.\n---\nHumid.\n\n| Month | Rain |\n|---|---|\n| June | some |\n"


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    from tests.hubkit import write_hub

    config = write_hub(tmp_path / "hub", files(30), hub={"page_size": 5, "workers": 2})
    session = open_preview(config, tmp_path / "served")
    session.build()
    yield session, config.parent / "content"
    session.close()


def test_updates_in_place_match_a_clean_build(preview: tuple[LivePreview, Path], tmp_path: Path) -> None:
    session, content = preview
    for number, (name, changed, edit, in_place) in enumerate(EDITS):
        edit(content)
        assert session.update({content / changed}) is in_place, name
        if name == "title":  # what the browser reloads to is there before the rest follows
            assert "Renamed" in (session.site_dir / "articles/a5/index.html").read_text(encoding="utf-8")
            assert "Renamed" in (session.site_dir / "feeds/all.atom.xml").read_text(encoding="utf-8")
        if changed == "countries/sg.md":
            assert "<table>" in (session.site_dir / "countries/sg/index.html").read_text(encoding="utf-8")
        session.settle()
        clean = tmp_path / f"clean-{number}"
        clean_build(session.config_file, clean)
        assert_same_site(session.site_dir, clean), name


def test_a_file_with_an_error_keeps_its_last_good_page(preview: tuple[LivePreview, Path], tmp_path: Path) -> None:
    session, content = preview
    page = session.site_dir / "articles/a3/index.html"
    (content / "articles/a3.md").write_text(article(3).replace("2025-01-04", "2025-02-30"))
    assert session.update({content / "articles/a3.md"})  # in place: no page vanishes
    assert [str(issue) for issue in session.errors()] == [
        "content/articles/a3.md:3: date: expected an ISO date like 2025-11-12, got '2025-02-30'"
    ]
    assert "Article 3" in page.read_text(encoding="utf-8")

    (content / "articles/a3.md").write_text(article(3).replace("Article 3", "Article 3, fixed"))
    assert session.update({content / "articles/a3.md"})
    assert session.errors() == []
    assert "Article 3, fixed" in page.read_text(encoding="utf-8")
    session.settle()
    clean_build(session.config_file, tmp_path / "clean")
    assert_same_site(session.site_dir, tmp_path / "clean")


def test_a_broken_mkdocs_yml_is_shown_and_the_last_site_kept(preview: tuple[LivePreview, Path]) -> None:
    session, _ = preview
    config = session.config_file
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("  hub:\n", "  hub:\n    colour: blue\n", 1), encoding="utf-8")
    assert session.update({config}) is False
    assert [(issue.path, issue.message) for issue in session.errors()] == [
        ("mkdocs.yml", "extra.hub.colour: unknown setting")
    ]
    assert (session.site_dir / "articles/a1/index.html").is_file()  # the last site is still served

    config.write_text(good.replace("site_name: Test Hub", "site_name: Renamed Hub"), encoding="utf-8")
    assert session.update({config}) is False  # a whole build
    assert session.errors() == []
    assert "Renamed Hub" in (session.site_dir / "articles/a1/index.html").read_text(encoding="utf-8")


class _Server:
    def __init__(self) -> None:
        self.requests = 0

    def request_rebuild(self) -> None:
        self.requests += 1


def test_only_watched_paths_count_as_changes(tmp_path: Path) -> None:
    import watchdog.events

    from generator.preview.server import Changes

    server = _Server()
    changes = Changes(server.request_rebuild)
    changes.watched += [tmp_path / "content", tmp_path / "mkdocs.yml"]
    # A log file or the build cache beside mkdocs.yml is not the site's source.
    changes.on_any_event(watchdog.events.FileModifiedEvent(str(tmp_path / "serve.log")))
    changes.on_any_event(watchdog.events.FileCreatedEvent(str(tmp_path / ".cache/hub/feeds.pickle")))
    assert (changes.take(), server.requests) == (set(), 0)

    changes.on_any_event(watchdog.events.FileModifiedEvent(str(tmp_path / "mkdocs.yml")))
    changes.on_any_event(watchdog.events.FileMovedEvent(str(tmp_path / "content/a.md~"),
                                                        str(tmp_path / "content/articles/a.md")))  # fmt: skip
    assert changes.take() == {tmp_path / "mkdocs.yml", tmp_path / "content/a.md~", tmp_path / "content/articles/a.md"}
    assert server.requests == 2
    assert changes.take() == set()


def test_a_save_stops_the_pages_the_last_one_left_rendering(preview: tuple[LivePreview, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from generator.engine import pages as engine_pages

    session, content = preview
    real = engine_pages.get_context

    def slow(*args: object, **kwargs: object) -> object:  # forked workers inherit it: a tenth of a second a page
        time.sleep(0.1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_pages, "get_context", slow)
    # The newest article: many pages card it among their related items.
    replace(content / "articles/a27.md", "title: Article 27", "title: Renamed")
    assert session.update({content / "articles/a27.md"})
    assert session.session.following is not None
    session.session.following.join(timeout=30)  # it starts them once the update has returned
    left = session.session.deferred
    assert left and any(worker.process.is_alive() for worker in left)

    replace(content / "articles/a1.md", "More words.", "More words, and more.")
    assert session.update({content / "articles/a1.md"})
    deadline = time.monotonic() + 10
    while any(worker.process.exitcode is None for worker in left) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [worker.process.exitcode for worker in left] == [-signal.SIGKILL] * len(left)  # stopped, not waited for
    session.settle()
    deadline = time.monotonic() + 10
    while list(session.site_dir.rglob(".index.html.*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the stopped workers' half-written pages are removed once they have ended
    assert list(session.site_dir.rglob(".index.html.*")) == []
    clean_build(session.config_file, tmp_path / "clean")
    assert_same_site(session.site_dir, tmp_path / "clean")  # what was stopped was rendered again, renamed


def test_cards_rendered_in_workers_come_back_to_the_preview(preview: tuple[LivePreview, Path]) -> None:
    session, _ = preview
    plan, files = session.session.plan, session.site.plugin.files
    assert plan is not None and files is not None
    by_page: dict[str, int] = {}
    for key, _heading in session.session.card_memo.cards:
        by_page[key[-1]] = by_page.get(key[-1], 0) + 1
    for src in plan.generated:
        file = files.get_file_from_path(src)
        assert file is not None
        html = (session.site_dir / file.dest_uri).read_text(encoding="utf-8")
        # Every card of every hub page, whichever process rendered the page, is in the memo.
        assert by_page.get(file.page.url if file.page else file.url, 0) == html.count('<article class="hub-card '), src
