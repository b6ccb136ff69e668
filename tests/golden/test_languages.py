"""The bilingual golden hub (sites/bilingual, English and French): each language a site of its own.

Two French translations (an article and a story), a French original with no English
version, and English pieces with no French one: listings with fallbacks, the language
switcher, hreflang both ways and in the sitemap, feeds per language, French interface text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.golden.conftest import BuiltSite, build_at, copy_site
from tests.golden.htmlkit import Node

SITE = "https://hub.test/"
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("golden") / "bilingual"
    config = copy_site("bilingual", root)
    build_at(config)
    return BuiltSite(root, config, root / "site")


def cards(built: BuiltSite, url: str) -> list[tuple[str, str | None, str]]:
    """(title link target, lang attribute, badge text) of every card on a page."""
    found = []
    for card in built.page(url).find_all("article", cls="hub-card"):
        link = card.find("h2", cls="hub-card__title").find("a") if card.find_all("h2") else card.find("a")
        badges = card.find_all("span", cls="hub-lang-badge")
        found.append((built.resolve(url, link.attrs["href"]), card.attrs.get("lang"), badges[0].text if badges else ""))
    return found


def listing(built: BuiltSite, section_url: str) -> list[tuple[str, str | None, str]]:
    """Every card of a paginated listing, page after page."""
    found, url = [], section_url
    for _ in range(20):
        found += cards(built, url)
        nxt = [node for node in built.page(url).find_all("a") if node.attrs.get("rel") == "next"]
        if not nxt:
            return found
        url = built.resolve(url, nxt[0].attrs["href"])
    raise AssertionError("more than 20 pages")


def test_each_language_has_its_home_listings_hubs_and_search(bilingual: BuiltSite):
    for url in ("fr/", "fr/articles/", "fr/articles/page/2/", "fr/stories/", "fr/topics/", "fr/topics/integration/",
                "fr/countries/", "fr/countries/sg/", "fr/people/", "fr/search/", "fr/mentors/"):  # fmt: skip
        assert bilingual.page(url).find("html").attrs["lang"] == "fr", url
    assert bilingual.page("articles/").find("html").attrs["lang"] == "en"
    assert not (bilingual.site / "fr" / "archive").exists()  # the archive is the site language's only


def test_a_language_lists_its_own_items_first_then_marked_fallbacks(bilingual: BuiltSite):
    assert listing(bilingual, "fr/articles/") == [
        ("fr/articles/permis-de-travail/", None, ""),
        ("fr/articles/reseau-a-lyon/", None, ""),
        ("articles/mentoring-basics/", "en", "Anglais"),
    ]
    assert listing(bilingual, "fr/stories/") == [
        ("fr/stories/bo-a-oslo/", None, ""),
        ("stories/ines-in-singapore/", "en", "Anglais"),
    ]


def test_the_site_language_lists_translations_never_beside_their_original(bilingual: BuiltSite):
    assert listing(bilingual, "articles/") == [
        ("articles/work-permits/", None, ""),
        ("articles/mentoring-basics/", None, ""),
        ("fr/articles/reseau-a-lyon/", "fr", "French"),
    ]
    assert [target for target, *_ in listing(bilingual, "stories/")] == [
        "stories/bo-in-oslo/",
        "stories/ines-in-singapore/",
    ]


def test_topic_and_country_hubs_and_home_follow_the_language(bilingual: BuiltSite):
    shown = sorted(cards(bilingual, "fr/topics/partner-career/"))
    assert shown == [("fr/articles/permis-de-travail/", None, ""), ("stories/ines-in-singapore/", "en", "Anglais")]
    home = bilingual.page("fr/")
    assert [h2.text for h2 in home.find_all("h2")][:2] == ["Nouveaux récits de conjoints", "Nouveaux articles"]
    assert ("Tous les articles", "fr/articles/") in bilingual.links("fr/")
    first = home.find("article", cls="hub-card")
    assert first.find("time").text == "4 décembre 2025"
    assert first.find("p", cls="hub-card__byline").text == "Bo · Allemagne → Norvège"


def switcher(built: BuiltSite, url: str) -> dict[str, str]:
    nav = built.page(url).find("nav", cls="hub-languages")
    return {a.attrs["hreflang"]: built.resolve(url, a.attrs["href"]) for a in nav.find_all("a")}


def hreflang(page: Node) -> dict[str, str]:
    return {node.attrs["hreflang"]: node.attrs["href"] for node in page.find_all("link") if "hreflang" in node.attrs}


def test_translations_link_to_each_other_both_ways(bilingual: BuiltSite):
    both = {"en": f"{SITE}articles/work-permits/", "fr": f"{SITE}fr/articles/permis-de-travail/",
            "x-default": f"{SITE}articles/work-permits/"}  # fmt: skip
    assert hreflang(bilingual.page("articles/work-permits/")) == both
    assert hreflang(bilingual.page("fr/articles/permis-de-travail/")) == both
    assert switcher(bilingual, "articles/work-permits/") == {"en": "articles/work-permits/",
                                                             "fr": "fr/articles/permis-de-travail/"}  # fmt: skip
    assert switcher(bilingual, "fr/articles/permis-de-travail/")["en"] == "articles/work-permits/"
    assert hreflang(bilingual.page("fr/pages/a-propos/"))["en"] == f"{SITE}pages/about/"
    assert hreflang(bilingual.page("fr/articles/")) == {"en": f"{SITE}articles/", "fr": f"{SITE}fr/articles/",
                                                        "x-default": f"{SITE}articles/"}  # fmt: skip


def test_switching_on_a_page_without_translation_leads_to_that_languages_home(bilingual: BuiltSite):
    assert switcher(bilingual, "articles/mentoring-basics/") == {"en": "articles/mentoring-basics/", "fr": "fr/"}
    assert switcher(bilingual, "fr/articles/reseau-a-lyon/") == {"en": "", "fr": "fr/articles/reseau-a-lyon/"}
    assert hreflang(bilingual.page("articles/mentoring-basics/")) == {}  # one version: nothing to announce


def test_the_sitemap_carries_the_same_alternates(bilingual: BuiltSite):
    root = ET.parse(bilingual.site / "sitemap.xml").getroot()
    alternates = {
        url.find(f"{SITEMAP}loc").text: {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")
    }
    both = {"en": f"{SITE}stories/bo-in-oslo/", "fr": f"{SITE}fr/stories/bo-a-oslo/",
            "x-default": f"{SITE}stories/bo-in-oslo/"}  # fmt: skip
    assert alternates[f"{SITE}stories/bo-in-oslo/"] == both
    assert alternates[f"{SITE}fr/stories/bo-a-oslo/"] == both
    assert alternates[f"{SITE}fr/"]["en"] == SITE
    assert alternates[f"{SITE}articles/mentoring-basics/"] == {}


def atom(built: BuiltSite, path: str) -> tuple[str | None, list[tuple[str, str | None]]]:
    root = ET.parse(built.site / path).getroot()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = [(e.find(f"{ATOM}link").get("href").removeprefix(SITE), e.get(lang))
               for e in root.findall(f"{ATOM}entry")]  # fmt: skip
    return root.get(lang), [(url, entry_lang) for url, entry_lang in entries if "/people/" not in url]


def test_feeds_per_language(bilingual: BuiltSite):
    assert atom(bilingual, "feeds/all.atom.xml") == ("en", [
        ("stories/bo-in-oslo/", "en"), ("articles/work-permits/", "en"), ("stories/ines-in-singapore/", "en"),
        ("articles/mentoring-basics/", "en"),
    ])  # fmt: skip
    assert atom(bilingual, "fr/feeds/all.atom.xml") == ("fr", [
        ("fr/stories/bo-a-oslo/", "fr"), ("fr/articles/permis-de-travail/", "fr"),
        ("fr/articles/reseau-a-lyon/", "fr"), ("stories/ines-in-singapore/", "en"),
        ("articles/mentoring-basics/", "en"),
    ])  # fmt: skip
    assert atom(bilingual, "fr/feeds/articles.atom.xml")[1][0] == ("fr/articles/permis-de-travail/", "fr")
    assert atom(bilingual, "fr/feeds/topics/integration.atom.xml")[1][:2] == [
        ("fr/stories/bo-a-oslo/", "fr"), ("fr/articles/reseau-a-lyon/", "fr")]  # fmt: skip
    feed = json.loads((bilingual.site / "fr" / "feed.json").read_text(encoding="utf-8"))
    assert (feed["language"], feed["feed_url"], feed["home_page_url"]) == ("fr", f"{SITE}fr/feed.json", f"{SITE}fr/")
    assert feed["items"][0]["url"] == f"{SITE}fr/stories/bo-a-oslo/"
    page = bilingual.page("fr/")
    feeds = {node.attrs["href"] for node in page.find_all("link") if node.attrs.get("type") == "application/atom+xml"}
    assert "feeds/all.atom.xml" in feeds and "feeds/articles.atom.xml" in feeds  # relative to /fr/


def test_the_navigation_of_a_language_leads_to_its_pages(bilingual: BuiltSite):
    links = bilingual.links("fr/articles/", bilingual.page("fr/articles/").find("nav", cls="md-nav--primary"))
    assert {("Accueil", "fr/"), ("Articles", "fr/articles/"), ("Récits de conjoints", "fr/stories/")} <= set(links)
    english = bilingual.links("articles/", bilingual.page("articles/").find("nav", cls="md-nav--primary"))
    assert ("Stories", "stories/") in english
    assert bilingual.page("fr/").find("title").text == "Accueil · Bilingual Hub"


def test_the_directory_speaks_the_page_language(bilingual: BuiltSite):
    page = bilingual.page("fr/people/")
    assert page.find("h1").text == "Personnes"
    count = page.find("p", cls="hub-directory__count")
    assert (count.text, count.attrs["data-some"]) == ("2 personnes", "{shown} personnes sur {total}")
    assert [option.text for option in page.find("select", name="role").find_all("option")][0] == "Tous les rôles"
    assert bilingual.page("people/").find("p", cls="hub-directory__count").text == "2 people"


def test_topics_carry_their_translated_titles(bilingual: BuiltSite):
    page = bilingual.page("fr/topics/integration/")
    assert (page.find("h1").text, page.find("p", cls="hub-lede").text) == (
        "Intégration et réseaux", "S'installer, les réseaux locaux et le bénévolat.")  # fmt: skip
    assert bilingual.page("topics/integration/").find("h1").text == "Integration and networks"
    chips = bilingual.page("fr/stories/bo-a-oslo/").find_all("a", cls="hub-chip")
    assert "Intégration et réseaux" in [chip.text for chip in chips]
    root = ET.parse(bilingual.site / "fr" / "feeds" / "topics" / "integration.atom.xml").getroot()
    assert root.find(f"{ATOM}title").text == "Bilingual Hub: Intégration et réseaux"
    labels = {c.get("label") for c in root.iter(f"{ATOM}category") if c.get("term") == "integration"}
    assert labels == {"Intégration et réseaux"}  # only French entries there carry the topic


def test_each_language_has_its_own_404_page_with_absolute_links(bilingual: BuiltSite):
    page = bilingual.page("fr/404.html")
    assert page.find("html").attrs["lang"] == "fr"
    assert page.find("h1").text == "Rien ne se trouve à cette adresse"
    tiles = page.find_all("a", cls="hub-tile")
    links = {tile.find("span", cls="hub-tile__title").text: tile.attrs["href"] for tile in tiles}
    # Served for any missing /fr/… address, at any depth: every link starts at the site's root.
    assert {links["Récits de conjoints"], links["Articles"], links["Trouver un mentor"]} == {
        "/fr/stories/", "/fr/articles/", "/fr/mentors/"}  # fmt: skip
    assert page.find("form", cls="hub-notfound__search").attrs["action"] == "/fr/search/"
    assert page.find("link", rel="stylesheet").attrs["href"].startswith("/assets/")
    english = bilingual.page("404.html")
    assert english.find("html").attrs["lang"] == "en" and english.find("h1").text == "This page isn't here"
    assert english.find("a", cls="hub-tile").attrs["href"] == "/stories/"
