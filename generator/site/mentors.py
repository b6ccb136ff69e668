"""The public mentors, and what the questionnaire page shows and loads of them.

Only public, published profiles open to mentoring are ever listed; of them the page
and its JSON carry what matching reads and a link, never an e-mail address.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pycountry

from generator.content.records import Mentoring, Profile, Topic
from generator.mentoring.scoring import RULE, Mentor, Names, Rule

from .listings import GeneratedPage
from .localization import country_name, language_name, language_name_in_text
from .messages import N_, translations

PAGE = "mentors/index.md"
DATA = "mentors/mentors.json"
"""Where the page's data goes in the site (beside the page, at /mentors/mentors.json)."""


def public_mentors(people: Iterable[Profile]) -> list[Profile]:
    """The public, published profiles open to mentoring, in the order given."""
    return [person for person in people if person.mentoring is not None and person.public and not person.draft]


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def all_countries(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every ISO 3166-1 country, by name in the site's language."""
    pairs = ((country.alpha_2, country_name(country.alpha_2, language)) for country in pycountry.countries)
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


@cache
def all_languages(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every ISO 639-1 language the site's locale can name, by name."""
    codes = (getattr(entry, "alpha_2", None) for entry in pycountry.languages)
    pairs = ((code, language_name(code, language)) for code in codes if code)
    return tuple(sorted((pair for pair in pairs if pair[1] != pair[0]), key=lambda pair: _sort_key(pair[1])))


def topic_phrase(topic: Topic) -> str:
    """A topic's title as it reads inside a sentence ("coaches on partner career")."""
    return topic.title[:1].lower() + topic.title[1:]


def names_for(mentors: list[Mentor], topics: dict[str, Topic], language: str) -> Names:
    """Names of every country, language and topic a reason about these mentors can mention,
    as they read inside the reason's sentence in `language`."""
    countries = {code for mentor in mentors for code in ((mentor.location or ""), *mentor.lived_in) if code}
    languages = {code for mentor in mentors for code in mentor.languages}
    expertise = {code for mentor in mentors for code in mentor.expertise if code in topics}
    return Names(
        countries={code: country_name(code, language) for code in sorted(countries)},
        languages={code: language_name_in_text(code, language) for code in sorted(languages)},
        topics={code: topic_phrase(topics[code]) for code in sorted(expertise)},
    )


@dataclass(frozen=True, slots=True)
class MentorFinder:
    """The view of /mentors/: the mentors (listed without JavaScript too) and the choices offered."""

    mentors: list[Profile]
    countries: tuple[tuple[str, str], ...]
    languages: tuple[tuple[str, str], ...]
    spoken: tuple[tuple[str, str], ...]
    """Languages at least one mentor speaks: the only other languages that can count."""


def finder_page(people: list[Profile], language: str) -> GeneratedPage:
    mentors = public_mentors(people)
    spoken = sorted({code for person in mentors for code in person.languages})
    names = dict(all_languages(language))
    view = MentorFinder(mentors, all_countries(language), all_languages(language),
                        tuple(sorted(((code, names.get(code, code)) for code in spoken),
                                     key=lambda pair: _sort_key(pair[1]))))  # fmt: skip
    return GeneratedPage(PAGE, N_("Find a mentor"), "mentors.html", view,
                         N_("Answer a few questions and see which of the hub's mentors fit your move."))  # fmt: skip


def _mentor_data(mentor: Mentor, url: str) -> dict[str, object]:
    return {
        "id": mentor.id, "name": mentor.name, "url": url, "location": mentor.location,
        "lived_in": list(mentor.lived_in), "languages": list(mentor.languages),
        "expertise": list(mentor.expertise), "mentees": list(mentor.mentoring.mentees),
        "stages": list(mentor.mentoring.stages), "formats": list(mentor.mentoring.formats),
    }  # fmt: skip


def mentor_from_data(data: dict[str, Any]) -> Mentor:
    """A mentor back from its JSON form (what the page reads), e.g. for the shared test vectors."""
    mentoring = Mentoring(mentees=tuple(data["mentees"]), stages=tuple(data["stages"]),
                          formats=tuple(data["formats"]))  # fmt: skip
    return Mentor(data["id"], data["name"], data["location"], tuple(data["lived_in"]), tuple(data["languages"]),
                  tuple(data["expertise"]), mentoring)  # fmt: skip


def page_data(people: list[Profile], topics: dict[str, Topic], language: str,
              url_of: Callable[[Profile], str], rule: Rule = RULE) -> dict[str, object]:  # fmt: skip
    """What /mentors/mentors.json holds: the rule, the public mentors and the names reasons use."""
    profiles = public_mentors(people)
    mentors = [Mentor.of(person) for person in profiles]
    names = names_for(mentors, topics, language)
    return {
        "rule": rule.as_data(),
        "mentors": [_mentor_data(mentor, url_of(person)) for mentor, person in zip(mentors, profiles, strict=True)],
        "names": {"countries": names.countries, "languages": names.languages, "topics": names.topics},
    }


def language_data(people: list[Profile], topics: dict[str, Topic], lang: str,
                  url_of: Callable[[Profile], str]) -> dict[str, object]:  # fmt: skip
    """page_data for a page in `lang`: the reasons' wording, country, language and topic names in it."""
    topics_in_lang = {key: topic.in_language(lang) for key, topic in topics.items()}
    return page_data(people, topics_in_lang, lang, url_of, rule_in(lang))


def rule_in(lang: str) -> Rule:
    """The rule with its reasons worded in `lang` (the catalog's)."""
    words = translations(lang).gettext
    return Rule(tuple(replace(criterion, reason=words(criterion.reason)) for criterion in RULE.criteria))


def page_json(data: dict[str, object]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"
