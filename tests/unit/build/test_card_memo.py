"""The preview's card memo: a card is rendered once per key, and marked safe either way."""

from __future__ import annotations

from jinja2 import Environment

from generator.build.card_memo import CardMemo

TEMPLATE = (
    "{% macro card(item, heading) %}{% autoescape true %}"
    "{{ tally(item) }}<{{ heading }}>{{ item }}</{{ heading }}>{% endautoescape %}{% endmacro -%}"
    '{% autoescape true %}{% for item in items %}{{ hub_card(card, item, "h3") }}{% endfor %}{% endautoescape %}'
)


def key_of(item: str, page: str | None) -> tuple[str, str | None] | None:
    """One key per item and page, as the hub's keys differ by page; none on an article page."""
    return None if page == "article" else (item, page)


def render(memo: CardMemo, items: list[str], page: str, rendered: list[str]) -> str:
    """The template over items on a page; each card the macro actually renders goes to `rendered`."""
    env = Environment(autoescape=False)
    env.globals.update(hub_card=memo.render, tally=lambda item: rendered.append(item) or "")
    return env.from_string(TEMPLATE).render(items=items, page=page)


def test_cards_are_escaped_once_with_or_without_the_memo():
    for keys in (None, key_of):
        memo = CardMemo()
        memo.start_build(keys)
        assert render(memo, ["<b>x</b>"], "topics/a", []) == "<h3>&lt;b&gt;x&lt;/b&gt;</h3>"


def test_a_card_is_rendered_once_per_page_and_then_copied():
    memo = CardMemo()
    memo.start_build(key_of)
    rendered: list[str] = []
    first = render(memo, ["a", "b"], "topics/x", rendered)
    assert render(memo, ["b", "a", "c"], "topics/x", rendered) == "<h3>b</h3><h3>a</h3><h3>c</h3>"
    assert first == "<h3>a</h3><h3>b</h3>"
    assert rendered == ["a", "b", "c"]
    render(memo, ["a"], "topics/y", rendered)  # another page: its links differ, so its own key
    assert rendered[-1] == "a"
    added = memo.take_added()
    assert sorted(added) == [(("a", "topics/x"), "h3"), (("a", "topics/y"), "h3"), (("b", "topics/x"), "h3"),
                             (("c", "topics/x"), "h3")]  # fmt: skip
    assert added[(("c", "topics/x"), "h3")] == "<h3>c</h3>"
    assert memo.take_added() == {}


def test_pages_the_key_leaves_out_are_rendered_every_time():
    memo = CardMemo()
    memo.start_build(key_of)
    rendered: list[str] = []
    render(memo, ["a"], "article", rendered)
    render(memo, ["a"], "article", rendered)
    assert rendered == ["a", "a"] and memo.cards == {}


def test_a_whole_build_keeps_only_the_cards_it_uses_again():
    memo = CardMemo()
    memo.start_build(key_of)
    render(memo, ["a", "b"], "topics/x", [])
    memo.start_build(key_of)
    rendered: list[str] = []
    render(memo, ["a"], "topics/x", rendered)
    assert rendered == []  # from the build before
    # and handed back by a worker like a card it made, so the parent's next build has it too
    assert set(memo.take_added()) == {(("a", "topics/x"), "h3")}
    memo.start_build(key_of)
    assert set(memo.earlier) == {(("a", "topics/x"), "h3")}  # b was not used by the last build


def test_a_one_off_build_keeps_nothing():
    memo = CardMemo()
    memo.start_build(key_of)
    render(memo, ["a"], "topics/x", [])
    memo.start_build(None)
    rendered: list[str] = []
    render(memo, ["a"], "topics/x", rendered)
    assert rendered == ["a"] and memo.cards == memo.earlier == {}
