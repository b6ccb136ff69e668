"""Links between records: who wrote what, what is related, what belongs to a topic or country."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from .records import Article, Hub, Item, Profile, Story


@dataclass(slots=True)
class Relations:
    """Indexes over the published site, each built once per build (never per page)."""

    items: list[Item]
    people: list[Profile]
    by_topic: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    by_country: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    experts: dict[str, list[Profile]] = field(default_factory=lambda: defaultdict(list))
    residents: dict[str, list[Profile]] = field(default_factory=lambda: defaultdict(list))
    by_year: dict[int, list[Item]] = field(default_factory=lambda: defaultdict(list))
    related: dict[tuple[str, int], list[Item]] = field(default_factory=dict)
    recency: dict[str, int] = field(default_factory=dict)
    """Position of each item, newest first: comparing it is cheaper than comparing dates."""


def contributors(item: Item) -> tuple[str, ...]:
    """Profile ids who wrote or appear in an item."""
    if isinstance(item, Article):
        return item.authors
    if isinstance(item, Story):
        return tuple(dict.fromkeys(p for p in (item.partner, item.interviewer) if p))
    return ()


def relate(hub: Hub, items: list[Item]) -> Relations:
    """Index published items (newest first) and public people (by name)."""
    relations = Relations(items=items, people=hub.public_people())
    relations.recency = {item.path: rank for rank, item in enumerate(items)}
    for item in items:
        for topic in item.topics:
            relations.by_topic[topic].append(item)
        for country in item.countries:
            relations.by_country[country].append(item)
        for person in contributors(item):
            relations.by_person[person].append(item)
        relations.by_year[item.date.year].append(item)
    for person in relations.people:
        for topic in person.expertise:
            relations.experts[topic].append(person)
        for country in person.all_countries:
            relations.residents[country].append(person)
    return relations


RELATED_WINDOW = 120
"""How many of the newest items of each of an item's topics and countries are candidates."""


def related_items(item: Item, relations: Relations, limit: int) -> list[Item]:
    """Up to `limit` items: most shared topics first, then most shared countries, then newest.

    Candidates are the newest RELATED_WINDOW items of each of the item's topics and
    countries, so the cost per item stays the same however large the hub grows.
    Results are memoized: pages, feeds and fingerprints all ask for them.
    """
    key = (item.path, limit)
    cached = relations.related.get(key)
    if cached is not None:
        return cached
    topics: dict[str, int] = defaultdict(int)
    countries: dict[str, int] = defaultdict(int)
    candidates: dict[str, Item] = {}
    for topic in item.topics:
        for other in relations.by_topic.get(topic, ())[:RELATED_WINDOW]:
            topics[other.path] += 1
            candidates[other.path] = other
    for country in item.countries:
        for other in relations.by_country.get(country, ())[:RELATED_WINDOW]:
            countries[other.path] += 1
            candidates[other.path] = other
    candidates.pop(item.path, None)
    ranked = heapq.nsmallest(
        limit,
        candidates.values(),
        key=lambda other: (-topics[other.path], -countries[other.path], relations.recency[other.path]),
    )
    relations.related[key] = ranked
    return ranked
