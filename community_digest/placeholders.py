"""Per-recipient placeholders (`%%name%%`, `%%unsubscribe_url%%`): filled only where templates put them.

Two locks, so that text from a feed can never become a subscriber's name or
unsubscribe link:
- On the way in, feed text is made inert (`inert_text`, `inert_url`): it can no
  longer hold `%%` at all.
- When an issue is rendered, the templates' placeholders are written as random
  sentinels that nothing outside the templates can know (`Sentinels`). After
  rendering, each sentinel becomes its placeholder again and its position is
  recorded (`Slot`); the sender fills those positions and no others, so a
  `%%name%%` anywhere else in the text stays just text.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

NAME = "%%name%%"
UNSUBSCRIBE_URL = "%%unsubscribe_url%%"
PREFERENCES_URL = "%%preferences_url%%"
PLACEHOLDERS = (NAME, UNSUBSCRIBE_URL, PREFERENCES_URL)
_RUNS = re.compile(r"%{2,}")
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def inert_text(text: str) -> str:
    """Feed text that cannot hold a placeholder: each run of `%` signs becomes one."""
    return _RUNS.sub("%", text)


def inert_url(url: str) -> str:
    """A URL that cannot hold a placeholder: a `%` that starts no escape is escaped (`%25`)."""
    return _BARE_PERCENT.sub("%25", url)


@dataclass(frozen=True, slots=True)
class Slot:
    """Where the compiled text holds a placeholder to fill: its offset, in characters."""

    offset: int
    placeholder: str


class Sentinels:
    """Random stand-ins for the placeholders, fresh for every rendering.

    Letters and digits only, so that Jinja's escaping, the MJML compiler, the CSS
    inliner and text wrapping all leave them alone.
    """

    def __init__(self) -> None:
        nonce = secrets.token_hex(16)
        self.of = {p: f"hubslot{nonce}{p.strip('%').replace('_', '')}" for p in PLACEHOLDERS}
        self._find = re.compile("|".join(map(re.escape, self.of.values())))
        self._placeholder = {sentinel: p for p, sentinel in self.of.items()}

    def put(self, text: str) -> str:
        """Trusted text (the templates' own words) with its placeholders as sentinels."""
        for placeholder, sentinel in self.of.items():
            text = text.replace(placeholder, sentinel)
        return text

    def locate(self, rendered: str) -> tuple[str, tuple[Slot, ...]]:
        """The rendered text with each sentinel back as its placeholder, and their slots."""
        out: list[str] = []
        slots: list[Slot] = []
        length = 0
        last = 0
        for match in self._find.finditer(rendered):
            before = rendered[last : match.start()]
            placeholder = self._placeholder[match.group()]
            out += (before, placeholder)
            length += len(before)
            slots.append(Slot(length, placeholder))
            length += len(placeholder)
            last = match.end()
        out.append(rendered[last:])
        return "".join(out), tuple(slots)


def slots_data(slots: Sequence[Slot]) -> list[list[int | str]]:
    """Slots as the manifest stores them: [[offset, placeholder], ...]."""
    return [[slot.offset, slot.placeholder] for slot in slots]


def slots_from_data(raw: Sequence[Sequence[object]]) -> tuple[Slot, ...]:
    """Slots from the manifest; ValueError for anything that is not one."""
    slots = []
    for item in raw:
        offset, placeholder = item
        if not isinstance(offset, int) or offset < 0 or placeholder not in PLACEHOLDERS:
            raise ValueError(f"not a placeholder slot: {item!r}")
        slots.append(Slot(offset, str(placeholder)))
    return tuple(slots)


def split_at_slots(text: str, slots: Sequence[Slot]) -> list[str]:
    """Constant text and placeholders, alternating (constant first and last).

    ValueError when a slot does not hold its placeholder: the file was changed
    after it was compiled.
    """
    parts: list[str] = []
    last = 0
    for slot in sorted(slots, key=lambda s: s.offset):
        end = slot.offset + len(slot.placeholder)
        if slot.offset < last or text[slot.offset : end] != slot.placeholder:
            raise ValueError(f"no {slot.placeholder} at character {slot.offset}")
        parts += (text[last : slot.offset], slot.placeholder)
        last = end
    parts.append(text[last:])
    return parts
