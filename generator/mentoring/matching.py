"""Pairing a whole cohort: the highest total score the mentors' capacities allow.

The assignment is SciPy's linear_sum_assignment (the Hungarian method's modern
form) over mentees × mentor places, each mentor repeated once per mentee they can
take; the score of each pair is scoring.score, the rule the page applies.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from .answers import Mentee
from .scoring import RULE, Ineligible, Match, Mentor, Names, Rule, score


@dataclass(frozen=True, slots=True)
class Pairing:
    """A mentee and their mentor, or no mentor and why (`reasons` holds the why)."""

    mentee: Mentee
    mentor: Mentor | None
    score: int
    reasons: tuple[str, ...]


def _why_unmatched(mentee: Mentee, results: list[Match | Ineligible]) -> str:
    refusals = [result.reason for result in results if isinstance(result, Ineligible)]
    if not mentee.answers.commits:
        return "ineligible: cannot commit to meeting about once a month for a year"
    if len(refusals) == len(results):
        common = ", ".join(reason for reason, _ in Counter(refusals).most_common(3))
        return f"ineligible: no mentor fits ({common})" if refusals else "ineligible: the hub has no mentors"
    return "no mentor with capacity: every mentor who fits is taken"


def assign(mentees: list[Mentee], mentors: list[Mentor], names: Names, rule: Rule = RULE) -> list[Pairing]:
    """One Pairing per mentee, in their order, maximizing the total score within every capacity.

    Among assignments with the same total score, one that pairs more mentees wins.
    """
    results = [[score(mentee.answers, mentor, names, rule) for mentor in mentors] for mentee in mentees]
    places = [index for index, mentor in enumerate(mentors) for _ in range(mentor.mentoring.capacity)]
    # Worth of a pair: its score, scaled so that one point outweighs any number of extra
    # pairs, plus one so that a pair that scores 0 still beats leaving the mentee alone.
    scale = len(mentees) + 1
    worth = np.zeros((len(mentees), len(places)))
    for row, found in enumerate(results):
        for column, mentor in enumerate(places):
            if isinstance(found[mentor], Match):
                worth[row, column] = found[mentor].score * scale + 1
    chosen: dict[int, int] = {}
    if worth.size:
        rows, columns = linear_sum_assignment(worth, maximize=True)
        chosen = {int(row): places[column] for row, column in zip(rows, columns, strict=True) if worth[row, column]}
    pairings = []
    for row, mentee in enumerate(mentees):
        if row in chosen:
            match = results[row][chosen[row]]
            assert isinstance(match, Match)
            pairings.append(Pairing(mentee, mentors[chosen[row]], match.score, match.reasons))
        else:
            pairings.append(Pairing(mentee, None, 0, (_why_unmatched(mentee, results[row]),)))
    return pairings
