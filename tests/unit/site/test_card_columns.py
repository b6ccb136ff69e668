"""partials/hub.html's columns(): how many cards per row, so the last row is never one card alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

THEME = Path(__file__).resolve().parents[3] / "themes" / "hub"


@pytest.fixture(scope="module")
def columns():
    env = Environment(loader=FileSystemLoader(str(THEME)), extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["url"] = str  # MkDocs' filter; columns() does not use it
    macros = env.get_template("partials/hub.html").module
    return lambda n, most=4: int(str(macros.columns(n, most)))


@pytest.mark.parametrize("most", [3, 4])
def test_no_lone_card_on_the_last_row_when_some_width_avoids_it(columns, most: int):
    for n in range(2, 40):
        per_row = columns(n, most)
        assert 2 <= per_row <= most
        if any(n % width != 1 for width in (2, 3, 4) if width <= most):
            assert n % per_row != 1, f"{n} cards in rows of {per_row} leave one alone"
        else:
            assert per_row == 3  # hub.css widens the first card: n + 1 places, no lone card
            assert (n + 1) % per_row != 1


def test_the_stylesheet_widens_the_first_card_when_one_would_be_alone():
    css = (THEME / "assets" / "stylesheets" / "hub.css").read_text(encoding="utf-8")
    for width in (2, 3, 4):
        assert f".hub-cols-{width} > :first-child:not(:only-child):nth-last-child({width}n+1)" in css


def test_short_lists_keep_the_usual_width(columns):
    # One to three cards sit in three columns: a single card is not stretched across the page.
    assert [columns(n) for n in (1, 2, 3)] == [3, 3, 3]
    assert [columns(n) for n in (4, 5, 6, 7, 10, 13)] == [4, 3, 3, 4, 4, 3]
    assert [columns(n, 3) for n in (4, 7, 11, 13)] == [2, 3, 3, 3]
