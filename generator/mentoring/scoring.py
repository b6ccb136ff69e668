"""The rule that ranks mentors for one mentee's answers, as data, and its one Python reading.

The questionnaire page reads the same rule from the JSON the build emits
(catalog.page_data) and applies it in the browser (themes/hub/assets/javascripts/
mentors.js). tests/cases/mentoring/vectors.json holds answers with the order, scores
and reasons both must give, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from generator.content.records import FORMATS, STAGES, Mentoring, Profile

ROLES = {"partner": "partners", "assignee": "assignees"}
"""An answer to "who are you" → the `mentees` value of a mentor who takes them."""


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    weight: int
    reason: str
    """What a mentee reads when it counts; `{country}`, `{language}` or `{topic}` is filled in."""


@dataclass(frozen=True, slots=True)
class Rule:
    criteria: tuple[Criterion, ...]

    def criterion(self, name: str) -> Criterion:
        return next(criterion for criterion in self.criteria if criterion.name == name)

    def as_data(self) -> dict[str, object]:
        """The rule as the page reads it."""
        criteria = [{"name": c.name, "weight": c.weight, "reason": c.reason} for c in self.criteria]
        return {"criteria": criteria, "roles": ROLES}


RULE = Rule((
    # Knowing the destination matters most: the design pairs "by host country and goals".
    Criterion("lives_in_destination", 6, "lives in {country}"),
    Criterion("lived_in_destination", 5, "lived in {country}"),
    # Talking in the mentee's first language beats a shared second one.
    Criterion("first_language", 4, "speaks {language}"),
    Criterion("other_language", 1, "speaks {language}"),
    Criterion("topic", 2, "coaches on {topic}"),  # once per topic asked that the mentor knows
    Criterion("knows_origin", 2, "knows {country}"),
    Criterion("in_person", 2, "can meet in person in {country}"),
))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Answers:
    """One mentee's answers to the questionnaire (or one row of a coordinator's CSV)."""

    role: str
    """partner or assignee."""
    stage: str
    to: str
    """The country they are moving to, or live in."""
    origin: str | None = None
    languages: tuple[str, ...] = ()
    """In the mentee's order: the first is their first language."""
    topics: tuple[str, ...] = ()
    format: str = "virtual"
    commits: bool = True
    """Can meet about once a month for a year."""


@dataclass(frozen=True, slots=True)
class Mentor:
    """What matching reads of a public profile open to mentoring."""

    id: str
    name: str
    location: str | None = None
    lived_in: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    mentoring: Mentoring = field(default_factory=Mentoring)

    @classmethod
    def of(cls, person: Profile) -> Mentor:
        assert person.mentoring is not None
        return cls(person.slug, person.name, person.location, person.lived_in, person.languages,
                   person.expertise, person.mentoring)  # fmt: skip

    def formats_for(self, answers: Answers) -> tuple[str, ...]:
        """How they can meet this mentee: in person only where the mentor lives."""
        offered = self.mentoring.formats
        return tuple(way for way in FORMATS if way in offered and (way == "virtual" or self.location == answers.to))

    def knows(self, country: str) -> bool:
        return country == self.location or country in self.lived_in


@dataclass(frozen=True, slots=True)
class Names:
    """Display names for reasons: country, language and topic names by code."""

    countries: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str, kind: str, code: str) -> str:
        table = {"country": self.countries, "language": self.languages, "topic": self.topics}[kind]
        return template.replace("{" + kind + "}", table.get(code, code))


@dataclass(frozen=True, slots=True)
class Match:
    mentor: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ineligible:
    mentor: str
    reason: str


def refusal(answers: Answers, mentor: Mentor) -> str | None:
    """Why this mentor cannot take this mentee, or None when they can."""
    if not answers.commits:
        return "cannot commit to meeting about once a month for a year"
    if ROLES.get(answers.role) not in mentor.mentoring.mentees:
        return f"mentors {' and '.join(mentor.mentoring.mentees)} only"
    if answers.stage not in mentor.mentoring.stages:
        return "mentors at other stages of a move"
    if answers.languages and not set(answers.languages) & set(mentor.languages):
        return "no language in common"
    if not mentor.formats_for(answers):
        return "meets in person only, in another country"
    return None


def _criteria_met(answers: Answers, mentor: Mentor) -> list[tuple[str, str, str]]:
    """(criterion, kind of code, code) for each criterion the pair meets, in the rule's order."""
    met = []
    if mentor.location == answers.to:
        met.append(("lives_in_destination", "country", answers.to))
    elif answers.to in mentor.lived_in:
        met.append(("lived_in_destination", "country", answers.to))
    shared = [code for code in answers.languages if code in mentor.languages]
    if shared:
        first = shared[0] == answers.languages[0]
        met.append(("first_language" if first else "other_language", "language", shared[0]))
    met += [("topic", "topic", topic) for topic in answers.topics if topic in mentor.expertise]
    if answers.origin and answers.origin != answers.to and mentor.knows(answers.origin):
        met.append(("knows_origin", "country", answers.origin))
    if answers.format == "in-person" and "in-person" in mentor.formats_for(answers):
        met.append(("in_person", "country", answers.to))
    return met


def score(answers: Answers, mentor: Mentor, names: Names, rule: Rule = RULE) -> Match | Ineligible:
    """How well a mentor fits a mentee, and why; or why they cannot be paired."""
    why_not = refusal(answers, mentor)
    if why_not is not None:
        return Ineligible(mentor.id, why_not)
    total, reasons = 0, []
    for name, kind, code in _criteria_met(answers, mentor):
        criterion = rule.criterion(name)
        total += criterion.weight
        reasons.append(names.fill(criterion.reason, kind, code))
    return Match(mentor.id, total, tuple(reasons))


def rank(answers: Answers, mentors: list[Mentor], names: Names, rule: Rule = RULE) -> list[Match]:
    """The mentors who can take this mentee, best first (ties by profile id, as the page does)."""
    found = [result for mentor in mentors if isinstance(result := score(answers, mentor, names, rule), Match)]
    return sorted(found, key=lambda match: (-match.score, match.mentor))


def _codes(value: str, upper: bool) -> tuple[str, ...]:
    """Two-letter codes from a comma-separated list, in order, without repeats or anything else."""
    parts = (part.strip() for part in value.split(","))
    codes = (part.upper() if upper else part.lower() for part in parts if len(part) == 2 and part.isascii())
    return tuple(dict.fromkeys(code for code in codes if code.isalpha()))


def parse_fragment(fragment: str) -> Answers | None:
    """Answers from the page's URL fragment (`as=partner&stage=first-year&to=JP…`); None when incomplete.

    The page reads the fragment the same way: unknown values are ignored, codes may
    be upper- or lower-case, and a missing `commit` means yes.
    """
    values = dict(parse_qsl(fragment.lstrip("#"), keep_blank_values=True))
    role, stage = values.get("as", ""), values.get("stage", "")
    to = _codes(values.get("to", ""), upper=True)
    if role not in ROLES or stage not in STAGES or not to:
        return None
    origin = _codes(values.get("from", ""), upper=True)
    return Answers(
        role=role,
        stage=stage,
        to=to[0],
        origin=origin[0] if origin else None,
        languages=_codes(values.get("languages", ""), upper=False),
        topics=tuple(dict.fromkeys(t.strip() for t in values.get("topics", "").split(",") if t.strip())),
        format=values.get("format") if values.get("format") in FORMATS else "virtual",
        commits=values.get("commit", "yes") != "no",
    )
