"""generator.content.summaries: the default summary (first paragraph, cut at a word near 300) and reading time."""

from __future__ import annotations

import textwrap

from generator.content.summaries import cut, first_paragraph, reading_minutes

WORDS = "Partners who restart their careers abroad meet the same obstacles again and again"


def test_first_prose_paragraph_skips_headings_images_lists_and_quotes():
    body = textwrap.dedent("""\
        # A heading

        ![A harbour](../media/harbour.svg)

        - a list item
        - another

        > a quote

        !!! note "Admonition"
            Not prose.

        ***

        The **first** paragraph, with a [link](https://example.org/) and `code`,
        over two lines.

        The second paragraph.
        """)
    assert first_paragraph(body) == "The first paragraph, with a link and code, over two lines."


def test_no_prose_gives_an_empty_summary():
    assert first_paragraph("# Only a heading\n\n- and a list\n") == ""
    assert first_paragraph("") == ""


def test_text_is_kept_as_text():
    assert first_paragraph("Salaries < 50k & rising.\n") == "Salaries < 50k & rising."


def test_long_paragraph_is_cut_at_a_word_near_300_characters():
    paragraph = " ".join([WORDS] * 8)  # about 650 characters
    summary = first_paragraph(paragraph + "\n\nNext.")
    assert summary.endswith("…")
    head = summary.removesuffix("…")
    assert 250 <= len(head) <= 300
    assert paragraph.startswith(head)
    assert paragraph[len(head)] == " "  # cut between words, never inside one
    assert not head.endswith(" ")


def test_cut_keeps_short_text_and_drops_trailing_punctuation():
    assert cut("Short enough.", 300) == "Short enough."
    assert cut("x" * 300, 300) == "x" * 300
    assert cut("one two, three", 9) == "one two…"
    assert cut("alpha beta gamma", 10) == "alpha beta…"


def test_reading_minutes_rounds_and_is_at_least_one():
    assert reading_minutes("word " * 10, 220) == 1
    assert reading_minutes("word " * 660, 220) == 3
    assert reading_minutes("word " * 770, 220) == 4  # 3.5 rounds to even
    assert reading_minutes("", 220) == 1
