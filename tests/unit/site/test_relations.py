"""generator.site.relations: indexes over the published site and related items."""

from __future__ import annotations

from datetime import timedelta

from generator.site.relations import contributors, relate, related_items
from tests.unit.records_kit import DAY0, article, hub_of, person, story

NOW = DAY0 + timedelta(days=365)


def related_slugs(target, *others, limit=3) -> list[str]:
    hub = hub_of(target, *others)
    relations = relate(hub, hub.published_items(NOW))
    return [item.slug for item in related_items(target, relations, limit)]


def test_shared_topics_come_first_then_countries_then_recency():
    target = article("target", 10, topics=("integration", "mentoring"), countries=("SG", "DE"))
    both_topics = article("both-topics", 1, topics=("integration", "mentoring"))
    one_topic_two_countries = article("topic-and-countries", 2, topics=("integration",), countries=("SG", "DE"))
    one_topic_old = article("topic-old", 3, topics=("mentoring",))
    one_topic_new = article("topic-new", 4, topics=("mentoring",))
    countries_only = story("countries-only", 9, topics=("partner-career",), origin="DE", host="SG")
    unrelated = article("unrelated", 8, topics=("partner-career",), countries=("BR",))
    ranked = related_slugs(target, unrelated, countries_only, one_topic_old, one_topic_new,
                           one_topic_two_countries, both_topics, limit=12)  # fmt: skip
    assert ranked == ["both-topics", "topic-and-countries", "topic-new", "topic-old", "countries-only"]


def test_at_most_three_and_never_itself():
    target = article("target", 10)
    others = [article(f"other-{n}", n) for n in range(6)]
    assert related_slugs(target, *others) == ["other-5", "other-4", "other-3"]
    assert related_slugs(target) == []


def test_ties_are_broken_by_path_so_output_is_stable():
    target = article("target", 10)
    same_day = [article(name, 5) for name in ("b-item", "c-item", "a-item")]
    assert related_slugs(target, *same_day) == ["a-item", "b-item", "c-item"]
    assert related_slugs(target, *reversed(same_day)) == ["a-item", "b-item", "c-item"]


def test_unpublished_items_are_never_related():
    target = article("target", 10)
    draft = article("draft", 9, draft=True)
    future = article("future", 400)
    assert related_slugs(target, draft, future, article("old", 1)) == ["old"]


def test_indexes_hold_published_items_and_public_people_only():
    ana = person("ana", expertise=("integration",), location="PT", lived_in=("BR", "PT"))
    hidden = person("hidden", public=False, expertise=("integration",), location="IS")
    piece = article("piece", 5, countries=("NO",), authors=("ana", "hidden"))
    tale = story("tale", 6, partner="hidden", partner_name=None, interviewer="ana")
    draft = article("draft", 7, draft=True, countries=("FI",))
    hub = hub_of(ana, hidden, piece, tale, draft)
    relations = relate(hub, hub.published_items(NOW))
    assert [p.slug for p in relations.people] == ["ana"]
    assert [i.slug for i in relations.items] == ["tale", "piece"]  # newest first
    assert [p.slug for p in relations.experts["integration"]] == ["ana"]
    assert sorted(relations.residents) == ["BR", "PT"]  # never IS, where only a private person lives
    assert sorted(relations.by_country) == ["DE", "NO", "SG"]  # never FI, from a draft
    assert [i.slug for i in relations.by_person["ana"]] == ["tale", "piece"]
    assert list(relations.by_year) == [2025]
    assert contributors(tale) == ("hidden", "ana")
