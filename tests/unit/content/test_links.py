"""Relative links: a missing file, a missing heading or an unpublished target fails the check."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import hub
from generator.content.errors import HubError, Severity
from generator.content.links import LinkedFile, check_links, find_links, heading_ids
from tests.hubkit import ARTICLE, PERSON, write_hub

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def body(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


TARGET = LinkedFile("articles/b.md", body("""
    # Moving to Zürich

    ## Salaries < 50k & *rising*

    ## Intro

    ## Intro

    Setext heading
    --------------

    ## Visas {#work-visas}

    ## The `hub new` command

    A paragraph with its own id.
    {: #note }
    """))


def issues(source: str, *others: LinkedFile, path: str = "articles/a.md",
           existing: tuple[str, ...] = ()) -> list[str]:  # fmt: skip
    """Messages for `source` (body of content/articles/a.md, starting on line 6)."""
    files = [LinkedFile(path, body(source), 6), TARGET, *others]
    listing = {file.path for file in files} | {"media/map.svg", *existing}
    return [str(issue) for issue in check_links(files, listing)]


def test_broken_file_link_names_file_line_and_link() -> None:
    assert issues("""
        Intro.

        See [the guide](missing.md) and ![a map](../media/nope.svg).
        """) == [
        "content/articles/a.md:8: link: expected an existing content file, got 'missing.md'",
        "content/articles/a.md:8: link: expected an existing content file, got '../media/nope.svg'",
    ]


def test_broken_anchor_names_the_heading_and_target() -> None:
    assert issues("""
        Read [the intro](b.md#nope), or [here](#nowhere).

        ## Here
        """) == [
        "content/articles/a.md:6: link: expected a heading '#nope' in content/articles/b.md",
        "content/articles/a.md:6: link: expected a heading '#nowhere' in content/articles/a.md",
    ]


def test_valid_links_pass() -> None:
    assert issues("""
        [Zürich](b.md#moving-to-zurich), [pay](b.md#salaries-50k-rising),
        [first intro](b.md#intro), [second intro](b.md#intro_1),
        [setext](b.md#setext-heading), [visas](b.md#work-visas), [note](./b.md#note),
        [command](b.md#the-hub-new-command),
        [self](../articles/a.md#own), [down](#own), [a map](../media/map.svg "Map"),
        [ref][guide], [web](https://example.org/x.md), [mail](mailto:a@b.org),
        [folder](../topics/integration/), [absolute](/articles/b/),

        ## Own

        [guide]: <b.md#intro>
        """) == []


def test_links_in_code_are_ignored() -> None:
    assert issues("""
        Use `[x](missing.md)` in prose.

        ```markdown
        [x](missing.md)
        ```

            [x](indented-code.md)

        ~~~
        [x](tilde.md)
        ~~~
        """) == []


def test_indented_list_continuation_is_checked() -> None:
    assert issues("""
        - first item

            More about it in [the guide](missing.md).
        """) == ["content/articles/a.md:8: link: expected an existing content file, got 'missing.md'"]


def test_link_to_draft_or_private_profile_is_an_error() -> None:
    draft = LinkedFile("articles/secret.md", "Secret.", hidden="a draft (draft: true)")
    private = LinkedFile("people/bo.md", "Bo.", hidden="a private profile (public: false)")
    assert issues("[secret](secret.md)\n[Bo](../people/bo.md)\n", draft, private) == [
        "content/articles/a.md:6: link: expected a published page, got 'secret.md', "
        "a draft (draft: true)",
        "content/articles/a.md:7: link: expected a published page, got '../people/bo.md', "
        "a private profile (public: false)",
    ]


def test_a_draft_may_link_to_a_draft_but_not_to_a_missing_file() -> None:
    draft = LinkedFile("articles/secret.md", "Secret.", hidden="a draft (draft: true)")
    files = [LinkedFile("articles/a.md", "[s](secret.md) [m](missing.md)", 6, hidden="a draft"), draft]
    assert [str(i) for i in check_links(files, {"articles/a.md", "articles/secret.md"})] == [
        "content/articles/a.md:6: link: expected an existing content file, got 'missing.md'",
    ]


def test_link_to_a_scheduled_item_is_a_warning() -> None:
    later = LinkedFile("articles/later.md", "Soon.", scheduled=datetime(2026, 4, 1, tzinfo=UTC))
    files = [LinkedFile("articles/a.md", "[soon](later.md)", 6), later]
    [issue] = check_links(files, {"articles/a.md", "articles/later.md"})
    assert issue.severity is Severity.WARNING
    assert str(issue) == (
        "content/articles/a.md:6: warning: link: expected a published page, got 'later.md', "
        "scheduled for 2026-04-01; the link is dead until then"
    )


def test_heading_ids_follow_the_toc_extension() -> None:
    assert heading_ids(TARGET.body) == {
        "moving-to-zurich", "salaries-50k-rising", "intro", "intro_1", "setext-heading",
        "work-visas", "the-hub-new-command", "note",
    }  # fmt: skip


def test_reference_definitions_and_multiline_links_have_their_line() -> None:
    found = find_links(body("""
        A [link that
        wraps](x.md).

        [ref]: y.md
        [^1]: a footnote, not a link
        """), 10)
    assert [(link.line, link.url) for link in found] == [(11, "x.md"), (13, "y.md")]


def hub_files(link: str) -> dict[str, str]:
    return {
        "people/ana.md": PERSON.format(name="Ana Lima"),
        "articles/b.md": ARTICLE.format(title="B", date="2025-01-02", author="ana"),
        "articles/draft.md": ARTICLE.format(title="D", date="2025-01-02", author="ana")
        .replace("topics:", "draft: true\ntopics:"),
        "articles/a.md": ARTICLE.format(title="A", date="2025-01-03", author="ana")
        + f"\n## Details\n\nSee {link}.\n",
    }  # fmt: skip


def test_hub_check_reports_broken_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = hub_files("[b](b.md#nope), [d](draft.md), [t](../topics/integration.md)")
    write_hub(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(hub, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/articles/a.md:11: link: expected a heading '#nope' in content/articles/b.md",
        "content/articles/a.md:11: link: expected a published page, got 'draft.md', "
        "a draft (draft: true)",
        "2 error(s) in the content",
    ]


def test_strict_build_fails_on_a_broken_link(tmp_path: Path) -> None:
    from generator.engine.run import build_site

    config = write_hub(tmp_path, hub_files("[the guide](missing.md)"))
    with pytest.raises(HubError) as failure:
        build_site(config, strict=True)
    assert "content/articles/a.md:11: link: expected an existing content file, got 'missing.md'" in (
        str(failure.value).splitlines()
    )
    assert not (tmp_path / "site").exists()


def test_a_destination_intro_has_its_links_checked_and_written_as_the_site_places_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from generator.engine.run import build_site

    files = hub_files("[b](b.md)")
    files["articles/b.md"] = files["articles/b.md"].replace("topics:", "countries: [JP]\ntopics:")
    intro = "---\nsummary: Japan.\n---\nStart with [B](../articles/b.md#top) and [gone](../articles/gone.md).\n"
    files["countries/jp.md"] = intro
    config = write_hub(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(hub, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/countries/jp.md:4: link: expected a heading '#top' in content/articles/b.md",
        "content/countries/jp.md:4: link: expected an existing content file, got '../articles/gone.md'",
        "2 error(s) in the content",
    ]
    fixed = intro.replace("#top", "").replace(" and [gone](../articles/gone.md)", "")
    (tmp_path / "content/countries/jp.md").write_text(fixed, encoding="utf-8")
    build_site(config, strict=True)
    page = (tmp_path / "site/countries/jp/index.html").read_text(encoding="utf-8")
    assert '<a href="../../articles/b/">B</a>' in page
