"""Dealing pages out to worker processes so that they finish together."""

from __future__ import annotations

import heapq
from collections.abc import Sequence


def split_by_cost(costs: Sequence[float], parts: int) -> list[list[int]]:
    """Indexes into costs, in at most `parts` non-empty groups of about equal total cost.

    The costliest first, each to the group with the least so far (longest processing
    time first): a few heavy pages, such as topic pages of hundreds of cards, then land
    on different cores instead of queueing behind each other. Ties keep the given order,
    so the same costs always give the same groups.
    """
    count = min(parts, len(costs))
    if count <= 0:
        return []
    groups: list[list[int]] = [[] for _ in range(count)]
    loads = [(0.0, number) for number in range(count)]
    for index in sorted(range(len(costs)), key=lambda index: -costs[index]):
        load, number = heapq.heappop(loads)
        groups[number].append(index)
        heapq.heappush(loads, (load + costs[index], number))
    return [sorted(group) for group in groups if group]
