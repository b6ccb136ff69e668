"""Pairing a cohort: capacity is never exceeded, and the total score is the best there is."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from generator.content.records import Mentoring
from generator.mentoring.answers import Mentee
from generator.mentoring.matching import assign
from generator.mentoring.scoring import Answers, Match, Mentor, Names, score

NAMES = Names()


def mentee(mentee_id: str, **answers) -> Mentee:
    return Mentee(mentee_id, mentee_id.title(), None, Answers(**{"role": "partner", "stage": "first-year",
                                                                  "to": "JP", **answers}), 2)  # fmt: skip


def mentor(mentor_id: str, capacity: int = 1, **fields) -> Mentor:
    return Mentor(mentor_id, mentor_id.title(), mentoring=Mentoring(capacity=capacity), **fields)


def paired(pairings) -> dict[str, str | None]:
    return {p.mentee.id: p.mentor.id if p.mentor else None for p in pairings}


def test_the_best_total_not_the_best_first_pair() -> None:
    # x scores 12 with a and 11 with b; y scores 10 with a and cannot talk with b.
    # Giving x its best mentor first would leave y alone (12); the best total is 21.
    a = mentor("a", location="JP", languages=("pt", "en"), expertise=("t1",))
    b = mentor("b", lived_in=("JP",), languages=("pt",), expertise=("t1",))
    x = mentee("x", languages=("pt",), topics=("t1",))
    y = mentee("y", languages=("en",))
    scores = [score(m.answers, n, NAMES) for m in (x, y) for n in (a, b)]
    assert [found.score if isinstance(found, Match) else None for found in scores] == [12, 11, 10, None]
    pairings = assign([x, y], [a, b], NAMES)
    assert paired(pairings) == {"x": "b", "y": "a"}
    assert sum(p.score for p in pairings) == 21
    assert pairings[0].reasons == ("lived in JP", "speaks pt", "coaches on t1")


def test_capacity_is_respected_and_the_rest_are_told_why() -> None:
    popular = mentor("popular", capacity=2, location="JP", languages=("en",))
    other = mentor("other", capacity=1, languages=("en",))
    cohort = [mentee(f"m{n}", languages=("en",)) for n in range(5)]
    pairings = assign(cohort, [popular, other], NAMES)
    load = Counter(p.mentor.id for p in pairings if p.mentor)
    assert load == {"popular": 2, "other": 1}
    left = [p for p in pairings if p.mentor is None]
    assert [p.reasons for p in left] == [("no mentor with capacity: every mentor who fits is taken",)] * 2
    assert [p.mentee.id for p in pairings] == [m.id for m in cohort]  # the file's order


def test_ineligible_mentees_are_never_paired_and_say_why() -> None:
    only = mentor("only", capacity=3, languages=("en",))
    pairings = assign([mentee("busy", languages=("en",), commits=False), mentee("far", languages=("ko",)),
                       mentee("fine", languages=("en",))], [only], NAMES)  # fmt: skip
    assert paired(pairings) == {"busy": None, "far": None, "fine": "only"}
    assert pairings[0].reasons == ("ineligible: cannot commit to meeting about once a month for a year",)
    assert pairings[1].reasons == ("ineligible: no mentor fits (no language in common)",)


def test_a_pair_that_scores_nothing_still_beats_no_pair() -> None:
    pairings = assign([mentee("quiet")], [mentor("anyone", location="DE")], NAMES)
    assert paired(pairings) == {"quiet": "anyone"} and pairings[0].score == 0


def test_no_mentors_at_all() -> None:
    pairings = assign([mentee("alone")], [], NAMES)
    assert pairings[0].mentor is None and pairings[0].reasons == ("ineligible: the hub has no mentors",)


def _best_total_by_search(cohort: list[Mentee], mentors: list[Mentor]) -> int:
    """Every way to give each mentee a mentor or none, within capacity: the highest total."""
    best = 0
    for choice in itertools.product([None, *range(len(mentors))], repeat=len(cohort)):
        load = Counter(index for index in choice if index is not None)
        if any(load[index] > mentors[index].mentoring.capacity for index in load):
            continue
        total = 0
        for person, index in zip(cohort, choice, strict=True):
            if index is not None:
                found = score(person.answers, mentors[index], NAMES)
                total = -1 if not isinstance(found, Match) or total < 0 else total + found.score
        best = max(best, total)
    return best


def test_optimal_on_random_small_cohorts() -> None:
    rng = random.Random(16)
    countries, languages, topics = ("JP", "DE", "BR"), ("pt", "en", "de"), ("t1", "t2", "t3")
    for _ in range(25):
        mentors = [mentor(f"n{i}", capacity=rng.randint(1, 2), location=rng.choice(countries),
                          lived_in=tuple(rng.sample(countries, 2)), languages=tuple(rng.sample(languages, 2)),
                          expertise=tuple(rng.sample(topics, 2))) for i in range(3)]  # fmt: skip
        cohort = [mentee(f"m{i}", to=rng.choice(countries), origin=rng.choice(countries),
                         languages=tuple(rng.sample(languages, rng.randint(1, 2))),
                         topics=tuple(rng.sample(topics, rng.randint(0, 2)))) for i in range(5)]  # fmt: skip
        pairings = assign(cohort, mentors, NAMES)
        load = Counter(p.mentor.id for p in pairings if p.mentor)
        assert all(load[m.id] <= m.mentoring.capacity for m in mentors)
        assert sum(p.score for p in pairings) == _best_total_by_search(cohort, mentors)
