"""Cards rendered earlier in a preview session, reused while what they show is unchanged.

In `hub serve`, a new title renders again every hub page that cards the item: topic
pages of hundreds of cards, of which one changed. The memo keeps each card's HTML
under a key that changes whenever the card would (what it shows, the site-wide part,
the page it is on, which its relative links depend on), so the others are copied.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

KeyOf = Callable[[Any, Any], Hashable | None]
"""(item, page) → the card's key on that page, or None to render it without the memo."""


class CardMemo:
    def __init__(self) -> None:
        self.key_of: KeyOf | None = None
        self.cards: dict[Hashable, str] = {}
        self.earlier: dict[Hashable, str] = {}
        """The cards of the build before: kept only if used again, so the memo never
        outgrows one site's cards."""
        self.added: dict[Hashable, str] = {}
        """Cards this process put in `cards` since take_added(), made or kept from the build
        before: a worker hands them back, or the next build would not find them."""

    def start_build(self, key_of: KeyOf | None) -> None:
        """A whole build starts: None turns the memo off (a one-off build reuses nothing)."""
        self.key_of = key_of
        self.earlier, self.cards, self.added = (self.cards if key_of else {}), {}, {}

    def take_added(self) -> dict[Hashable, str]:
        added, self.added = self.added, {}
        return added

    def add(self, cards: dict[Hashable, str]) -> None:
        self.cards.update(cards)

    @pass_context
    def render(self, context: Context, macro: Callable[..., str], item: Any, heading: str) -> Markup:
        """`{{ hub_card(card, item, heading) }}`: the card macro's output, from the memo if it has it."""
        # Called from Python, a macro returns a plain string even with autoescaping on
        # inside it: its output is already escaped, and is marked so here.
        key = self.key_of(item, context.get("page")) if self.key_of is not None else None
        if key is None:
            return Markup(macro(item, heading))  # noqa: S704
        key = (key, heading)
        html = self.cards.get(key)
        if html is None:
            html = self.earlier.pop(key, None)
            if html is None:
                html = str(macro(item, heading))
            self.cards[key] = self.added[key] = html
        return Markup(html)  # noqa: S704
