"""publish.write_feeds with a FeedCache: the same bytes as the writer it replaced, edit after edit.

The oracle is feeds_reference.py, the ElementTree writer as it was. Every step of a series
of edits is written three ways (the reference into a fresh folder, one long-lived cache into
one live folder, and a cache saved and loaded again, as a new build process would) and the
files must be identical.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import pickle
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.build.feed_cache import CACHE_FILE, FeedCache, entry_key
from generator.build.publish import write_feeds
from generator.content.settings import parse_settings
from generator.content.source_cache import SourceCache
from generator.site import feeds
from generator.site.feed_formats import atom_feed, json_feed
from generator.site.feeds import Author, Category, FeedEntry, absolutize, feed_specs
from generator.site.plan import SitePlan, load_checked, load_content, plan_site
from tests.hubkit import TOPICS, write_hub
from tests.unit.build import feeds_reference as reference

NOW = datetime(2026, 1, 1, tzinfo=UTC)
# The loader refuses C0 control characters in titles (XML cannot carry them); the
# escaping of those is tested on strings below (TRICKY).
HOSTILE = "</title><b>bold</b> & \"quotes\" 'single' \u2028 \u0085 \t tab"

FILES = {
    "media/ana.svg": "<svg/>",
    "people/ana.md": """\
        ---
        name: Ana Lima
        roles: [author, mentor]
        joined: 2025-06-01
        photo: ../media/ana.svg
        photo_alt: Ana's initials
        location: DE
        lived_in: [FR, BR]
        expertise: [integration, mentoring]
        ---
        Ana's bio.
        """,
    "people/bo.md": """\
        ---
        name: Bo Berg
        roles: [author]
        public: false
        ---
        Bo's bio.
        """,
    "people/cy.md": """\
        ---
        name: Cy Diaz
        roles: [coach]
        joined: 2025-09-01T08:00:00+02:00
        ---
        Cy's bio.
        """,
    "articles/a1.md": """\
        ---
        title: Settling in
        date: 2025-11-03T10:00:00+01:00
        authors: [ana]
        topics: [integration, mentoring]
        countries: [DE, FR]
        audience: [partners, hr]
        featured: true
        image: https://images.test/a1.png
        image_alt: A street in Berlin
        source:
          name: Mobility Review
          url: https://review.test/settling
        ---
        Body.
        """,
    "articles/a2.md": """\
        ---
        title: Private author
        date: 2025-11-02
        updated: 2025-12-01
        authors: [bo]
        topics: [partner-career]
        ---
        Body.
        """,
    "articles/a3.md": """\
        ---
        title: Auf Deutsch
        lang: de
        date: 2025-11-01
        authors: [ana, bo]
        topics: [integration]
        ---
        Body.
        """,
    "articles/later.md": """\
        ---
        title: Scheduled
        date: 2026-02-01
        authors: [ana]
        topics: [integration]
        ---
        Body.
        """,
    "stories/s1.md": """\
        ---
        title: A story
        date: 2025-10-30
        partner_name: Hana
        from: KR
        to: CH
        interviewer: ana
        topics: [integration]
        ---
        Body.
        """,
    "stories/s2.md": """\
        ---
        title: Without interviewer
        date: 2025-10-29
        partner_name: Rui
        topics: [partner-career]
        from: BR
        to: NL
        image: ../media/ana.svg
        image_alt: Initials
        ---
        Body.
        """,
}

LINKS = (
    '<p>See <a href="../a2/">a2</a>, <a href="media/x.png">x</a>, <a href="#top">top</a>,'
    ' <a href="mailto:a@b.test">mail</a>, <img src="data:image/png;base64,AA">,'
    ' <a href="https://other.test/">other</a>, <a href="/abs/path">abs</a>,'
    ' <a href="?q=1">query</a>, <a href="x;p">params</a>, <a href="//cdn.test/x">cdn</a>,'
    ' <a href="a//b/./c/../d">dots</a>, <a href="../../../../../up">up</a>, <a href="">empty</a>,'
    ' <a href="x#frag">frag</a>, <a href="x#">bare</a>, <a\thref="tab">tab</a>, <a xhref="no">no</a>,'
    ' <a data-src="no">no</a> & entities &amp; <b>bold</b>\x01</p>\n<pre>line\r\nbreak</pre>'
)


@dataclasses.dataclass
class Hub:
    """A small hub in a folder, and what else goes into a plan: edited in place by each step."""

    root: Path
    files: dict[str, str]
    html: dict[str, str]
    hub: dict
    site_url: str = "https://hub.test/"
    site_name: str = "Test Hub"
    language: str = "en"
    topics: dict = dataclasses.field(default_factory=lambda: dict(TOPICS))

    def plan(self, sources: SourceCache | None = None) -> SitePlan:
        """With sources (as `hub serve` loads), only the files that changed are written and
        read again, so unchanged records stay the same objects."""
        content = self.root / "content"
        before = files_of(content) if content.exists() else {}
        if content.exists():
            for path in sorted(content.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
        write_hub(self.root, self.files, topics=self.topics)
        languages = list(dict.fromkeys([self.language, "en", "de"]))  # a3.md is in German
        settings = parse_settings({"timezone": "Europe/Amsterdam", "languages": languages, **self.hub})
        if sources is None:
            loaded = load_checked(content, settings, self.language)
        else:
            after = files_of(content)
            sources.changed(
                content / name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
            )
            loaded = load_content(content, settings, self.language, sources=sources)
            assert not loaded.errors
        return plan_site(loaded, settings=settings, site_name=self.site_name, site_url=self.site_url,
                         language=self.language, now=NOW)  # fmt: skip


def replace_line(hub: Hub, path: str, old: str, new: str) -> None:
    assert old in hub.files[path], (path, old)
    hub.files[path] = hub.files[path].replace(old, new)


def remove(hub: Hub, path: str) -> None:
    del hub.files[path]
    del hub.html[path]


EDITS: list[tuple[str, Callable[[Hub], None]]] = [
    ("first write", lambda h: None),
    ("nothing", lambda h: None),
    ("one body", lambda h: h.html.update({"articles/a2.md": h.html["articles/a2.md"] + "<p>Added.</p>"})),
    ("one title", lambda h: replace_line(h, "articles/a1.md", "title: Settling in", "title: Settling in, again")),
    (
        "hostile title",
        lambda h: replace_line(h, "articles/a1.md", "title: Settling in, again", f"title: {json.dumps(HOSTILE)}"),
    ),
    ("a person's name", lambda h: replace_line(h, "people/ana.md", "name: Ana Lima", "name: Ana Maria Lima")),
    ("a person made public", lambda h: replace_line(h, "people/bo.md", "public: false", "public: true")),
    # a1's entry gains a hreflang link to it, though a1 itself is unchanged.
    ("a translation added", lambda h: h.files.update({"articles/a1-de.md": FILES["articles/a3.md"].replace(
        "lang: de", "lang: de\n        translation_of: articles/a1")})),  # fmt: skip
    ("a topic's title", lambda h: h.topics.update({"integration": {"title": "Networks", "description": "x"}})),
    (
        "same instant, another offset",
        lambda h: replace_line(h, "articles/a1.md", "2025-11-03T10:00:00+01:00", "2025-11-03T09:00:00+00:00"),
    ),
    ("an image's type", lambda h: replace_line(h, "articles/a1.md", "a1.png", "a1.webp")),
    ("an image's alt text", lambda h: replace_line(h, "articles/a1.md", "A street in Berlin", "A street")),
    ("a source", lambda h: replace_line(h, "articles/a1.md", "name: Mobility Review", "name: Review & Co")),
    ("a date that reorders", lambda h: replace_line(h, "articles/a3.md", "date: 2025-11-01", "date: 2025-11-05")),
    ("site url", lambda h: setattr(h, "site_url", "https://hub.test/sub/")),
    ("site name", lambda h: setattr(h, "site_name", 'Hub <&> "Two"')),
    ("site language", lambda h: setattr(h, "language", "de")),
    ("limit", lambda h: h.hub.update({"feeds": {"limit": 2}})),
    ("full archive", lambda h: h.hub.update({"feeds": {"limit": 2, "full_archive": True}})),
    ("an entry removed", lambda h: remove(h, "articles/a2.md")),
    ("an entry added", lambda h: h.files.update({"articles/a4.md": FILES["articles/a2.md"].replace("bo]", "ana]")})),
    ("no feeds limit left", lambda h: h.hub.update({"feeds": {"limit": 50}})),
    ("nothing again", lambda h: None),
]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    html = {path: f"<h2>{path}</h2>\n{LINKS}" for path in FILES if path.endswith(".md")}
    return Hub(tmp_path / "hub", dict(FILES), html, {})


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_feeds(expected: Path, actual: Path, step: str) -> None:
    wanted = files_of(expected)
    got = files_of(actual)
    assert wanted, step
    for name, data in wanted.items():
        assert got.get(name) == data, f"{step}: {name} differs"


def test_cached_writes_are_the_reference_bytes_edit_after_edit(hub: Hub, tmp_path: Path):
    live, reloaded_live = tmp_path / "live", tmp_path / "reloaded"
    cache, cache_file = FeedCache(), tmp_path / "cache" / CACHE_FILE
    for number, (step, edit) in enumerate(EDITS):
        edit(hub)
        plan = hub.plan()
        expected = tmp_path / f"expected-{number}"
        reference.write_feeds(plan, hub.html, expected)
        write_feeds(plan, hub.html, live, cache)
        assert_same_feeds(expected, live, step)
        if step.startswith("nothing"):
            assert cache.rendered == 0, step
        assert cache.save(cache_file)
        reloaded = FeedCache.load(cache_file)  # the next build process
        write_feeds(plan, hub.html, reloaded_live, reloaded)
        assert_same_feeds(expected, reloaded_live, step)
        assert reloaded.rendered == 0, step
        write_feeds(plan, hub.html, tmp_path / f"uncached-{number}")
        assert_same_feeds(expected, tmp_path / f"uncached-{number}", step)


def test_a_preview_reuses_unchanged_entries_and_still_writes_the_reference_bytes(hub: Hub, tmp_path: Path):
    sources, cache = SourceCache(), FeedCache()
    for number, (step, edit) in enumerate(EDITS):
        edit(hub)
        plan = hub.plan(sources)
        expected = tmp_path / f"expected-{number}"
        reference.write_feeds(plan, hub.html, expected)
        last = {id(entry): entry for _, entry in cache.entries.kept.values()}
        write_feeds(plan, hub.html, tmp_path / "live", cache)
        assert_same_feeds(expected, tmp_path / "live", step)
        if step.startswith("nothing"):
            assert all(last.get(id(entry)) is entry for _, entry in cache.entries.kept.values()), step
            assert cache.rendered == 0, step


# Seven entries (a1, a2, a3, s1, s2, and Cy and Ana, who joined), each an Atom entry and a JSON item.
FRESH = 7 + 7


def test_an_edit_serializes_only_the_entry_it_touches(hub: Hub, tmp_path: Path):
    cache = FeedCache()
    write_feeds(hub.plan(), hub.html, tmp_path, cache)
    assert cache.rendered == FRESH
    hub.html["articles/a2.md"] += "<p>Added.</p>"
    write_feeds(hub.plan(), hub.html, tmp_path, cache)
    assert cache.rendered == 2
    replace_line(hub, "people/ana.md", "name: Ana Lima", "name: Ana Maria Lima")
    write_feeds(hub.plan(), hub.html, tmp_path, cache)
    assert cache.rendered == 2 * 4  # her profile, her two articles and the story she interviewed for


def test_unchanged_feed_files_keep_their_mtime(hub: Hub, tmp_path: Path):
    cache, site = FeedCache(), tmp_path / "site"
    write_feeds(hub.plan(), hub.html, site, cache)
    written = [path for path in site.rglob("*") if path.is_file()]
    past = 1_000_000_000
    for path in written:
        os.utime(path, (past, past))
    write_feeds(hub.plan(), hub.html, site, cache)
    assert [path.stat().st_mtime for path in written] == [past] * len(written)
    replace_line(hub, "stories/s2.md", "title: Without interviewer", "title: Still without interviewer")
    write_feeds(hub.plan(), hub.html, site, cache)
    rewritten = sorted(p.relative_to(site).as_posix() for p in written if p.stat().st_mtime != past)
    site_feeds = ["feed.json", "feeds/all.atom.xml", "feeds/stories.atom.xml", "feeds/topics/partner-career.atom.xml"]
    # The German feeds list the English story too (no German version of it: a fallback).
    assert rewritten == sorted([f"de/{path}" for path in site_feeds] + site_feeds)


def test_the_cache_keeps_only_what_the_last_write_used(hub: Hub, tmp_path: Path):
    cache, cache_file = FeedCache(), tmp_path / CACHE_FILE
    write_feeds(hub.plan(), hub.html, tmp_path / "site", cache)
    full = hub.plan()
    hub.hub = {"feeds": {"limit": 1}}
    write_feeds(hub.plan(), hub.html, tmp_path / "site", cache)
    cache.save(cache_file)
    again = FeedCache.load(cache_file)
    write_feeds(full, hub.html, tmp_path / "site", again)
    # With limit 1 the feeds held a1 (all, articles, two topics), s1 (stories) and a2 (a topic),
    # and feed.json a1: the other four Atom entries and six JSON items are serialized again.
    assert again.rendered == 4 + 6


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps({"some": "dict"}),
        pickle.dumps(("mobility-hub feed cache 1", b"another salt", {}, {})),
        pickle.dumps(datetime(2026, 1, 1)),  # a global reference: refused, not imported
        b"cos\nsystem\n(S'echo pwned > pwned.txt'\ntR.",
    ],
    ids=["empty", "garbage", "foreign dict", "other code", "global", "code"],
)
def test_a_corrupt_or_foreign_cache_file_means_an_empty_cache(hub: Hub, tmp_path: Path, content: bytes):
    cache_file = tmp_path / CACHE_FILE
    cache_file.write_bytes(content)
    cache = FeedCache.load(cache_file)
    write_feeds(hub.plan(), hub.html, tmp_path / "site", cache)
    assert cache.rendered == FRESH
    assert not (Path.cwd() / "pwned.txt").exists() and not (tmp_path / "pwned.txt").exists()
    assert cache.save(cache_file)
    write_feeds(hub.plan(), hub.html, tmp_path / "site", FeedCache.load(cache_file))  # the file is ours again


def test_a_truncated_cache_file_means_an_empty_cache(hub: Hub, tmp_path: Path):
    cache_file = tmp_path / CACHE_FILE
    cache = FeedCache()
    write_feeds(hub.plan(), hub.html, tmp_path / "site", cache)
    cache.save(cache_file)
    cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
    truncated = FeedCache.load(cache_file)
    write_feeds(hub.plan(), hub.html, tmp_path / "site", truncated)
    assert truncated.rendered == FRESH


def test_a_missing_or_unwritable_cache_is_no_error(hub: Hub, tmp_path: Path):
    cache = FeedCache.load(tmp_path / "missing" / CACHE_FILE)
    write_feeds(hub.plan(), hub.html, tmp_path / "site", cache)
    assert cache.rendered == FRESH
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    assert cache.save(tmp_path / "blocked" / CACHE_FILE) is False
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind
    blocked = FeedCache.load(tmp_path / "blocked" / CACHE_FILE)
    write_feeds(hub.plan(), hub.html, tmp_path / "site", blocked)
    assert blocked.rendered == FRESH


# --- The key: every field of an entry changes it ---------------------------------------------

BASE = FeedEntry(
    kind="article", url="https://hub.test/articles/a/", title="Title", summary="Summary",
    content_html='<p><a href="../b/">b</a></p>', published=datetime(2025, 11, 3, 10, tzinfo=UTC),
    updated=datetime(2025, 11, 4, 10, tzinfo=UTC), lang="en",
    authors=(Author("Ana", "https://hub.test/people/ana/"),),
    categories=(Category("integration", "https://hub.test/topics/", "Integration"),),
    topics=("integration",), via=("https://source.test/", "Source"), image=("https://img.test/a.png", "Alt"),
    translations=(("fr", "https://hub.test/fr/articles/a-fr/"),),
)  # fmt: skip


def variants_of(value: object) -> list:
    """Other values of the same shape: each piece changed in turn, and tuples one longer and shorter."""
    if isinstance(value, str):
        return [value + "x"]
    if isinstance(value, datetime):
        return [value + timedelta(seconds=1)]
    if isinstance(value, tuple):
        changed = [value[:i] + (other,) + value[i + 1 :] for i, item in enumerate(value) for other in variants_of(item)]
        return [*changed, value + value[-1:], value[:-1]]
    if dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        return [
            dataclasses.replace(value, **{f.name: other})
            for f in fields
            for other in variants_of(getattr(value, f.name))
        ]
    raise AssertionError(f"no variants for {value!r}")


def variants() -> list[tuple[str, FeedEntry]]:
    """BASE with one field changed, for every way variants_of changes it (and None where it may be None)."""
    found = []
    for field in dataclasses.fields(FeedEntry):
        others = variants_of(getattr(BASE, field.name)) + ([None] if field.default is None else [])
        found += [(f"{field.name}-{number}", dataclasses.replace(BASE, **{field.name: other}))
                  for number, other in enumerate(others)]  # fmt: skip
    return found


@pytest.mark.parametrize(("name", "entry"), variants(), ids=[name for name, _ in variants()])
def test_every_field_of_an_entry_is_in_its_key(name: str, entry: FeedEntry):
    assert entry_key(entry) != entry_key(BASE)


def test_the_key_tells_apart_what_compares_equal_but_is_written_differently():
    amsterdam = timezone(timedelta(hours=1))
    same_instant = BASE.published.astimezone(amsterdam)
    assert same_instant == BASE.published
    assert entry_key(dataclasses.replace(BASE, published=same_instant)) != entry_key(BASE)
    assert entry_key(dataclasses.replace(BASE, authors=(Author("Ana", None),))) != entry_key(
        dataclasses.replace(BASE, authors=(Author("Ana", "None"),))
    )
    assert entry_key(dataclasses.replace(BASE, via=None)) != entry_key(dataclasses.replace(BASE, via=("", "")))
    assert entry_key(BASE) == entry_key(dataclasses.replace(BASE))


# --- The string-built serializer and the faster link rewriting against the old code ------------

TRICKY = ["", "<", ">", "&", "&amp;", '"', "'", "\r", "\n", "\r\n", "\t", "\x01", "\x0b", "\x7f", "\u2028",
          "\ud800", "é", "😀", "]]>", " ", "  ", "a", "https://x.test/?a=1&b=2"]  # fmt: skip


def hostile(rng: random.Random) -> str:
    return "".join(rng.choice(TRICKY) for _ in range(rng.randrange(0, 6)))


def test_serialized_entries_match_elementtree_on_hostile_text(hub: Hub):
    plan = hub.plan()
    spec = feed_specs(plan)[0]
    rng = random.Random(4287)
    for _ in range(300):
        entry = dataclasses.replace(
            BASE, title=hostile(rng), summary=hostile(rng), content_html=hostile(rng), lang=hostile(rng) or "en",
            authors=(Author(hostile(rng), rng.choice([None, hostile(rng)])),),
            categories=(Category(hostile(rng), hostile(rng), hostile(rng)),) * rng.randrange(0, 3),
            via=rng.choice([None, (hostile(rng), hostile(rng))]),
            image=rng.choice([None, (hostile(rng), hostile(rng))]),
        )  # fmt: skip
        reference_entry = dataclasses.replace(entry, content_html=reference.absolutize(entry.content_html, entry.url))
        assert atom_feed(plan, spec, [entry]) == reference.atom_feed(plan, spec, [reference_entry])
        try:
            expected = reference.json_feed(plan, [reference_entry])
        except UnicodeEncodeError:  # a lone surrogate can't be UTF-8 in JSON: both refuse it
            with pytest.raises(UnicodeEncodeError):
                json_feed(plan, [entry])
        else:
            assert json_feed(plan, [entry]) == expected


def test_empty_feeds_match_elementtree(hub: Hub):
    plan = hub.plan()
    for spec in feed_specs(plan):
        assert atom_feed(plan, spec, []) == reference.atom_feed(plan, spec, [])
    assert json_feed(plan, []) == reference.json_feed(plan, [])


LINK_PIECES = [' href="', ' src="', "\thref=\"", "\nsrc='", 'xhref="', 'data-src="', '"', ">", "<a", "#", "#x",
               "mailto:", "data:", "://", "https://o.test", "//h", "/", "../", "./", "..", ".", "a", "b/", "?q=1",
               ";p", "%20", "~", "-", "_", ":", "é", "\u00a0", " ", "\t", "\n", "&amp;"]  # fmt: skip
BASES = ["https://hub.test/articles/a/", "https://hub.test/", "https://hub.test", "https://hub.test/sub/de/people/x/",
         "http://h.test/a/b", "https://h.test/a/?q#f", "https://h.test//a//b/", "HTTPS://Hub.Test/x/", "file:///tmp/a/",
         "hub.test/relative/", ""]  # fmt: skip


def test_absolutize_rewrites_exactly_what_the_regular_expression_did():
    rng = random.Random(3986)
    for _ in range(3000):
        html = "".join(rng.choice(LINK_PIECES) for _ in range(rng.randrange(1, 24)))
        base = rng.choice(BASES)
        assert absolutize(html, base) == reference.absolutize(html, base), (html, base)


def test_the_shortcut_for_plain_relative_paths_is_urljoin():
    pieces = ["a", "b", ".", "..", "", "x.y", "~u", "%20", "-_"]
    values = {"/".join(path) for length in (1, 2, 3) for path in itertools.product(pieces, repeat=length)}
    for base in BASES:
        for value in sorted(values):
            assert feeds._join(base, value) == urljoin(base, value), (base, value)
