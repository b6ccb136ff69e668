"""What `hub serve` keeps between saves (SourceCache, plan_site's `previous`, FingerprintMemo)
gives exactly what a fresh load, plan and fingerprints give, across a series of edits."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.build.fingerprints import FingerprintMemo, Fingerprints
from generator.content.loader import LoadResult, SourceCache
from generator.content.records import Article, Hub
from generator.content.settings import HubSettings, parse_settings
from generator.site import relations as relations_module
from generator.site.plan import SitePlan, load_content, plan_site
from generator.site.relations import related_items
from tests.hubkit import write_hub
from tests.unit import records_kit

NOW = datetime(2025, 6, 1, tzinfo=UTC)
LATER = datetime(2025, 7, 1, tzinfo=UTC)
SETTINGS = parse_settings({"timezone": "Europe/Amsterdam", "search": False, "related_items": 2}, source="test")


def article(title: str, date: str, *, topics: str = "integration", countries: str = "SG",
            extra: str = "", body: str = "") -> str:  # fmt: skip
    return (
        f"---\ntitle: {title}\ndate: {date}\nauthors: [ana]\ntopics: [{topics}]\ncountries: [{countries}]\n"
        f"{extra}---\n{body or f'First paragraph of {title}.'}\n\n## Part one\n\nMore words.\n"
    )


FILES = {
    "index.md": "---\ntitle: Welcome\n---\nThe hub's home.\n",
    "people/ana.md": "---\nname: Ana Lima\nroles: [author, mentor]\nmentoring: true\nlived_in: [SG]\n"
                     "expertise: [mentoring]\n---\nAna's bio.\n",
    "people/ben.md": "---\nname: Ben Okoro\nroles: [partner]\nlocation: DE\n---\nBen's bio.\n",
    "people/cy.md": "---\nname: Cy Park\nroles: [author]\nlived_in: [BR]\n---\nCy's bio.\n",
    "articles/a0.md": article("Article zero", "2025-01-02", body="See [part one](a1.md#part-one)."),
    "articles/a1.md": article("Article one", "2025-01-03", topics="integration, mentoring"),
    "articles/a2.md": article("Article two", "2025-01-04", topics="mentoring", countries="DE"),
    "articles/a3.md": article("Article three", "2025-01-05", topics="partner-career", countries="DE, SG"),
    "articles/a4.md": article("Article four", "2025-01-06", extra="image: ../media/pic.png\nimage_alt: A pic\n"),
    "articles/a5.md": article("Article five", "2025-01-07", topics="mentoring, partner-career"),
    "articles/a6.md": article("Article six", "2025-01-08", countries="BR"),
    "articles/a7.md": article("Article seven", "2025-08-01", body="Scheduled. See [zero](a0.md)."),
    "stories/s1.md": "---\ntitle: A story\ndate: 2025-01-05\npartner: ben\nfrom: BR\nto: DE\n"
                     "topics: [integration]\n---\nStory with [a link](../articles/a2.md).\n",
    "articles/a8.md": article("Article eight", "2025-06-15", topics="mentoring"),
    "pages/about.md": "---\ntitle: About\n---\nAbout the hub, by [Cy](../people/cy.md), with [a picture]"
                      "(../media/pic.png), [a topic to come](../topics/relocation.md) and [what is next]"
                      "(../articles/a8.md).\n",
    "digests/2025-q1.md": "---\ntitle: Perspectives Q1\nperiod: 2025-Q1\ndate: 2025-04-01\n---\nDear readers.\n",
    "media/pic.png": "not really a picture",
}  # fmt: skip


@dataclass
class Serve:
    """The preview server's loop: keep everything between saves, report what changed."""

    content: Path
    watched: bool
    sources: SourceCache = field(init=False)
    memo: FingerprintMemo = field(default_factory=FingerprintMemo)
    plan: SitePlan | None = None

    def __post_init__(self) -> None:
        self.sources = SourceCache(watched=self.watched)

    def update(self, changed: list[Path], now: datetime) -> tuple[LoadResult, SitePlan, dict[str, str]]:
        if self.watched:
            self.sources.changed(changed)
        result = load_content(self.content, SETTINGS, "en", sources=self.sources)
        self.plan = plan_site(result, **plan_options(self.content, now), previous=self.plan)
        return result, self.plan, fingerprints(self.plan, self.memo)


def plan_options(content: Path, now: datetime) -> dict:
    return dict(settings=SETTINGS, site_name="Test Hub", site_url="https://hub.test/", language="en",
                now=now, content_dir=content)  # fmt: skip


def fingerprints(plan: SitePlan, memo: FingerprintMemo | None = None) -> dict[str, str]:
    prints = Fingerprints(plan, "salt", {"articles/a1.md": "rendered-a1"}, memo)
    return {src: prints.page(src, "page.html", ["extra"]) for src in (*plan.entries, *plan.generated)}


def fresh(content: Path, now: datetime) -> tuple[LoadResult, SitePlan, dict[str, str]]:
    result = load_content(content, SETTINGS, "en")
    plan = plan_site(result, **plan_options(content, now))
    return result, plan, fingerprints(plan)


def related(plan: SitePlan, settings: HubSettings) -> dict[tuple[str, int], list[str]]:
    return {
        (item.path, limit): [other.path for other in related_items(item, plan.relations, limit)]
        for item in plan.relations.items
        for limit in (0, 1, settings.related_items, 5)
    }


RELATION_INDEXES = ("items", "people", "by_topic", "by_country", "by_person", "experts", "residents", "by_year",
                    "recency", "windows", "window_ranks")  # fmt: skip


def assert_same(incremental: tuple[LoadResult, SitePlan, dict[str, str]],
                expected: tuple[LoadResult, SitePlan, dict[str, str]]) -> None:  # fmt: skip
    result, plan, prints = incremental
    fresh_result, fresh_plan, fresh_prints = expected
    assert result.issues == fresh_result.issues
    assert result.hub == fresh_result.hub
    assert plan.entries == fresh_plan.entries
    assert plan.generated == fresh_plan.generated
    assert plan.hidden_media == fresh_plan.hidden_media
    assert plan.warnings == fresh_plan.warnings
    for name in RELATION_INDEXES:
        assert getattr(plan.relations, name) == getattr(fresh_plan.relations, name), name
    assert related(plan, SETTINGS) == related(fresh_plan, SETTINGS)
    assert prints == fresh_prints


def write(path: Path, text: str) -> None:
    """Write, with a modification time of its own (a stat()ing cache must see every save)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    write.clock += 1_000_000_000
    os.utime(path, ns=(write.clock, write.clock))


write.clock = 1_700_000_000_000_000_000


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    write(path, text.replace(old, new))


Edit = Callable[[Path], list[Path]]
"""Changes content/ and returns the paths a file watcher would report."""


def rename(content: Path, old: str, new: str) -> list[Path]:
    (content / old).rename(content / new)
    return [content / old, content / new]


def delete(content: Path, name: str) -> list[Path]:
    (content / name).unlink()
    return [content / name]


def edited(name: str, old: str, new: str) -> Edit:
    def edit(content: Path) -> list[Path]:
        replace(content / name, old, new)
        return [content / name]

    return edit


def added(name: str, text: str) -> Edit:
    def edit(content: Path) -> list[Path]:
        write(content / name, text)
        return [content / name]

    return edit


def moved_folder(content: Path) -> list[Path]:
    """A whole folder renamed, and renamed back: reported by the folder only."""
    (content / "media").rename(content / "images")
    return [content / "media", content / "images"]


def folder_back(content: Path) -> list[Path]:
    (content / "images").rename(content / "media")
    return [content / "images", content / "media"]


EDITS: list[tuple[str, Edit]] = [
    ("body", edited("articles/a2.md", "More words.", "Other words, longer.")),
    ("title", edited("articles/a2.md", "title: Article two", "title: Article two, renamed")),
    ("topics", edited("articles/a5.md", "topics: [mentoring, partner-career]", "topics: [integration]")),
    ("countries", edited("articles/a6.md", "countries: [BR]", "countries: [SG, DE]")),
    ("date", edited("articles/a1.md", "date: 2025-01-03", "date: 2025-01-09")),
    ("heading removed", edited("articles/a1.md", "## Part one", "## Part 1")),
    ("heading back", edited("articles/a1.md", "## Part 1", "## Part one")),
    ("add", added("articles/new.md", article("New one", "2025-02-01", topics="mentoring"))),
    ("delete", lambda c: delete(c, "articles/a3.md")),
    ("rename", lambda c: rename(c, "articles/a4.md", "articles/a4-renamed.md")),
    ("to draft", edited("articles/a0.md", "title: Article zero", "draft: true\ntitle: Article zero")),
    ("back to published", edited("articles/a0.md", "draft: true\ntitle: Article zero", "title: Article zero")),
    ("profile private", edited("people/cy.md", "roles: [author]", "roles: [author]\npublic: false")),
    ("profile public", edited("people/cy.md", "roles: [author]\npublic: false", "roles: [author]")),
    ("author renamed", edited("people/ana.md", "name: Ana Lima", "name: Ana Lima-Berg")),
    ("broken YAML", edited("articles/a5.md", "title: Article five", "title: [Article five")),
    ("YAML fixed", edited("articles/a5.md", "title: [Article five", "title: Article five")),
    ("unknown author", edited("articles/a6.md", "authors: [ana]", "authors: [dee]")),
    ("author added", added("people/dee.md", "---\nname: Dee Roe\nroles: [author]\n---\nDee's bio.\n")),
    ("author removed", lambda c: delete(c, "people/dee.md")),
    ("author fixed", edited("articles/a6.md", "authors: [dee]", "authors: [ana]")),
    ("bad file name", added("articles/Bad_Name.md", article("Bad", "2025-02-02"))),
    ("bad file name fixed", lambda c: rename(c, "articles/Bad_Name.md", "articles/bad-name.md")),
    ("media missing", lambda c: delete(c, "media/pic.png")),
    ("media back", added("media/pic.png", "a picture again")),
    ("media folder moved", moved_folder),
    ("media folder back", folder_back),
    ("topic added", edited("topics.yml", "mentoring:", "relocation:\n  title: Relocation\nmentoring:")),
    ("topic used", edited("articles/a2.md", "topics: [mentoring]", "topics: [mentoring, relocation]")),
    ("topic removed", edited("topics.yml", "relocation:\n  title: Relocation\n", "")),
    ("topic unused", edited("articles/a2.md", "topics: [mentoring, relocation]", "topics: [mentoring]")),
    ("home removed", lambda c: delete(c, "index.md")),
    ("home back", added("index.md", "---\nsummary: Home again.\n---\nThe hub's home.\n")),
    ("new section file", added("pages/privacy.md", "---\ntitle: Privacy\n---\nNo tracking. [Home](../index.md)\n")),
    ("translation", added("articles/a2-fr.md", article("Article deux", "2025-01-04", topics="mentoring",
                                                       extra="lang: fr\ntranslation_of: articles/a2\n"))),
    ("placeholder", edited("articles/a6.md", "First paragraph", "TODO: first paragraph")),
]  # fmt: skip


@pytest.fixture(params=[120, 2], ids=["wide-window", "narrow-window"])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """A window of 2 makes each topic's window change with most edits, as on a large hub."""
    monkeypatch.setattr(relations_module, "RELATED_WINDOW", request.param)
    return request.param


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))  # the link check's "now"
    write_hub(tmp_path, FILES)
    return tmp_path / "content"


@pytest.mark.parametrize("watched", [True, False], ids=["watched", "stat"])
def test_every_edit_gives_what_a_fresh_load_gives(content: Path, window: int, watched: bool):
    serve = Serve(content, watched)
    assert_same(serve.update([], NOW), fresh(content, NOW))
    for name, edit in EDITS:
        changed = edit(content)
        try:
            assert_same(serve.update(changed, NOW), fresh(content, NOW))
        except AssertionError as exc:
            raise AssertionError(f"after {name!r}: {exc}") from exc


def test_time_passing_a_scheduled_item_publishes_it(content: Path, window: int, monkeypatch: pytest.MonkeyPatch):
    serve = Serve(content, watched=True)
    assert "articles/a7.md" not in serve.update([], NOW)[1].entries
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(LATER.timestamp())))
    assert_same(serve.update([], NOW), fresh(content, NOW))  # the link check moved on, the plan did not
    incremental = serve.update([], datetime(2025, 8, 2, tzinfo=UTC))
    assert "articles/a7.md" in incremental[1].entries
    assert_same(incremental, fresh(content, datetime(2025, 8, 2, tzinfo=UTC)))


def test_unchanged_files_give_the_same_records(content: Path):
    serve = Serve(content, watched=True)
    before = serve.update([], NOW)[0].hub
    replace(content / "articles/a2.md", "More words.", "Other words.")
    after = serve.update([content / "articles/a2.md"], NOW)[0].hub
    assert after.articles[1] is before.articles[1]  # a1: kept
    assert after.articles[2] is not before.articles[2]  # a2: read again
    assert after.people["ana"] is before.people["ana"]


def test_watched_cache_trusts_what_it_was_not_told(content: Path):
    serve = Serve(content, watched=True)
    serve.update([], NOW)
    replace(content / "articles/a2.md", "title: Article two", "title: Unreported")
    write(content / "articles/unreported.md", article("Unreported", "2025-02-03"))
    hub = serve.update([], NOW)[0].hub
    assert [a.title for a in hub.articles if a.slug in ("a2", "unreported")] == ["Article two"]
    hub = serve.update([content / "articles"], NOW)[0].hub  # a folder event: its files are looked at again
    assert [a.title for a in hub.articles if a.slug in ("a2", "unreported")] == ["Unreported", "Unreported"]
    assert "articles/unreported.md" in serve.sources.files(content).listing()


def test_a_new_folder_is_seen_from_its_own_event(content: Path):
    serve = Serve(content, watched=True)
    serve.update([], NOW)
    shutil.rmtree(content / "pages")
    serve.update([content / "pages"], NOW)
    write(content / "pages/sub/deep.md", "---\ntitle: Deep\n---\nNot a page: only pages/*.md are.\n")
    write(content / "pages/contact.md", "---\ntitle: Contact\n---\nWrite to us. [Deep](sub/deep.md)\n")
    assert_same(serve.update([content / "pages/sub/deep.md", content / "pages/contact.md"], NOW),
                fresh(content, NOW))  # fmt: skip


def test_changes_may_be_reported_from_another_thread_while_loading(content: Path):
    sources = SourceCache()
    load_content(content, SETTINGS, "en", sources=sources)
    replace(content / "articles/a2.md", "title: Article two", "title: Seen")
    sources.changed({content / "articles/a2.md"})  # a set of Paths, as the watcher collects them
    result = load_content(content, SETTINGS, "en", sources=sources)
    assert "Seen" in [a.title for a in result.hub.articles]


def test_a_load_with_other_settings_reads_every_file_again(content: Path):
    sources = SourceCache(watched=True)
    load_content(content, SETTINGS, "en", sources=sources)
    write(content / "articles/a1.md", article("Article one", "2025-01-03", extra="lang: de\ncolour: red\n"))
    sources.changed([content / "articles/a1.md"])
    singapore = parse_settings({"timezone": "Asia/Singapore", "search": False}, source="test")
    for settings, language, root in ((SETTINGS, "fr", "content"), (SETTINGS, "fr", "docs"), (singapore, "fr", "docs")):
        kept = load_content(content, settings, language, root, sources)
        expected = load_content(content, settings, language, root)
        assert (kept.hub, kept.issues) == (expected.hub, expected.issues)


def test_a_watched_folder_answers_as_the_file_system(content: Path):
    """Links, hidden files and odd names: the kept tree lists what rglob and glob would."""
    (content / "elsewhere").mkdir()
    write(content / "elsewhere/f.md", "outside")
    (content / "pages/linked").symlink_to(content / "elsewhere")  # a linked folder is not walked into
    (content / "articles/link.md").symlink_to(content / "articles/a0.md")
    (content / "articles/broken.md").symlink_to(content / "articles/nowhere.md")
    (content / "articles/folder.md").mkdir()
    write(content / ".hidden", "x")
    watched = SourceCache(watched=True).files(content)
    direct = SourceCache().files(content)
    assert sorted(watched.listing()) == sorted(direct.listing())
    for folder in ("articles", "pages", "people", "pages/linked", "missing"):
        assert watched.markdown(folder) == direct.markdown(folder), folder
    for path in ("articles/link.md", "articles/broken.md", "articles/folder.md", "pages/linked/f.md", ".hidden"):
        assert watched.is_file(path) == direct.is_file(path), path


def test_random_edits_plan_as_from_scratch(monkeypatch: pytest.MonkeyPatch):
    """Hundreds of edits to records (no files): plans made from the previous one equal fresh plans.

    Topics may repeat within an item here (the loader never lets them), which counts them twice.
    """
    monkeypatch.setattr(relations_module, "RELATED_WINDOW", 4)
    rng = random.Random(7)
    topics, countries = ("integration", "mentoring", "partner-career"), ("SG", "DE", "BR", "NO")

    def random_article(slug: str) -> Article:
        return records_kit.article(slug, rng.randrange(40), topics=rng.choices(topics, k=rng.randint(1, 3)),
                                   countries=rng.sample(countries, rng.randint(0, 2)),
                                   authors=(rng.choice(("ana", "ben")),))  # fmt: skip

    def edit(article: Article) -> Article:
        change = rng.choice(("title", "topics", "countries", "date", "draft", "author"))
        if change == "title":
            return dataclasses.replace(article, title=article.title + "!")
        if change == "topics":
            return dataclasses.replace(article, topics=tuple(rng.choices(topics, k=rng.randint(1, 3))))
        if change == "countries":
            return dataclasses.replace(article, countries=tuple(rng.sample(countries, rng.randint(0, 2))))
        if change == "date":
            return dataclasses.replace(article, date=records_kit.DAY0 + timedelta(days=rng.randrange(40)))
        if change == "draft":
            return dataclasses.replace(article, draft=not article.draft)
        return dataclasses.replace(article, authors=(rng.choice(("ana", "ben", "cy")),))

    people = [records_kit.person("ana"), records_kit.person("ben")]
    hub = records_kit.hub_of(*people, *(random_article(f"a{n}") for n in range(30)))
    now = records_kit.DAY0 + timedelta(days=30)
    memo, plan = FingerprintMemo(), None
    for step in range(300):
        articles = list(hub.articles)
        roll = rng.random()
        if roll < 0.05:
            articles.append(random_article(f"new{step}"))
        elif roll < 0.1 and len(articles) > 5:
            articles.pop(rng.randrange(len(articles)))
        else:
            index = rng.randrange(len(articles))
            articles[index] = edit(articles[index])
        hub = Hub(topics=hub.topics, articles=articles, people=hub.people)
        now += timedelta(hours=rng.choice((0, 0, 0, 12)))  # sometimes a scheduled item comes out
        result = LoadResult(hub)
        plan = plan_site(result, **plan_options(Path("content"), now), previous=plan)
        expected = plan_site(result, **plan_options(Path("content"), now))
        assert_same((result, plan, fingerprints(plan, memo)), (result, expected, fingerprints(expected)))
