"""The minimal golden hub (sites/minimal): the output's shape, then every page kind, checked by targeted assertions.

The structure is compared with expected/minimal/paths.txt (rewrite it with
`pytest tests/golden --update-golden` and review the diff); page contents are
checked by what a reader needs to see, not by a full-HTML diff.
"""

from __future__ import annotations

import gzip
import posixpath
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from tests.golden.conftest import EXPECTED, BuiltSite
from tests.golden.htmlkit import Node
from tests.hubkit import THEME_DIR

SITE_URL = "https://hub.test/"


def normalized_paths(built: BuiltSite) -> list[str]:
    """Every output file, without Material's own assets (their names carry version hashes)."""
    ours = {path.relative_to(THEME_DIR).as_posix() for path in THEME_DIR.rglob("*") if path.is_file()}
    paths = []
    for path in built.files():
        rel = path.relative_to(built.site).as_posix()
        if not rel.startswith("assets/") or rel in ours:
            paths.append(rel)
    return sorted(paths)


def test_output_paths_match_the_golden_list(minimal_site: BuiltSite, update_golden: bool):
    expected_file = EXPECTED / "minimal" / "paths.txt"
    actual = normalized_paths(minimal_site)
    if update_golden:
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text("\n".join(actual) + "\n", encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8").split(), (
        "the site's structure changed: review, then run `pytest tests/golden --update-golden`"
    )


def html_pages(built: BuiltSite) -> list[str]:
    return [p.relative_to(built.site).as_posix() for p in built.files() if p.suffix == ".html"]


def test_every_internal_link_and_image_resolves(minimal_site: BuiltSite):
    dead = []
    for rel in html_pages(minimal_site):
        base = posixpath.dirname(rel)
        for node in minimal_site.page(rel).iter():
            for attr in ("href", "src"):
                value = node.attrs.get(attr)
                if not value or value.startswith(("#", "mailto:", "data:")) or urlsplit(value).scheme:
                    continue
                target = posixpath.normpath(posixpath.join(base, unquote(urlsplit(value).path))).lstrip("/")
                path = minimal_site.site / target
                if not (path.is_file() or (path / "index.html").is_file()):
                    dead.append(f"{rel}: {value}")
    assert dead == []


# --- item pages ---------------------------------------------------------------------------------


def item_meta(page: Node) -> dict[str, Node]:
    """The <dl class="hub-meta"> of an item page, by its <dt> label."""
    meta = page.find("dl", cls="hub-meta")
    return {div.find("dt").text: div.find("dd") for div in meta.find_all("div")}


def test_article_page(minimal_site: BuiltSite):
    url = "articles/work-permits/"
    page = minimal_site.page(url)
    assert page.find("h1").text == "Work permits for partners"
    assert page.find("title").text == "Work permits for partners · Golden Hub"
    assert page.meta("description") == "What to ask before the move, and what to do in the first month."
    meta = item_meta(page)
    assert meta["Published"].find("time").attrs["datetime"] == "2025-11-12T00:00:00+01:00"
    assert meta["Published"].text == "November 12, 2025"
    assert meta["Updated"].find("time").attrs["datetime"] == "2025-11-20T09:30:00+01:00"
    assert meta["Authors"].text == "Ana Lima, Carla Quiet"
    assert minimal_site.links(url, meta["Authors"]) == [("Ana Lima", "people/ana-lima/")]  # Carla is private
    assert meta["For"].text == "Partners, HR and global mobility"
    assert meta["Reading time"].text == "1 min"
    assert minimal_site.links(url, meta["Topics"]) == [
        ("Partner career", "topics/partner-career/"), ("Integration and networks", "topics/integration/"),
    ]  # fmt: skip
    assert minimal_site.links(url, meta["Countries"]) == [("Singapore", "countries/sg/"), ("Norway", "countries/no/")]
    image = page.find("figure", cls="hub-item__figure").find("img")
    assert minimal_site.resolve(url, image.attrs["src"]) == "media/cover.svg"
    assert image.attrs["alt"] == "A passport on a desk"
    body = page.find("div", cls="hub-item__body")
    assert body.find("h2").text.startswith("Before the move")
    assert page.find_all("aside", cls="hub-source") == []  # original, not curated


def test_curated_article_credits_its_source(minimal_site: BuiltSite):
    page = minimal_site.page("articles/portable-careers/")
    assert page.find("p", cls="hub-kicker").text == "Curated article"
    credit = page.find("aside", cls="hub-source")
    assert "Curated from Partner Magazine." in credit.text
    assert "Original by Jo Writer, September 15, 2025." in credit.text
    assert credit.links() == [("Read the original at Partner Magazine", "https://magazine.test/portable-careers")]


def test_story_page_with_a_public_partner(minimal_site: BuiltSite):
    url = "stories/bo-in-oslo/"
    page = minimal_site.page(url)
    assert page.find("h1").text == "Bo on a first winter in Oslo"
    assert page.find("p", cls="hub-kicker").text == "Partner story · Norway"
    meta = item_meta(page)
    assert minimal_site.links(url, meta["Partner"]) == [("Bo Berg", "people/bo-berg/")]
    assert meta["Move"].text == "Germany → Norway (Oslo)"
    assert minimal_site.links(url, meta["Move"]) == [("Germany", "countries/de/"), ("Norway", "countries/no/")]
    assert minimal_site.links(url, meta["Interview by"]) == [("Dan Okoro", "people/dan-okoro/")]
    quote = page.find("blockquote", cls="hub-quote")
    assert quote.find("p").text == "The dark afternoons were easier once I joined a choir."
    assert quote.find("footer").text == "Bo Berg, Oslo"


def test_story_page_with_a_partner_name_or_a_private_partner(minimal_site: BuiltSite):
    ines = minimal_site.page("stories/ines-in-singapore/")
    meta = item_meta(ines)
    assert meta["Partner"].text == "Ines" and meta["Partner"].links() == []
    assert meta["Interview by"].text == "Carla Quiet" and meta["Interview by"].links() == []  # private
    assert meta["Move"].text == "Brazil → Singapore (Singapore)"
    toronto = minimal_site.page("stories/carla-in-toronto/")
    meta = item_meta(toronto)
    assert meta["Partner"].text == "Carla Quiet" and meta["Partner"].links() == []
    assert "Interview by" not in meta


def test_profile_page(minimal_site: BuiltSite):
    url = "people/ana-lima/"
    page = minimal_site.page(url)
    photo = page.find("img", cls="hub-profile__photo")
    assert minimal_site.resolve(url, photo.attrs["src"]) == "media/ana-lima.svg"
    assert photo.attrs["alt"] == "Ana's initials on a plum circle"
    assert page.find("h1").text == "Ana Lima"
    assert page.find("p", cls="hub-lede").text == "Career coach, former expat in Singapore"
    roles = page.find("p", cls="hub-person__roles")
    assert roles.texts("span", cls="hub-role") == ["Author", "Coach", "Open to mentoring"]
    meta = {div.find("dt").text: div.find("dd") for div in page.find("dl", cls="hub-meta").find_all("div")}
    assert meta["Organization"].text == "Lima Coaching"
    assert minimal_site.links(url, meta["Lives in"]) == [("Portugal", "countries/pt/")]
    assert minimal_site.links(url, meta["Has lived in"]) == [
        ("Brazil", "countries/br/"), ("Singapore", "countries/sg/")]
    assert meta["Languages"].text == "Portuguese, English"
    assert minimal_site.links(url, meta["Expertise"]) == [("Partner career", "topics/partner-career/")]
    assert meta["Links"].links() == [("Website", "https://ana.example.org/")]
    assert page.find("p", cls="hub-callout").text == "Ana Lima is open to mentoring relocating partners and assignees."
    bio = page.find("div", cls="hub-item__body")
    assert bio.text == "Ana coached partners in Singapore for six years before moving to Lisbon."
    assert "ana@private.test" not in minimal_site.html(url)


def test_profile_lists_what_they_wrote_and_appear_in(minimal_site: BuiltSite):
    def work(url: str) -> list[str]:
        return cards(minimal_site, url, section_by_heading(minimal_site.page(url), "work-heading"))

    assert work("people/dan-okoro/") == [
        "stories/bo-in-oslo/", "articles/portable-careers/", "articles/mentoring-basics/"]
    assert work("people/bo-berg/") == ["stories/bo-in-oslo/"]
    assert work("people/ana-lima/") == ["articles/work-permits/"]


def test_plain_page(minimal_site: BuiltSite):
    page = minimal_site.page("pages/about/")
    assert page.find("h1").text == "About the hub"
    assert page.meta("description") == "Who writes the hub and why."
    assert page.find("div", cls="hub-page").find("h2").text.startswith("Who we are")


def cards(built: BuiltSite, url: str, node: Node) -> list[str]:
    """Targets of the card titles inside `node`, in order."""
    return [built.resolve(url, a.attrs["href"]) for h in node.find_all(cls="hub-card__title") for a in h.find_all("a")]


def section_by_heading(page: Node, heading_id: str) -> Node:
    return next(s for s in page.find_all("section") if s.attrs.get("aria-labelledby") == heading_id)


def test_home_page(minimal_site: BuiltSite):
    page = minimal_site.page("")
    assert page.find("h1").text == "Golden Hub"
    sections = [s.attrs.get("aria-labelledby") for s in page.find("div", cls="hub-home").find_all("section")]
    assert sections == ["featured-heading", "stories-heading", "articles-heading", "topics-heading",
                        "mentors-heading", "subscribe-heading"]  # fmt: skip
    assert cards(minimal_site, "", section_by_heading(page, "featured-heading")) == ["articles/work-permits/"]
    assert cards(minimal_site, "", section_by_heading(page, "stories-heading")) == [
        "stories/bo-in-oslo/", "stories/ines-in-singapore/"]  # home_items: 2, newest first
    assert cards(minimal_site, "", section_by_heading(page, "articles-heading")) == [
        "articles/portable-careers/", "articles/mentoring-basics/"]  # the featured one is not repeated
    topics = section_by_heading(page, "topics-heading")
    assert [(li.find("span", cls="hub-tile__title").text, li.find("span", cls="hub-tile__count").text)
            for li in topics.find_all("li")] == [("Partner career", "3 articles and stories"),
                                                 ("Integration and networks", "4 articles and stories"),
                                                 ("Mentoring", "1 article or story")]  # fmt: skip
    mentors = section_by_heading(page, "mentors-heading")
    assert mentors.texts(cls="hub-person__name") == ["Ana Lima", "Dan Okoro"]
    subscribe = section_by_heading(page, "subscribe-heading")
    assert ("Subscribe to the digest", "https://lists.hub.test/subscribe") in subscribe.links()


def test_section_listings_are_paginated_newest_first(minimal_site: BuiltSite):
    first, second = minimal_site.page("articles/"), minimal_site.page("articles/page/2/")
    assert cards(minimal_site, "articles/", first) == ["articles/work-permits/", "articles/portable-careers/"]
    assert cards(minimal_site, "articles/page/2/", second) == ["articles/mentoring-basics/"]
    assert second.find("h1").text == "Articles, page 2 of 2"
    assert minimal_site.links("articles/", first.find("nav", cls="hub-pagination")) == [("Older →", "articles/page/2/")]
    pagination = second.find("nav", cls="hub-pagination")
    assert minimal_site.links("articles/page/2/", pagination) == [("← Newer", "articles/")]
    assert cards(minimal_site, "stories/", minimal_site.page("stories/")) == [
        "stories/bo-in-oslo/", "stories/ines-in-singapore/"]
    assert cards(minimal_site, "stories/page/2/", minimal_site.page("stories/page/2/")) == ["stories/carla-in-toronto/"]


def test_cards_show_title_date_summary_byline_topics_and_image(minimal_site: BuiltSite):
    card = minimal_site.page("articles/").find("article", cls="hub-card")
    assert card.find(cls="hub-card__title").text == "Work permits for partners"
    assert card.find("time").attrs["datetime"] == "2025-11-12T00:00:00+01:00"
    summary = card.find("p", cls="hub-card__summary")
    assert summary.text == "What to ask before the move, and what to do in the first month."
    assert card.find("p", cls="hub-card__byline").text == "Ana Lima, Carla Quiet"
    assert card.find("ul", cls="hub-chips").texts("a") == ["Partner career", "Integration and networks"]
    assert card.find("img", cls="hub-card__image").attrs["alt"] == "A passport on a desk"
    story = minimal_site.page("stories/").find_all("article", cls="hub-card")[1]
    assert story.find("p", cls="hub-card__byline").text == "Ines · Brazil → Singapore"


def test_topics_index_and_topic_pages(minimal_site: BuiltSite):
    index = minimal_site.page("topics/")
    items = index.find("ul", cls="hub-tiles").find_all("li")
    rows = [(li.find("span", cls="hub-tile__title").text, li.find("span", cls="hub-tile__count").text) for li in items]
    assert rows == [("Partner career", "3 articles and stories"),
                    ("Integration and networks", "4 articles and stories"), ("Mentoring", "1 article or story")]
    url = "topics/partner-career/"
    topic = minimal_site.page(url)
    assert topic.find("h1").text == "Partner career"
    assert topic.find("p", cls="hub-lede").text == "Work permits and portable careers for accompanying partners."
    assert cards(minimal_site, url, section_by_heading(topic, "topic-articles")) == [
        "articles/work-permits/", "articles/portable-careers/"]
    assert cards(minimal_site, url, section_by_heading(topic, "topic-stories")) == ["stories/ines-in-singapore/"]
    assert section_by_heading(topic, "topic-people").texts(cls="hub-person__name") == ["Ana Lima"]
    assert ("Atom feed of this topic", "feeds/topics/partner-career.atom.xml") in minimal_site.links(url)


def test_a_destination_page_for_every_mentioned_country(minimal_site: BuiltSite):
    pages = sorted(p.parent.name for p in (minimal_site.site / "countries").glob("*/index.html"))
    # articles (SG NO DE), stories (DE NO BR SG FR CA), public people (PT BR SG NO DE); never IS (private)
    assert pages == ["br", "ca", "de", "fr", "no", "pt", "sg"]
    index = minimal_site.page("countries/")
    tiles = index.find("ul", cls="hub-tiles").find_all("li")
    assert [li.find("span", cls="hub-tile__title").text for li in tiles] == [
        "Brazil", "Canada", "France", "Germany", "Norway", "Portugal", "Singapore"]
    # What each hub shows: stories to or from it, articles about it, people who live or lived there.
    counts = dict((li.find("span", cls="hub-tile__title").text, li.find("span", cls="hub-tile__count").text)
                  for li in tiles)  # fmt: skip
    assert counts["Norway"] == "1 story · 1 article · 1 person"
    assert counts["Portugal"] == "1 person"
    url = "countries/no/"
    norway = minimal_site.page(url)
    assert norway.find("h1").text == "Norway"
    assert cards(minimal_site, url, section_by_heading(norway, "country-stories")) == ["stories/bo-in-oslo/"]
    assert cards(minimal_site, url, section_by_heading(norway, "country-articles")) == ["articles/work-permits/"]
    assert section_by_heading(norway, "country-people").texts(cls="hub-person__name") == ["Bo Berg"]
    germany = minimal_site.page("countries/de/")
    origin = section_by_heading(germany, "country-origin")
    assert cards(minimal_site, "countries/de/", origin) == ["stories/bo-in-oslo/"]
    # Dan is open to mentoring: listed among the mentors, with no empty "people" heading after them.
    assert section_by_heading(germany, "country-mentors").texts(cls="hub-person__name") == ["Dan Okoro"]
    assert not germany.find_all("h2", id="country-people")
    # content/countries/no.md: the editors' introduction, rendered, with its summary as the lede.
    assert norway.find("p", cls="hub-lede").text == "Norway for a partner on the move."
    assert norway.find("div", cls="hub-country__intro").find("strong").text == "people are kind"


def test_people_directory_is_complete_without_javascript(minimal_site: BuiltSite):
    page = minimal_site.page("people/")
    people = page.find_all("article", cls="hub-person")
    assert [p.find(cls="hub-person__name").text for p in people] == ["Ana Lima", "Bo Berg", "Dan Okoro"]
    ana = people[0]
    assert ana.attrs["data-roles"] == "author coach" and ana.attrs["data-mentoring"] == "yes"
    assert ana.attrs["data-countries"] == "PT BR SG" and ana.attrs["data-languages"] == "pt en"
    assert ana.find("img").attrs["alt"] == "Ana's initials on a plum circle"
    assert ana.find("p", cls="hub-person__headline").text == "Career coach, former expat in Singapore"
    assert ana.find("p", cls="hub-person__countries").text == "Lived in Portugal, Brazil, Singapore"
    assert ana.find("p", cls="hub-person__languages").text == "Speaks Portuguese, English"
    assert page.find("p", cls="hub-directory__count").text == "3 people"
    # The filters are laid out from the first paint (directory.js enhances them without moving
    # the list); without JavaScript, where they could not work, a <noscript> style hides them.
    assert "hidden" not in page.find("form", cls="hub-filters").attrs
    assert ".hub-filters { display: none; }" in page.find("head").find("noscript").text
    assert "Carla Quiet" not in page.text


def test_related_content_is_shared_topics_then_countries_then_recency(minimal_site: BuiltSite):
    url = "articles/work-permits/"
    related = minimal_site.page(url).find("section", cls="hub-related")
    assert cards(minimal_site, url, related) == [
        "stories/ines-in-singapore/",  # two shared topics and Singapore
        "stories/bo-in-oslo/",  # one topic and Norway
        "articles/portable-careers/",  # one topic, newer than the Toronto story
    ]


def test_archive_by_year(minimal_site: BuiltSite):
    years = minimal_site.page("archive/").find("ul", cls="hub-years")
    assert [(li.find("a").text, li.find("span").text) for li in years.find_all("li")] == [("2025", "4"), ("2024", "2")]
    assert [target for _, target in minimal_site.links("archive/", years)] == ["archive/2025/", "archive/2024/"]
    year = minimal_site.page("archive/2024/").find("ol", cls="hub-archive__list")
    assert [target for _, target in minimal_site.links("archive/2024/", year)] == [
        "stories/carla-in-toronto/", "articles/mentoring-basics/"]  # newest first


def test_sitemap_lists_exactly_the_published_pages(minimal_site: BuiltSite):
    tree = ET.parse(minimal_site.site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert all(loc.startswith(SITE_URL) for loc in locs)
    pages = {rel.removesuffix("index.html") for rel in html_pages(minimal_site) if rel != "404.html"}
    assert sorted(loc.removeprefix(SITE_URL) for loc in locs) == sorted(pages)
    assert gzip.decompress((minimal_site.site / "sitemap.xml.gz").read_bytes()) == (
        minimal_site.site / "sitemap.xml").read_bytes()


def test_robots_txt_points_at_the_sitemap(minimal_site: BuiltSite):
    assert (minimal_site.site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://hub.test/sitemap.xml\n"
    )


@pytest.mark.parametrize(
    ("url", "og_type", "schema", "title", "description", "image"),
    [
        ("articles/work-permits/", "article", "Article", "Work permits for partners",
         "What to ask before the move, and what to do in the first month.", "https://hub.test/media/cover.svg"),
        ("stories/bo-in-oslo/", "article", "Article", "Bo on a first winter in Oslo",
         "Bo arrived in Oslo in November with two children and no job.", None),
        ("people/ana-lima/", "profile", "ProfilePage", "Ana Lima",
         "Career coach, former expat in Singapore", "https://hub.test/media/ana-lima.svg"),
        ("topics/mentoring/", "website", None, "Mentoring",
         "Programmes that pair people by host country and goals.", None),
    ],
)  # fmt: skip
def test_sharing_metadata(minimal_site: BuiltSite, url, og_type, schema, title, description, image):
    page = minimal_site.page(url)
    canonical = SITE_URL + url
    assert page.link_href("canonical") == canonical
    assert page.meta("og:url") == canonical
    assert page.meta("og:type") == og_type
    assert page.meta("og:title") == page.meta("twitter:title") == title
    assert page.meta("description") == page.meta("og:description") == page.meta("twitter:description") == description
    assert page.meta("og:site_name") == "Golden Hub"
    assert page.meta("og:image") == page.meta("twitter:image") == image
    assert page.meta("twitter:card") == ("summary_large_image" if image else "summary")
    documents = page.json_ld()
    if schema is None:
        assert documents == []
        return
    (document,) = documents
    assert document["@context"] == "https://schema.org" and document["@type"] == schema
    if schema == "Article":
        assert document["headline"] == title and document["description"] == description
        assert document["url"] == document["mainEntityOfPage"] == canonical
        assert document["datePublished"].endswith("+01:00")
        assert all(author["@type"] == "Person" for author in document["author"])
    else:
        assert document["mainEntity"]["@type"] == "Person" and document["mainEntity"]["name"] == title
        assert document["mainEntity"]["url"] == canonical


def test_json_ld_names_a_private_author_without_a_link(minimal_site: BuiltSite):
    (document,) = minimal_site.page("articles/work-permits/").json_ld()
    assert document["author"] == [
        {"@type": "Person", "name": "Ana Lima", "url": "https://hub.test/people/ana-lima/"},
        {"@type": "Person", "name": "Carla Quiet"},
    ]
    assert document["image"] == "https://hub.test/media/cover.svg"
    assert document["dateModified"] == "2025-11-20T09:30:00+01:00"
