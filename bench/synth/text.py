"""Seeded Markdown prose about relocating partners: headings, paragraphs, lists, links.

Internal links are written as `(@<section>/<slug>)` placeholders; each output
flavour turns them into the relative `.md` path its layout needs, so every
flavour gets the same words.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from . import words as w

EMPHASIS_RATE = 0.06
LINK_RATE = 0.3
EXTERNAL_LINK_RATE = 0.12

_TABLES: dict[str, tuple[str, ...]] = {
    "S": w.SUBJECTS,
    "adv": w.ADVERBS,
    "v": w.VERBS,
    "a": w.ADJECTIVES,
    "p": w.PREPOSITIONS,
    "d": w.DETERMINERS,
    "c": w.CONNECTORS,
    "pl": w.PLURALS,
    "G": w.GERUNDS,
    "g": tuple(gerund.lower() for gerund in w.GERUNDS),
    "A": tuple(adjective.capitalize() for adjective in w.ADJECTIVES),
    "k": tuple(str(number) for number in range(3, 10)),
    "city2": tuple(country[2][0] for country in w.COUNTRIES),
}
_NOUNS = ("n", "n2", "n3")
_PLACE_SLOTS = {
    "city": "city",
    "to_city": "city",
    "country": "country",
    "from_city": "from_city",
    "name": "name",
}
_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=\*{0,2}(?:[aeioAEIO]|un))")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece is set: fills {city}, {country}, {to_city}, {from_city}, {name}."""

    city: str = "Berlin"
    country: str = "Germany"
    from_city: str = "Lisbon"
    name: str = "Ana"


@cache
def _compile(template: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, key) for literal, key, _, _ in string.Formatter().parse(template))


def _draw(key: str, draw: Callable[[], float], place: Place) -> str:
    # Indexing by random() rather than Random.choice: this is the innermost loop,
    # and it makes 5,000 items about twice as fast.
    if key in _NOUNS:
        noun = w.NOUNS[int(draw() * len(w.NOUNS))]
        if draw() < EMPHASIS_RATE:
            return f"**{noun}**" if draw() < 0.3 else f"*{noun}*"
        return noun
    options = _TABLES.get(key)
    if options is not None:
        return options[int(draw() * len(options))]
    return str(getattr(place, _PLACE_SLOTS[key]))


def _fill(template: str, rng: random.Random, place: Place) -> str:
    """`template` with each {slot} drawn once; capitalized, with 'a' made 'an' before vowels."""
    parts: list[str] = []
    drawn: dict[str, str] = {}
    draw = rng.random
    for literal, key in _compile(template):
        parts.append(literal)
        if key is not None:
            value = drawn.get(key)
            if value is None:
                value = drawn[key] = _draw(key, draw, place)
            parts.append(value)
    text = "".join(parts)
    if "a " in text or "A " in text:
        text = _A_BEFORE_VOWEL.sub(r"\1n ", text)
    return text[0].upper() + text[1:]


class Prose:
    """Draws titles, headings and bodies from one seeded RNG."""

    def __init__(self, rng: random.Random, targets: Sequence[str]):
        self.rng = rng
        self.targets = targets  # "<section>/<slug>" of pages that exist
        self.words = 0

    def fill(self, template: str, place: Place) -> str:
        return _fill(template, self.rng, place)

    def sentence(self, place: Place) -> str:
        text = _fill(self.rng.choice(w.SENTENCES), self.rng, place)
        self.words += text.count(" ") + 1
        return text

    def _link_sentence(self, place: Place) -> str:
        rng = self.rng
        phrase = _fill(rng.choice(w.LINK_PHRASES), rng, place)
        phrase = phrase[0].lower() + phrase[1:]
        if self.targets and rng.random() >= EXTERNAL_LINK_RATE:
            href = f"@{rng.choice(self.targets)}"
        else:
            href = rng.choice(w.EXTERNAL_LINKS)
        text = f"See [{phrase}]({href}) for more."
        self.words += text.count(" ") + 1
        return text

    def paragraph(self, place: Place, low: int = 3, high: int = 6) -> str:
        sentences = [self.sentence(place) for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < LINK_RATE:
            sentences.insert(self.rng.randint(1, len(sentences)), self._link_sentence(place))
        return " ".join(sentences)

    def heading(self, level: int, place: Place) -> str:
        text = _fill(self.rng.choice(w.HEADINGS), self.rng, place).replace("*", "")
        self.words += text.count(" ") + 1
        return f"{'#' * level} {text}"

    def bullet_list(self, place: Place) -> str:
        numbered = self.rng.random() < 0.35
        items = []
        for index in range(1, self.rng.randint(3, 6) + 1):
            text = _fill("{G} the {n} {p} {d} {a} {n2}", self.rng, place)
            self.words += text.count(" ") + 1
            items.append(f"{index}. {text}" if numbered else f"- {text}")
        return "\n".join(items)

    def quote(self, place: Place) -> str:
        return "> " + self.sentence(place)

    def qa(self, place: Place) -> list[str]:
        question = _fill(self.rng.choice(w.QUESTIONS), self.rng, place).replace("*", "")
        self.words += question.count(" ") + 1
        return [f"**{question}**", self.paragraph(place, 2, 5)]

    def article(self, target: int, place: Place) -> str:
        """Intro, then sections of paragraphs, lists and sub-headings until `target` words."""
        self.words = 0
        blocks = [self.paragraph(place)]
        while self.words < target:
            blocks.append(self.heading(2, place))
            blocks.append(self.paragraph(place))
            roll = self.rng.random()
            if roll < 0.35:
                blocks.append(self.bullet_list(place))
            elif roll < 0.55:
                blocks.extend([self.heading(3, place), self.paragraph(place)])
            if self.words < target and self.rng.random() < 0.6:
                blocks.append(self.paragraph(place))
        return "\n\n".join(blocks) + "\n"

    def story(self, target: int, place: Place) -> str:
        """An interview: intro, a pull quote, then questions and answers until `target` words."""
        self.words = 0
        blocks = [self.paragraph(place), self.quote(place)]
        while self.words < target:
            if self.rng.random() < 0.2:
                blocks.append(self.heading(2, place))
            blocks.extend(self.qa(place))
        return "\n\n".join(blocks) + "\n"

    def bio(self, target: int, place: Place) -> str:
        self.words = 0
        blocks = [self.paragraph(place, 2, 4)]
        while self.words < target:
            blocks.append(self.paragraph(place, 2, 4))
        if self.rng.random() < 0.5:
            blocks.extend(["Ask me about:", self.bullet_list(place)])
        return "\n\n".join(blocks) + "\n"

    def short(self, target: int, place: Place) -> str:
        """A few paragraphs and one list: the digest intro and plain pages."""
        self.words = 0
        blocks = [self.paragraph(place)]
        while self.words < target:
            blocks.append(self.paragraph(place))
        blocks.insert(1, self.bullet_list(place))
        return "\n\n".join(blocks) + "\n"
