"""Links between records: who wrote what, what is related, what belongs to a topic or country."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from generator.content.records import Article, Hub, Item, Profile, Story

Window = tuple[tuple[str, datetime], ...]
"""(path, date) of the newest items of one topic or country: all that related items read of it."""
Combination = tuple[tuple[str, ...], tuple[str, ...], int]
"""An item's topics and countries, and how many related items are asked for."""


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
    recency: dict[str, int] = field(default_factory=dict)
    """Position of each item, newest first: comparing it is cheaper than comparing dates."""
    windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    """("topic" or "country", key) → its related-items window, to tell which rankings still hold."""
    window_ranks: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """The same windows as the items' recency positions..."""
    window_sets: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    """...and as sets of them."""
    ranked: dict[Combination, tuple[str, ...]] = field(default_factory=dict)
    """Paths of the best candidates for a combination (one more than asked, in case one is the item)."""


def contributors(item: Item) -> tuple[str, ...]:
    """Profile ids who wrote or appear in an item."""
    if isinstance(item, Article):
        return item.authors
    if isinstance(item, Story):
        return tuple(dict.fromkeys(p for p in (item.partner, item.interviewer) if p))
    return ()


INDEXES: tuple[tuple[str, Callable[[Item], Iterable[object]]], ...] = (
    ("by_topic", lambda item: item.topics),
    ("by_country", lambda item: item.countries),
    ("by_person", contributors),
    ("by_year", lambda item: (item.date.year,)),
)
"""Each index of items, and the keys an item is listed under in it."""


def relate(hub: Hub, items: list[Item], previous: Relations | None = None) -> Relations:
    """Index published items (newest first) and public people (by name).

    With `previous` (the relations of an earlier plan of the same hub), related-item
    rankings whose inputs are unchanged are carried over instead of computed again.
    """
    relations = Relations(items=items, people=hub.public_people())
    relations.recency = {item.path: rank for rank, item in enumerate(items)}
    for name, keys_of in INDEXES:
        setattr(relations, name, _index(items, keys_of))
    _finish(relations, previous)
    return relations


def _index(items: list[Item], keys_of: Callable[[Item], Iterable[object]]) -> defaultdict[object, list[Item]]:
    index: defaultdict[object, list[Item]] = defaultdict(list)
    for item in items:
        for key in keys_of(item):
            index[key].append(item)
    return index


def _finish(relations: Relations, previous: Relations | None) -> None:
    """Index people, and the windows of related items (keeping the rankings that still hold)."""
    _index_people(relations)
    for kind, index in (("topic", relations.by_topic), ("country", relations.by_country)):
        for key, found in index.items():
            window = found[:RELATED_WINDOW]
            relations.windows[kind, key] = tuple((item.path, item.date) for item in window)
            relations.window_ranks[kind, key] = [relations.recency[item.path] for item in window]
            relations.window_sets[kind, key] = frozenset(relations.window_ranks[kind, key])
    if previous is not None:
        _carry_over(relations, previous)


def _index_people(relations: Relations) -> None:
    for person in relations.people:
        for topic in person.expertise:
            relations.experts[topic].append(person)
        for country in person.all_countries:
            relations.residents[country].append(person)


def place(item: Item) -> tuple[object, ...]:
    """What decides whether and where an item is listed: its path, date and draft flag."""
    return item.path, item.date, item.draft


def substituted(previous: Relations, pairs: list[tuple[Item, Item]], hub: Hub) -> Relations:
    """What relate() gives after some items were replaced by edited versions in the same place.

    `pairs` holds (old item, new item) with equal place(): the items keep their
    order, and each index is re-made only when an edit changed its keys (topics,
    countries, people); otherwise the new items take the old ones' places in it.
    """
    replace = {id(old): new for old, new in pairs}
    items = [replace.get(id(item), item) for item in previous.items]
    relations = Relations(items=items, people=hub.public_people())
    relations.recency = previous.recency.copy()
    remade = set()
    for name, keys_of in INDEXES:
        if any(tuple(keys_of(old)) != tuple(keys_of(new)) for old, new in pairs):
            setattr(relations, name, _index(items, keys_of))
            remade.add(name)
            continue
        touched = {key for _, new in pairs for key in keys_of(new)}
        index = getattr(relations, name)
        for key, found in getattr(previous, name).items():
            index[key] = [replace.get(id(item), item) for item in found] if key in touched else found.copy()
    if remade.isdisjoint(("by_topic", "by_country")):
        # Same paths and dates in the same places: every window, and so every ranking, holds.
        relations.windows, relations.window_ranks = previous.windows, previous.window_ranks
        relations.window_sets = previous.window_sets
        relations.ranked = previous.ranked.copy()
        _index_people(relations)
    else:
        _finish(relations, previous)
    return relations


def _carry_over(relations: Relations, previous: Relations) -> None:
    """Carry over the rankings that still hold, and update those that an edit touched only lightly.

    A ranking reads the windows of its topics and countries. When a window changed,
    only the items that entered or left it, or moved within it, can change places:
    every other candidate keeps its shared topics and countries and its order among
    the others. So unless one of those items was among the best, the new best are
    the best of the old best and those items, scored again.
    """
    old, new = previous.windows, relations.windows
    moved: dict[tuple[str, str], set[str]] = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key, ()), new.get(key, ())
        if before != after:
            moved[key] = {path for path, _ in set(before).symmetric_difference(after)}
    for combination, ranked in previous.ranked.items():
        topics, countries, limit = combination
        keys = [("topic", topic) for topic in topics] + [("country", country) for country in countries]
        touched = [moved[key] for key in keys if key in moved]
        if not touched:
            relations.ranked[combination] = ranked
            continue
        changed = set().union(*touched)
        if changed.isdisjoint(ranked) and _sets_match(relations, keys):
            candidates = [*ranked, *(path for path in changed if path in relations.recency)]
            relations.ranked[combination] = _rescore(relations, topics, countries, candidates, limit + 1)


def _sets_match(relations: Relations, keys: list[tuple[str, str]]) -> bool:
    """Whether each window lists an item at most once (so membership tells how often it counts)."""
    ranks, sets = relations.window_ranks, relations.window_sets
    return all(len(ranks.get(key, ())) == len(sets.get(key, ())) for key in keys)


def _rescore(relations: Relations, topics: tuple[str, ...], countries: tuple[str, ...], paths: list[str],
             count: int) -> tuple[str, ...]:  # fmt: skip
    """The `count` best of these paths (the candidates among them), as _rank orders them."""
    sets = relations.window_sets
    scored = []
    for path in paths:
        rank = relations.recency[path]
        shared_topics = sum(rank in sets.get(("topic", topic), ()) for topic in topics)
        shared_countries = sum(rank in sets.get(("country", country), ()) for country in countries)
        if shared_topics or shared_countries:
            scored.append((-shared_topics, -shared_countries, rank, path))
    return tuple(path for *_, path in sorted(scored)[:count])


RELATED_WINDOW = 120
"""How many of the newest items of each of an item's topics and countries are candidates."""


def related_items(item: Item, relations: Relations, limit: int) -> list[Item]:
    """Up to `limit` items: most shared topics first, then most shared countries, then newest.

    Candidates are the newest RELATED_WINDOW items of each of the item's topics and
    countries, so the cost per item stays the same however large the hub grows.
    Rankings are memoized (pages, feeds and fingerprints all ask), and items with the
    same topics and countries share one.
    """
    combination = (item.topics, item.countries, limit)
    ranked = relations.ranked.get(combination)
    if ranked is None:
        ranked = relations.ranked[combination] = _rank(relations, item.topics, item.countries, limit + 1)
    items, recency = relations.items, relations.recency
    return [items[recency[path]] for path in ranked if path != item.path][:limit]


def _rank(relations: Relations, topics: tuple[str, ...], countries: tuple[str, ...],
          count: int) -> tuple[str, ...]:  # fmt: skip
    """Paths of the `count` best candidates for an item with these topics and countries.

    When enough candidates share every topic (and every country), nothing else can
    rank above them and set intersections find them. Otherwise each candidate gets
    one integer that sorts like (-shared topics, -shared countries, recency): plain
    integer sorting is several times faster than sorting on tuples. Related items
    are asked for every item of the site.
    """
    ranks, sets = relations.window_ranks, relations.window_sets
    in_all = frozenset[int]()
    if topics:
        in_all = sets.get(("topic", topics[0]), in_all).intersection(*(sets.get(("topic", t), ()) for t in topics))
    if len(in_all) >= count:
        in_both = in_all.intersection(*(sets.get(("country", c), ()) for c in countries))
        if len(in_both) >= count:
            return _paths(relations, sorted(in_both)[:count])
    per_country = 1 << max(21, len(relations.items).bit_length())
    per_topic = per_country << 21  # an item lists far fewer than 2**21 countries
    shared_countries = Counter(chain.from_iterable(ranks.get(("country", c), ()) for c in countries))
    if len(in_all) >= count:
        score = {rank: rank - shared_countries.get(rank, 0) * per_country for rank in in_all}
    else:
        shared_topics = Counter(chain.from_iterable(ranks.get(("topic", t), ()) for t in topics))
        score = {rank: rank - shared * per_topic for rank, shared in shared_topics.items()}
        for rank, shared in shared_countries.items():
            score[rank] = score.get(rank, rank) - shared * per_country
    return _paths(relations, [value & (per_country - 1) for value in sorted(score.values())[:count]])


def _paths(relations: Relations, ranks: list[int]) -> tuple[str, ...]:
    return tuple(relations.items[rank].path for rank in ranks)
