"""Editor text is text everywhere: a hostile title, summary and name come back unchanged from
every output (HTML text and attributes, listings, Atom, JSON-LD, JSON Feed, Pagefind) and never
become markup.
"""

from __future__ import annotations

import json

import feedparser
import pytest

from tests.golden.conftest import BuiltSite, build_at
from tests.golden.htmlkit import parse_html, script_bodies
from tests.hubkit import write_hub
from tests.pagefind_index import fragments

HOSTILE = '</script><script>alert(1)</script> "quotes" & <b>bold</b>'
SUMMARY = "Summary </script><script>alert(2)</script> 'single' & \"double\" <i>em</i>"
NAME = 'Eve </script><script>alert(3)</script> "E" & <u>co</u>'
HEADLINE = "Coach <img src=x onerror=alert(4)> & more"
SITE = " · Test Hub"


def quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


FILES = {
    "people/eve.md": f"""\
        ---
        name: {quoted(NAME)}
        roles: [author, mentor]
        headline: {quoted(HEADLINE)}
        mentoring: true
        joined: 2025-01-01
        ---
        Eve's bio.
        """,
    "articles/hostile.md": f"""\
        ---
        title: {quoted(HOSTILE)}
        summary: {quoted(SUMMARY)}
        date: 2025-11-12
        authors: [eve]
        topics: [integration]
        image: https://images.test/a.jpg
        image_alt: {quoted(HOSTILE)}
        ---
        The body is Markdown and may hold HTML on purpose.
        """,
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("escaping")
    config = write_hub(root, FILES, hub={"search": True})
    build_at(config)
    return BuiltSite(root, config, root / "site")


def html_files(built: BuiltSite) -> list[str]:
    return [p.relative_to(built.site).as_posix() for p in built.files() if p.suffix == ".html"]


def test_no_editor_text_becomes_markup_in_any_page(hostile_site: BuiltSite):
    for rel in html_files(hostile_site):
        html = hostile_site.html(rel)
        assert "<script>alert(" not in html, rel
        assert "<b>bold</b>" not in html and "<u>co</u>" not in html and "<i>em</i>" not in html, rel
        assert "<img src=x" not in html, rel
        document = parse_html(html)
        assert not [node for node in document.iter() if node.tag in ("b", "u") or "onerror" in node.attrs], rel


def test_article_page_shows_the_text_exactly(hostile_site: BuiltSite):
    url = "articles/hostile/"
    page = hostile_site.page(url)
    assert page.find("title").text == HOSTILE + SITE
    assert page.find("h1").text == HOSTILE
    assert page.find("p", cls="hub-lede").text == " ".join(SUMMARY.split())
    for key in ("description", "og:description", "twitter:description"):
        assert page.meta(key) == SUMMARY, key
    assert page.meta("og:title") == page.meta("twitter:title") == HOSTILE
    assert page.meta("og:image:alt") == HOSTILE
    assert page.find("figure").find("img").attrs["alt"] == HOSTILE
    assert (NAME, "people/eve/") in hostile_site.links(url, page.find("dl", cls="hub-meta"))


def test_json_ld_cannot_close_its_script_element(hostile_site: BuiltSite):
    for url, key, expected in (("articles/hostile/", "headline", HOSTILE), ("people/eve/", "mainEntity", NAME)):
        (body,) = script_bodies(hostile_site.html(url), "application/ld+json")
        assert "</script" not in body.lower() and "<" not in body
        document = json.loads(body)
        value = document[key]["name"] if key == "mainEntity" else document[key]
        assert value == expected
    (article,) = hostile_site.page("articles/hostile/").json_ld()
    assert article["description"] == SUMMARY
    assert article["author"][0]["name"] == NAME
    (profile,) = hostile_site.page("people/eve/").json_ld()
    assert profile["mainEntity"]["description"] == HEADLINE


def test_listings_and_cards(hostile_site: BuiltSite):
    for url in ("articles/", "", "topics/integration/", "people/eve/", "archive/2025/"):
        links = [text for text, target in hostile_site.links(url) if target == "articles/hostile/"]
        assert HOSTILE in links, url
    card = hostile_site.page("articles/").find("article", cls="hub-card")
    assert card.find("p", cls="hub-card__summary").text == " ".join(SUMMARY.split())
    assert card.find("p", cls="hub-card__byline").text == NAME


def test_profile_page_and_directory(hostile_site: BuiltSite):
    page = hostile_site.page("people/eve/")
    assert page.find("title").text == NAME + SITE
    assert page.find("h1").text == NAME
    assert page.find("p", cls="hub-lede").text == HEADLINE
    assert page.meta("og:title") == NAME
    assert page.meta("description") == HEADLINE
    directory = hostile_site.page("people/")
    assert directory.find(cls="hub-person__name").text == NAME
    assert directory.find("p", cls="hub-person__headline").text == HEADLINE


def test_atom_feed_gives_back_the_original_text(hostile_site: BuiltSite):
    raw = (hostile_site.site / "feeds" / "all.atom.xml").read_text()
    assert "<script>" not in raw and "<b>" not in raw
    feed = feedparser.parse(raw.encode())
    assert feed.bozo == 0
    entries = {entry.id: entry for entry in feed.entries}
    article = entries["https://hub.test/articles/hostile/"]
    assert article.title == HOSTILE
    assert article.title_detail.type == "text/plain"
    assert article.summary == SUMMARY
    assert article.authors[0].name == NAME
    assert [link.title for link in article.links if link.rel == "enclosure"] == [HOSTILE]
    person = entries["https://hub.test/people/eve/"]
    assert person.title == NAME and person.summary == HEADLINE


def test_json_feed_gives_back_the_original_text(hostile_site: BuiltSite):
    feed = json.loads((hostile_site.site / "feed.json").read_text(encoding="utf-8"))
    items = {item["id"]: item for item in feed["items"]}
    article = items["https://hub.test/articles/hostile/"]
    assert (article["title"], article["summary"], article["authors"][0]["name"]) == (HOSTILE, SUMMARY, NAME)
    assert items["https://hub.test/people/eve/"]["title"] == NAME


def pagefind_fragments(built: BuiltSite) -> dict[str, dict]:
    return {fragment["url"]: fragment for fragment in fragments(built.site)}


def test_search_metadata_holds_the_text_exactly(hostile_site: BuiltSite):
    fragments = pagefind_fragments(hostile_site)
    article = fragments["/articles/hostile/"]
    assert article["meta"]["title"] == HOSTILE
    assert article["meta"]["summary"] == " ".join(SUMMARY.split())
    assert article["meta"]["image_alt"] == HOSTILE
    person = fragments["/people/eve/"]
    assert person["meta"]["title"] == NAME
    assert person["meta"]["summary"] == HEADLINE
    assert HOSTILE in article["content"]
