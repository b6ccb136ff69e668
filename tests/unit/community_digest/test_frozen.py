"""community_digest.frozen: the selection file editors review, round trip and errors."""

from __future__ import annotations

import pytest

from community_digest.frozen import (
    SelectionFileError,
    parse_selection,
    read_selection,
    selection_text,
    write_selection,
)

from .factories import item, selection


def _sample():
    return selection(
        [
            item(
                "lead",
                featured=True,
                topics=("wellbeing",),
                image="https://hub.example.org/m.jpg",
                image_alt="A lake",
                authors=("Ana Lima",),
            ),
            item("salaries", title="Salaries < 50k & rising", topics=("partner-career",)),
            item("no", kind="story", countries=("NO", "SG")),
            item("club", kind="partner", source="Welcome Club", lang=None),
        ]
    )


def test_round_trip_keeps_everything_the_e_mail_needs(tmp_path):
    original = _sample()
    write_selection(tmp_path, original)
    again = read_selection(tmp_path, original.issue)
    assert again == original


def test_text_is_stable_and_says_how_to_edit():
    text = selection_text(_sample())
    assert text == selection_text(_sample())
    assert text.startswith("# The frozen selection of digest issue 2025-q3")
    assert "`hub digest build 2025-q3 --force`" in text
    assert "featured: true" not in text  # the section says it


def test_missing_file_is_none(tmp_path):
    assert read_selection(tmp_path, "2025-q3") is None


def _broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "type: story",
            "type: interview",
            "expected one of article, story, person, partner, got 'interview'",
        ),
        (
            "url: https://hub.example.org/articles/salaries/",
            "url: /articles/salaries/",
            "sections.articles[0].url: expected an absolute http(s) URL, got '/articles/salaries/'",
        ),
        ("cap: 6", "cap: many", "cap: expected a whole number of 1 or more, got 'many'"),
        ("  articles:", "  news:", "sections.news: expected one of featured, articles, stories"),
        (
            "date: '2025-08-01T12:00:00+02:00'",
            "date: yesterday",
            "expected a date like 2025-11-12T00:00:00+01:00, got 'yesterday'",
        ),
    ],
)
def test_editing_mistakes_name_file_line_and_field(old, new, message):
    text = _broken(selection_text(_sample()), old, new)
    with pytest.raises(SelectionFileError) as caught:
        parse_selection(text, "content/digests/2025-q3.selection.yml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("content/digests/2025-q3.selection.yml:")
    line = int(str(caught.value).split(":")[1])
    assert new.split(":")[0].strip() in text.splitlines()[line - 1]


def test_yaml_syntax_error_has_a_line():
    with pytest.raises(SelectionFileError, match=r"^x\.yml:\d+: invalid YAML"):
        parse_selection("issue: [unclosed\n", "x.yml")


def test_editors_can_drop_and_reorder(tmp_path):
    write_selection(tmp_path, _sample())
    path = tmp_path / "digests" / "2025-q3.selection.yml"
    text = path.read_text(encoding="utf-8")
    # Drop the story section, move the partner item first in its list (trivially) and retitle.
    text = text.replace("Salaries < 50k & rising", "Salaries under 50k")
    start = text.index("  stories:")
    end = text.index("  partners:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edited = read_selection(tmp_path, "2025-q3")
    assert [s.id for s in edited.sections] == ["featured", "articles", "partners"]
    assert edited.section("articles").items[0].title == "Salaries under 50k"
