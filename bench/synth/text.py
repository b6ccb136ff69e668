"""Seeded Markdown prose about relocating partners: headings, paragraphs, lists, links.

Internal links are written as `(@<section>/<slug>)` placeholders; each output
flavour turns them into the relative `.md` path its layout needs, so every
flavour gets the same words.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import words as w

EMPHASIS_RATE = 0.06
LINK_RATE = 0.3
EXTERNAL_LINK_RATE = 0.12

_TABLES: dict[str, tuple[str, ...]] = {
    "S": w.SUBJECTS, "adv": w.ADVERBS, "v": w.VERBS, "a": w.ADJECTIVES,
    "p": w.PREPOSITIONS, "d": w.DETERMINERS, "c": w.CONNECTORS, "pl": w.PLURALS,
    "G": w.GERUNDS, "city2": tuple(country[2][0] for country in w.COUNTRIES),
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece is set: fills {city}, {country}, {to_city}, {from_city}, {name}."""

    city: str = "Berlin"
    country: str = "Germany"
    from_city: str = "Lisbon"
    name: str = "Ana"


class _Slots(dict[str, str]):
    """Template slots drawn lazily: only the slots a template names cost a random draw."""

    def __init__(self, rng: random.Random, place: Place):
        super().__init__(
            city=place.city, country=place.country, to_city=place.city,
            from_city=place.from_city, name=place.name,
        )
        self._random = rng.random

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _pick(self, options: tuple[str, ...]) -> str:
        # Indexing by random() is about three times faster than Random.choice here,
        # and this is the generator's innermost loop.
        return options[int(self._random() * len(options))]

    def _draw(self, key: str) -> str:
        if key in ("n", "n2", "n3"):
            noun = self._pick(w.NOUNS)
            if self._random() < EMPHASIS_RATE:
                return f"**{noun}**" if self._random() < 0.3 else f"*{noun}*"
            return noun
        if key in _TABLES:
            return self._pick(_TABLES[key])
        if key == "A":
            return self._pick(w.ADJECTIVES).capitalize()
        if key == "g":
            return self._pick(w.GERUNDS).lower()
        if key == "k":
            return str(3 + int(self._random() * 7))
        raise KeyError(key)


_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=\*{0,2}(?:[aeioAEIO]|un))")


def _fill(template: str, rng: random.Random, place: Place) -> str:
    text = _A_BEFORE_VOWEL.sub(r"\1n ", template.format_map(_Slots(rng, place)))
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
