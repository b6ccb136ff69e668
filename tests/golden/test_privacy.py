"""Nothing private leaks: canaries planted in a draft, scheduled items, a private profile and
`email` fields must appear in no file of the built site (pages, feeds, sitemap, Pagefind index)
and in no file name. A control canary in a published article proves the scan would see a leak.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.golden.conftest import BuiltSite, build_at
from tests.hubkit import write_hub

CONTROL = "canarycontrolqx"  # published: must be found, or the scan proves nothing
CANARIES = [
    "canarydraftslugqx", "canarydrafttitleqx", "canarydraftbodyqx",  # a draft article
    "canaryfutureslugqx", "canaryfuturetitleqx", "canaryfuturebodyqx",  # a scheduled article
    "canaryfuturestoryqx", "canaryfuturepartnerqx",  # a scheduled story
    "canaryidqx", "canaryheadlineqx", "canaryprivatebioqx", "canaryphotoqx",  # a private profile
    "canarymailprivateqx", "canarymailpublicqx",  # e-mail addresses
    "canarydraftpersonqx", "canarydraftpageqx", "canarydigestqx", "canarydraftimageqx",
    "canarydraftfrslugqx", "canarydraftfrbodyqx", "canaryfuturefrbodyqx",  # unpublished French translations
]  # fmt: skip

FILES = {
    "people/ana.md": """\
        ---
        name: Ana Lima
        roles: [author]
        email: canarymailpublicqx@example.org
        joined: 2025-01-01
        ---
        Ana writes.
        """,
    "people/canaryidqx.md": """\
        ---
        name: Sam Private
        roles: [author, partner]
        headline: canaryheadlineqx
        photo: ../media/canaryphotoqx.svg
        location: IS
        lived_in: [FI]
        expertise: [mentoring]
        email: canarymailprivateqx@example.org
        public: false
        joined: 2025-06-01
        ---
        canaryprivatebioqx
        """,
    "people/drafted.md": """\
        ---
        name: canarydraftpersonqx
        roles: [coach]
        draft: true
        ---
        Not yet.
        """,
    "articles/canarycontrolqx.md": """\
        ---
        title: Written together canarycontrolqx
        date: 2025-11-12
        authors: [ana, canaryidqx]
        topics: [integration]
        ---
        A published article, canarycontrolqx.
        """,
    "articles/controle-canarycontrolqx.md": """\
        ---
        title: Écrit à deux canarycontrolqx
        date: 2025-11-13
        lang: fr
        translation_of: articles/canarycontrolqx
        authors: [ana, canaryidqx]
        topics: [integration]
        ---
        Un article publié, canarycontrolqx.
        """,
    "articles/canarydraftfrslugqx.md": """\
        ---
        title: Brouillon
        date: 2025-11-10
        lang: fr
        translation_of: articles/canarydraftslugqx
        authors: [ana]
        topics: [integration]
        draft: true
        ---
        Pas encore canarydraftfrbodyqx.
        """,
    "articles/futur-fr.md": """\
        ---
        title: Plus tard
        date: 2026-02-01
        lang: fr
        translation_of: articles/canarycontrolqx
        authors: [ana]
        topics: [integration]
        ---
        Plus tard canaryfuturefrbodyqx.
        """,
    "articles/canarydraftslugqx.md": """\
        ---
        title: canarydrafttitleqx
        date: 2025-11-10
        authors: [ana]
        topics: [integration]
        countries: [LI]
        image: ../media/canarydraftimageqx.svg
        image_alt: A draft image
        draft: true
        ---
        canarydraftbodyqx
        """,
    "articles/canaryfutureslugqx.md": """\
        ---
        title: canaryfuturetitleqx
        date: 2026-06-01
        authors: [ana]
        topics: [integration]
        ---
        canaryfuturebodyqx
        """,
    "stories/canaryfuturestoryqx.md": """\
        ---
        title: A scheduled story
        date: 2026-01-01T00:00:01Z
        partner_name: canaryfuturepartnerqx
        from: MC
        to: AD
        topics: [integration]
        ---
        Later.
        """,
    "stories/quiet.md": """\
        ---
        title: A quiet partner's story
        date: 2025-10-01
        partner: canaryidqx
        from: DE
        to: NO
        interviewer: ana
        topics: [integration]
        ---
        A published story about a private person.
        """,
    "pages/canarydraftpageqx.md": """\
        ---
        title: Draft page
        draft: true
        ---
        Not yet.
        """,
    "digests/2026-q1.md": """\
        ---
        title: canarydigestqx
        period: 2026-Q1
        date: 2026-04-01
        ---
        A future issue.
        """,
    "media/canaryphotoqx.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "media/canarydraftimageqx.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def readable(path: Path) -> str:
    """A file's text, gzip (sitemap.xml.gz, Pagefind's index and fragments) undone, lowercased."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace").lower()


@pytest.fixture(scope="module")
def private_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("privacy")
    config = write_hub(root, FILES, hub={"search": True, "feeds": {"full_archive": True}, "languages": ["en", "fr"]})
    build_at(config)  # now = 2026-01-01T00:00:00Z
    return BuiltSite(root, config, root / "site")


@pytest.fixture(scope="module")
def site_text(private_site: BuiltSite) -> dict[str, str]:
    return {p.relative_to(private_site.site).as_posix(): readable(p) for p in private_site.files()}


def test_the_control_canary_is_found_everywhere_it_should_be(site_text: dict[str, str]):
    found = {path for path, text in site_text.items() if CONTROL in text}
    assert "articles/canarycontrolqx/index.html" in found
    assert {"feeds/all.atom.xml", "feed.json", "sitemap.xml", "sitemap.xml.gz"} <= found
    # Every language is scanned too: its pages, listings and feeds.
    assert {"fr/articles/controle-canarycontrolqx/index.html", "fr/articles/index.html", "fr/feeds/all.atom.xml",
            "fr/feed.json"} <= found  # fmt: skip
    assert any(path.startswith("pagefind/fragment/") for path in found)  # the search index is scanned too
    assert any(path.startswith("pagefind/index/") for path in found)


@pytest.mark.parametrize("canary", CANARIES)
def test_no_canary_in_any_file(site_text: dict[str, str], canary: str):
    assert [path for path, text in site_text.items() if canary in text] == []


def test_no_canary_in_any_file_name(site_text: dict[str, str]):
    assert [path for path in site_text if any(canary in path for canary in CANARIES)] == []


def test_places_only_private_or_unpublished_content_mentions_have_no_page(private_site: BuiltSite):
    countries = sorted(p.parent.name for p in (private_site.site / "countries").glob("*/index.html"))
    assert countries == ["de", "no"]  # not IS/FI (private person), LI (draft), MC/AD (scheduled)
    assert not (private_site.site / "people" / "canaryidqx").exists()


def test_a_private_author_or_partner_is_a_plain_name(private_site: BuiltSite):
    url = "articles/canarycontrolqx/"
    page = private_site.page(url)
    byline = page.find("dl", cls="hub-meta")
    assert "Ana Lima, Sam Private" in byline.text
    assert [text for text, _ in private_site.links(url, byline) if text in ("Ana Lima", "Sam Private")] == ["Ana Lima"]
    story = private_site.page("stories/quiet/")
    assert "Sam Private" in story.find("dl", cls="hub-meta").text
    assert all(text != "Sam Private" for text, _ in private_site.links("stories/quiet/"))
    feed = json.loads((private_site.site / "feed.json").read_text())
    (article,) = [item for item in feed["items"] if item["id"].endswith("/canarycontrolqx/")]
    assert article["authors"] == [{"name": "Ana Lima", "url": "https://hub.test/people/ana/"}, {"name": "Sam Private"}]
    assert [item["id"] for item in feed["items"] if item["_mobility_hub"]["type"] == "person"] == [
        "https://hub.test/people/ana/"]  # the private person's `joined` makes no entry
