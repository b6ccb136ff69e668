"""The scoring rule in Python against the shared test vectors (the page is held to the same file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.content.records import Mentoring
from generator.mentoring.scoring import RULE, Answers, Ineligible, Match, Mentor, Names, parse_fragment, rank, score
from generator.site.mentors import mentor_from_data, names_for, rule_in

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "cases" / "mentoring" / "vectors.json").read_text("utf-8"))
MENTORS = [mentor_from_data(data) for data in VECTORS["mentors"]]
NAMES = Names(**VECTORS["names"])


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[case["description"] for case in VECTORS["cases"]])
def test_vectors(case: dict) -> None:
    answers = parse_fragment(case["fragment"])
    found = [] if answers is None else rank(answers, MENTORS, NAMES)
    assert [{"id": m.mentor, "score": m.score, "reasons": list(m.reasons)} for m in found] == case["expected"]


def test_the_vectors_exercise_every_criterion_and_filter() -> None:
    rows = [row for case in VECTORS["cases"] for row in case["expected"]]
    reasons = {reason.split(" ")[0] for row in rows for reason in row["reasons"]}
    assert reasons >= {"lives", "lived", "speaks", "coaches", "knows", "can"}
    assert any(case["expected"] == [] for case in VECTORS["cases"])
    assert len({row["score"] for row in rows}) >= 6


def test_the_contract_example_ranks_the_mentor_in_japan_who_speaks_portuguese_first() -> None:
    example = VECTORS["cases"][0]
    assert example["fragment"].startswith("as=partner&stage=first-year&to=JP&from=BR&languages=pt,en")
    assert example["expected"][0]["id"] == "aiko"
    assert example["expected"][0]["reasons"][:2] == ["lives in Japan", "speaks Portuguese"]


@pytest.mark.parametrize(
    ("lang", "reasons"),
    [
        ("fr", ["vit dans ce pays : Japon", "parle portugais"]),
        ("de", ["lebt in Japan", "spricht Portugiesisch"]),
        ("pt", ["vive em Japão", "fala português"]),
        ("en", ["lives in Japan", "speaks Portuguese"]),
    ],
)  # fmt: skip
def test_reasons_name_languages_as_each_language_writes_them_in_a_sentence(lang: str, reasons: list[str]) -> None:
    answers = parse_fragment(VECTORS["cases"][0]["fragment"])
    assert answers is not None
    found = rank(answers, MENTORS, names_for(MENTORS, {}, lang), rule_in(lang))
    assert list(found[0].reasons[:2]) == reasons


ANA = Mentor("ana", "Ana", "JP", ("BR", "JP"), ("pt", "en"), ("integration",),
             Mentoring(mentees=("partners",), stages=("first-year",), formats=("in-person",)))  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        (Answers("partner", "first-year", "JP", commits=False),
         "cannot commit to meeting about once a month for a year"),
        (Answers("assignee", "first-year", "JP"), "mentors partners only"),
        (Answers("partner", "returning", "JP"), "mentors at other stages of a move"),
        (Answers("partner", "first-year", "JP", languages=("ko",)), "no language in common"),
        (Answers("partner", "first-year", "SG"), "meets in person only, in another country"),
    ],
)  # fmt: skip
def test_each_refusal_says_why(answers: Answers, why: str) -> None:
    assert score(answers, ANA, NAMES) == Ineligible("ana", why)


def test_in_person_counts_only_where_the_mentor_lives() -> None:
    here = score(Answers("partner", "first-year", "JP", format="in-person"), ANA, NAMES)
    assert isinstance(here, Match) and here.reasons == ("lives in Japan", "can meet in person in Japan")
    assert here.score == RULE.criterion("lives_in_destination").weight + RULE.criterion("in_person").weight


def test_weights_are_data_the_page_reads() -> None:
    data = RULE.as_data()
    assert [c["name"] for c in data["criteria"]] == [c.name for c in RULE.criteria]
    assert data["roles"] == {"partner": "partners", "assignee": "assignees"}
    json.dumps(data)  # the page loads it as JSON


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("#as=partner&stage=first-year&to=jp&from=Br&languages=PT,en,pt&topics=a,b&format=in-person",
         Answers("partner", "first-year", "JP", "BR", ("pt", "en"), ("a", "b"), "in-person", True)),
        ("as=assignee&stage=returning&to=DE&format=phone&commit=no&languages=english,xx1",
         Answers("assignee", "returning", "DE", None, (), (), "virtual", False)),
        ("as=partner&stage=first-year", None),
        ("as=spouse&stage=first-year&to=JP", None),
        ("as=partner&stage=later&to=JP", None),
    ],
)  # fmt: skip
def test_fragments_are_read_as_the_page_reads_them(fragment: str, expected: Answers | None) -> None:
    assert parse_fragment(fragment) == expected
