"""generator.site.listings: paginated sections, topic and country hubs, directory, archive, home."""

from __future__ import annotations

from datetime import timedelta

from generator.content.settings import HubSettings
from generator.site import urls
from generator.site.listings import Count, generated_pages, home
from generator.site.relations import relate
from tests.unit.records_kit import DAY0, article, hub_of, person, story

NOW = DAY0 + timedelta(days=365)


def pages_of(*records, **settings):
    hub = hub_of(*records)
    relations = relate(hub, hub.published_items(NOW))
    names = {"DE": "Germany", "SG": "Singapore", "NO": "Norway", "BR": "Brazil", "PT": "Portugal"}
    pages = generated_pages(hub, relations, HubSettings(**settings), names)
    return {page.src_uri: page for page in pages}, hub, relations


def test_sections_are_paginated_newest_first_with_the_page_size():
    records = [article(f"a{n}", n) for n in range(5)] + [story("s0", 3)]
    pages, _, _ = pages_of(*records, page_size=2)
    first, second, third = pages["articles/index.md"], pages["articles/page/2.md"], pages["articles/page/3.md"]
    assert "articles/page/4.md" not in pages
    assert [[i.slug for i in p.view.items] for p in (first, second, third)] == [["a4", "a3"], ["a2", "a1"], ["a0"]]
    assert (first.title, second.title) == ("Articles", "Articles, page 2 of 3")
    assert first.template == "listing.html"
    assert (first.view.previous_url, first.view.next_url) == (None, "articles/page/2/")
    assert (second.view.previous_url, second.view.next_url) == ("articles/", "articles/page/3/")
    assert (third.view.previous_url, third.view.next_url) == ("articles/page/2/", None)
    assert urls.section_url("articles", 2) == "articles/page/2/"
    assert [i.slug for i in pages["stories/index.md"].view.items] == ["s0"]
    assert "stories/page/2.md" not in pages


def test_an_empty_section_still_has_its_first_page():
    pages, _, _ = pages_of(story("s0", 3))
    assert pages["articles/index.md"].view.items == []
    assert pages["articles/index.md"].view.pages == 1


def test_unpublished_items_are_in_no_listing():
    pages, _, _ = pages_of(article("live", 1), article("unfinished", 2, draft=True), article("scheduled", 900))
    everything = [p.view for p in pages.values()]
    assert [i.slug for i in pages["articles/index.md"].view.items] == ["live"]
    assert "unfinished" not in repr(everything) and "scheduled" not in repr(everything)


def test_topics_index_counts_and_topic_hubs():
    ana = person("ana", expertise=("mentoring",))
    records = [article("a1", 1, topics=("integration", "mentoring")), story("s1", 2, topics=("mentoring",)), ana]
    pages, _, _ = pages_of(*records)
    assert pages["topics/index.md"].view == [Count("integration", 1), Count("partner-career", 0), Count("mentoring", 2)]
    mentoring = pages["topics/mentoring.md"]
    assert mentoring.title == "Mentoring" and mentoring.template == "topic.html"
    assert [a.slug for a in mentoring.view.articles] == ["a1"]
    assert [s.slug for s in mentoring.view.stories] == ["s1"]
    assert [p.slug for p in mentoring.view.people] == ["ana"]
    assert pages["topics/partner-career.md"].view.articles == []


def test_a_country_page_for_every_mentioned_country():
    ana = person("ana", location="PT", lived_in=("BR",))
    hidden = person("hidden", public=False, location="IS")
    records = [article("a1", 1, countries=("NO",)), story("s1", 2, origin="DE", host="SG"), ana, hidden]
    pages, _, _ = pages_of(*records)
    codes = sorted(src for src in pages if src.startswith("countries/"))
    assert codes == ["countries/br.md", "countries/de.md", "countries/index.md", "countries/no.md",
                     "countries/pt.md", "countries/sg.md"]  # fmt: skip
    singapore = pages["countries/sg.md"]
    assert singapore.title == "Singapore"
    assert [s.slug for s in singapore.view.host_stories] == ["s1"]
    assert [s.slug for s in pages["countries/de.md"].view.origin_stories] == ["s1"]
    assert pages["countries/de.md"].view.host_stories == []
    assert [p.slug for p in pages["countries/br.md"].view.people] == ["ana"]
    assert [a.slug for a in pages["countries/no.md"].view.articles] == ["a1"]
    # the index is sorted by localized name
    assert [row.key for row in pages["countries/index.md"].view] == ["BR", "DE", "NO", "PT", "SG"]


def test_directory_and_archive():
    people = [person("bo", roles=("partner",), languages=("nb",), location="NO"),
              person("ana", roles=("coach", "mentor"), languages=("pt", "en"), lived_in=("BR",)),
              person("hidden", public=False, roles=("editor",))]  # fmt: skip
    records = [article("old", -200), article("new", 10), *people]
    pages, _, _ = pages_of(*records)
    directory = pages["people/index.md"].view
    assert [p.slug for p in directory.people] == ["ana", "bo"]
    assert directory.roles == [Count("coach", 1), Count("mentor", 1), Count("partner", 1)]
    assert directory.languages == [Count("en", 1), Count("nb", 1), Count("pt", 1)]
    assert pages["archive/index.md"].view.years == [Count("2025", 1), Count("2024", 1)]
    assert [i.slug for i in pages["archive/2025.md"].view.items] == ["new"]
    assert [i.slug for i in pages["archive/2024.md"].view.items] == ["old"]
    assert pages["archive/2024.md"].view.year == 2024


def test_home_puts_featured_first_and_limits_the_rest():
    records = [article("feat", 1, featured=True), *[article(f"a{n}", n + 2) for n in range(5)],
               story("s1", 3), person("m1", mentoring=True), person("m2", mentoring=True), person("x")]  # fmt: skip
    hub = hub_of(*records)
    relations = relate(hub, hub.published_items(NOW))
    view = home(hub, relations, HubSettings(home_items=3, home_mentors=1, subscribe_url="https://lists.test/"))
    assert [i.slug for i in view.featured] == ["feat"]
    assert [i.slug for i in view.articles] == ["a4", "a3", "a2"]
    assert [i.slug for i in view.stories] == ["s1"]
    assert [p.slug for p in view.mentors] == ["m1"]
    assert view.subscribe_url == "https://lists.test/"
