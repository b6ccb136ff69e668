"""The pure parts: canonical URLs, inert Markdown, the draft's text; and the settings' errors."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

import markdown
import pytest
import yaml

from community_digest.sources import FeedItem
from generator.content.settings import CurationFeed
from generator.curation.canonical import canonical_url
from generator.curation.drafts import draft_for, inert_markdown, words
from tests.curation.conftest import Hub

EXTENSIONS = [
    "attr_list", "md_in_html", "tables", "admonition", "footnotes", "pymdownx.details", "pymdownx.superfences",
]  # fmt: skip


@pytest.mark.parametrize(("variant", "canonical"), [
    ("HTTPS://Partner.Example/a?id=7", "https://partner.example/a?id=7"),
    ("https://partner.example:443/a?utm_source=x&id=7&utm_medium=y", "https://partner.example/a?id=7"),
    ("https://partner.example/a?id=7&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&msclkid=5#comments",
     "https://partner.example/a?id=7"),
    ("https://partner.example", "https://partner.example/"),
    ("https://user:secret@partner.example/a", "https://partner.example/a"),
    ("http://partner.example:8080/a?b=1&a=2", "http://partner.example:8080/a?b=1&a=2"),
    ("https://partner.example/Case/Kept?Q=1", "https://partner.example/Case/Kept?Q=1"),
])  # fmt: skip
def test_canonical_url(variant: str, canonical: str):
    assert canonical_url(variant) == canonical


@pytest.mark.parametrize("text", [
    "# not a heading", "1. not a list", "- not a list", "> not a quote", "!!! note not an admonition",
    "??? note not details", "~~~ not a fence", "``` not a fence", "| a | b |", "[^1]: not a footnote",
    "*not emphasis* and _not_ either", "[a link](https://x.example) ![an image](x.png)",
    "<script>alert(1)</script>", "<b onclick=alert(1)>x</b>", "&lt;i&gt; stays as written &amp;",
    "{: onclick=alert(1) }", "<https://autolink.example>", "back\\slash \\* kept", "=== not setext",
])  # fmt: skip
def test_inert_markdown_renders_as_the_text_itself(text: str):
    inert = inert_markdown(text)
    html = markdown.markdown(inert, extensions=EXTENSIONS)

    assert "](" not in inert  # nothing the hub's link check could read as a link

    assert html.startswith("<p>") and html.endswith("</p>") and html.count("<") == 2, html
    assert _as_text(html) == text


def _as_text(rendered: str) -> str:
    return html.unescape(rendered.removeprefix("<p>").removesuffix("</p>"))


def test_words_cuts_at_a_word_with_an_ellipsis():
    assert words("one two three four", 2) == "one two…"
    assert words("one two", 2) == "one two"
    assert words("a " + "x" * 700, 60, chars=599).endswith("…")
    assert len(words("a " + "x" * 700, 60, chars=599)) <= 600


def test_a_long_entry_keeps_a_short_summary_and_a_shorter_quote():
    long = " ".join(f"word{i}" for i in range(500))
    item = FeedItem(id="x", title="T " * 150, url="https://p.example/t", summary=long, type="partner",
                    published=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip

    draft = draft_for(item, CurationFeed(url="https://p.example/feed", name="P"), day=date(2026, 12, 5))

    front = yaml.safe_load(draft.text.split("---\n")[1])
    assert len(front["summary"].split()) == 60 and front["summary"].endswith("word59…")
    assert len(front["title"]) <= 200
    quote = draft.text.split("---\n", 2)[2].splitlines()[0]
    assert quote.startswith("> word0 ") and quote.endswith("word39…")
    assert "word40" not in draft.text.split("---\n", 2)[2]


def test_an_entry_without_title_or_text_gets_placeholders_and_a_slug_from_its_link():
    item = FeedItem(id="x", title="(untitled)", url="https://p.example/news/Moving-Day/", summary="",
                    type="partner", published=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip

    draft = draft_for(item, CurationFeed(url="https://p.example/feed", name="P"), day=date(2026, 12, 5))

    front = yaml.safe_load(draft.text.split("---\n")[1])
    assert draft.slug == "moving-day"
    assert front["title"].startswith("TODO: ") and front["summary"].startswith("TODO: ")
    assert draft.text.split("---\n", 2)[2].startswith("TODO: in the hub's own words")


def test_settings_name_the_line_of_an_unknown_key_and_of_a_topic_not_in_topics_yml(curated_hub: Hub):
    curated_hub.set_feeds([{"url": "/rss", "name": "R", "colour": "red"}])
    unknown = curated_hub.curate()
    unknown_line = _line_of(curated_hub, "colour:")
    curated_hub.set_feeds([{"url": "/rss", "name": "R", "categories": {"Careers": "carrers"}, "topics": ["mentoring"]}])
    misspelt = curated_hub.curate()

    assert unknown.exit_code != 0 and misspelt.exit_code != 0
    assert str(unknown.exception) == f"mkdocs.yml:{unknown_line}: extra.hub.curation.feeds.0.colour: unknown setting"
    assert str(misspelt.exception) == (
        f"mkdocs.yml:{_line_of(curated_hub, 'Careers:')}: extra.hub.curation.feeds.0.categories.Careers: "
        "expected a topic id from topics.yml, got 'carrers'"
    )
    assert curated_hub.drafts() == {} and not curated_hub.ledger.exists()


def _line_of(hub: Hub, start: str) -> int:
    lines = hub.config.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip().startswith(start))
