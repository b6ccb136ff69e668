"""community_digest.selection: periods, sections, personalization and caps (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta

from community_digest.selection import capped, group, in_period, issue_topics, personalize
from generator.content.periods import parse_period

from .factories import SITE, ZONE, item, selection


def ids(sel) -> dict[str, list[str]]:
    return {s.id: [i.url.rstrip("/").rsplit("/", 1)[-1] for i in s.items] for s in sel.sections}


def test_one_second_before_and_at_the_end_are_outside():
    period = parse_period("2025-Q3", ZONE)
    before = (period.start - timedelta(seconds=1)).isoformat()
    last = (period.end - timedelta(seconds=1)).isoformat()
    items = [
        item("before", before),
        item("first", period.start.isoformat()),
        item("last", last),
        item("after", period.end.isoformat()),
    ]
    chosen = [i.title for i in in_period(items, period)]
    assert chosen == ["Last", "First"]


def test_time_zones_are_compared_as_moments():
    period = parse_period("2025-Q3", ZONE)
    # 22:30 UTC on 30 September is 00:30 on 1 October in Amsterdam: already Q4.
    late = item("late", "2025-09-30T22:30:00+00:00")
    early = item("early", "2025-06-30T22:00:00+00:00")  # midnight 1 July in Amsterdam
    assert [i.title for i in in_period([late, early], period)] == ["Early"]


def test_sections_follow_type_and_featured_flag():
    items = [
        item("a", featured=True),
        item("b"),
        item("s", kind="story"),
        item("p", kind="person"),
        item("x", kind="partner"),
        item("y", kind="partner", featured=True),
    ]
    sections = {s.id: [i.title for i in s.items] for s in group(items)}
    assert sections == {
        "featured": ["A"],
        "articles": ["B"],
        "stories": ["S"],
        "people": ["P"],
        "partners": ["X", "Y"],
    }


def test_newest_first_and_stable_ties():
    same = "2025-08-01T00:00:00+02:00"
    items = [item("b", same), item("a", same), item("c", "2025-09-01T00:00:00+02:00")]
    assert [i.title for i in in_period(items, parse_period("2025-Q3", ZONE))] == ["C", "A", "B"]


def _sample():
    return selection(
        [
            item("lead", "2025-09-01T00:00:00+02:00", featured=True, topics=("wellbeing",)),
            item("career-1", "2025-08-03T00:00:00+02:00", topics=("partner-career",)),
            item("mentor-1", "2025-08-02T00:00:00+02:00", topics=("mentoring",)),
            item("both", "2025-08-01T00:00:00+02:00", topics=("mentoring", "integration")),
            item("story", "2025-07-20T00:00:00+02:00", kind="story", topics=("integration",)),
            item(
                "lyon",
                "2025-07-10T00:00:00+02:00",
                topics=("integration",),
                lang="fr",
                url=f"{SITE}fr/articles/lyon/",
            ),
        ]
    )


def test_personalized_keeps_featured_then_items_on_their_topics():
    chosen = personalize(_sample(), "en", ["mentoring"])
    assert ids(chosen) == {"featured": ["lead"], "articles": ["mentor-1", "both"]}


def test_topics_matching_nothing_give_the_full_issue():
    full = personalize(_sample(), "en", ())
    assert personalize(_sample(), "en", ["repatriation"]) == full
    assert ids(full) == {
        "featured": ["lead"],
        "articles": ["career-1", "mentor-1", "both"],
        "stories": ["story"],
    }


def test_language_variant_reads_its_language_and_the_site_language():
    french = personalize(_sample(), "fr", ())
    assert "lyon" in ids(french)["articles"]
    assert "lyon" not in ids(personalize(_sample(), "en", ()))["articles"]


def test_translated_items_replace_their_original():
    original = item("guide", topics=("integration",))
    translated = item("guide", topics=("integration",), lang="fr", url=f"{SITE}fr/articles/guide/")
    chosen = personalize(selection([original, translated]), "fr", ())
    assert [i.url for i in chosen.items()] == [f"{SITE}fr/articles/guide/"]
    assert [i.url for i in personalize(selection([original, translated]), "en", ()).items()] == [
        f"{SITE}articles/guide/"
    ]


def test_issue_topics_ignore_featured_items():
    assert issue_topics(_sample()) == ("integration", "mentoring", "partner-career")


def test_cap_and_more_link():
    many = [item(f"a{n}", datetime(2025, 8, 1 + n, tzinfo=ZONE).isoformat()) for n in range(5)]
    partners = [item(f"p{n}", kind="partner") for n in range(5)]
    shown = {s.id: s for s in capped(selection([*many, *partners], cap=3), SITE)}
    assert len(shown["articles"].items) == 3 and shown["articles"].more == 2
    assert shown["articles"].more_url == f"{SITE}articles/"
    # Partners' items have no listing on the hub: capped, without a link.
    assert shown["partners"].more == 2 and shown["partners"].more_url is None
