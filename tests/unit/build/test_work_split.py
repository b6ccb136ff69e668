"""Pages dealt out to workers: heavy ones apart, every page once, the same groups every time."""

from __future__ import annotations

from generator.build.work_split import split_by_cost


def test_every_index_once_and_no_empty_group():
    groups = split_by_cost([5, 1, 1, 1, 9, 2], 4)
    assert sorted(i for group in groups for i in group) == list(range(6))
    assert len(groups) == 4 and all(groups)


def test_heavy_pages_land_on_different_workers():
    # Three topic pages of hundreds of cards among small pages: dealt round-robin in
    # this order, two of them would share a worker.
    costs = [700, 30, 700, 30, 30, 30, 30, 700]
    first, second, third = split_by_cost(costs, 3)
    heavy = {0, 2, 7}
    assert all(len(heavy & set(group)) == 1 for group in (first, second, third))


def test_loads_are_balanced_longest_first():
    costs = [8, 7, 6, 5, 4]
    loads = sorted(sum(costs[i] for i in group) for group in split_by_cost(costs, 2))
    # 8 and 7 first, then 6 to the lighter (7), 5 to the lighter (8), 4 to the first of two
    # at 13: 17 against the best split's 15, within the 4/3 that longest-first guarantees.
    assert loads == [13, 17]


def test_fewer_items_than_workers_and_none_at_all():
    assert split_by_cost([3.0], 4) == [[0]]
    assert split_by_cost([], 2) == []
    assert split_by_cost([1, 1], 0) == []


def test_same_costs_same_groups_and_original_order_within_a_group():
    costs = [2, 2, 2, 2, 2, 2]
    assert split_by_cost(costs, 2) == split_by_cost(costs, 2) == [[0, 2, 4], [1, 3, 5]]
