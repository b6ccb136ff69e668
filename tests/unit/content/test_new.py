"""`hub new`: a file in the right place that `hub check` flags until the editor fills it in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import hub
from generator.content.errors import HubError
from tests.hubkit import PERSON, write_hub

# 2026-03-14 23:30 UTC is already 2026-03-15 in the test hubs' Europe/Amsterdam.
EPOCH = "1773531000"
TODAY = "2026-03-15"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(*args: str) -> Outcome:
    """The `hub` command as cli.main runs it: a HubError is a message and exit 1."""
    result = CliRunner().invoke(hub, list(args))
    if isinstance(result.exception, HubError):
        return Outcome(1, result.stdout, str(result.exception))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


@pytest.fixture()
def hub_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_hub(tmp_path, {"people/ana.md": PERSON.format(name="Ana Lima")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return tmp_path


def replace(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    path: str
    text: str
    flagged: tuple[str, ...]
    fill: Callable[[Path], None]


CASES = {
    "article": Case(
        ("article", "Zürich: a first winter", "--topics", "integration,mentoring"),
        "content/articles/zurich-a-first-winter.md",
        f"""\
---
title: "Zürich: a first winter"
summary: "TODO: one to three sentences for listings, feeds and the digest"
date: {TODAY}
authors: []  # required: profile ids from people/, e.g. [ana-lima]
topics: [integration, mentoring]
---
TODO: write the article in Markdown; its first paragraph opens the page.
""",
        (
            "content/articles/zurich-a-first-winter.md:3: summary: expected your text, found the "
            "placeholder 'TODO: one to three sentences for listings, feeds and the digest'",
            "content/articles/zurich-a-first-winter.md:5: authors: expected a list of at least 1 "
            "values, got 0",
            "content/articles/zurich-a-first-winter.md:8: body: expected your text, found the "
            "placeholder 'TODO: write the article in Markdown; its first paragraph opens the page.'",
        ),
        lambda path: replace(
            path,
            ('"TODO: one to three sentences for listings, feeds and the digest"', "Snow and friends."),
            ("authors: []", "authors: [ana]"),
            ("TODO: write the article in Markdown; its first paragraph opens the page.", "Snow."),
        ),
    ),
    "story": Case(
        ("story", "Ana's year in Lisbon", "-t", "integration"),
        "content/stories/anas-year-in-lisbon.md",
        f"""\
---
title: "Ana's year in Lisbon"
summary: "TODO: one to three sentences for listings, feeds and the digest"
date: {TODAY}
partner_name: "TODO: first name or pseudonym"  # or partner: <profile id>, when they have a public profile
from: ""  # required: the country they moved from, e.g. DE
to: ""  # required: the country they moved to, e.g. SG
topics: [integration]
---
TODO: write the interview in Markdown; its first paragraph opens the page.
""",
        (
            "content/stories/anas-year-in-lisbon.md:3: summary: expected your text, found the "
            "placeholder 'TODO: one to three sentences for listings, feeds and the digest'",
            "content/stories/anas-year-in-lisbon.md:5: partner_name: expected your text, found the "
            "placeholder 'TODO: first name or pseudonym'",
            "content/stories/anas-year-in-lisbon.md:6: from: expected an ISO 3166-1 country code "
            "like DE or SG, got ''",
            "content/stories/anas-year-in-lisbon.md:7: to: expected an ISO 3166-1 country code like "
            "DE or SG, got ''",
            "content/stories/anas-year-in-lisbon.md:10: body: expected your text, found the "
            "placeholder 'TODO: write the interview in Markdown; its first paragraph opens the page.'",
        ),
        lambda path: replace(
            path,
            ('"TODO: one to three sentences for listings, feeds and the digest"', "A year."),
            ('"TODO: first name or pseudonym"', "Ana"),
            ('from: ""', "from: BR"),
            ('to: ""', "to: PT"),
            ("TODO: write the interview in Markdown; its first paragraph opens the page.", "Hi."),
        ),
    ),
    "person": Case(
        ("person", "Łukasz Żak", "--topics", "mentoring"),
        "content/people/lukasz-zak.md",
        """\
---
name: "Łukasz Żak"
roles: []  # required: any of author, coach, mentor, partner, editor, team
headline: "TODO: one line, like: Coach, former expat in Lisbon"
expertise: [mentoring]
---
TODO: write a short bio in Markdown.
""",
        (
            "content/people/lukasz-zak.md:3: roles: expected a list of at least 1 values, got 0",
            "content/people/lukasz-zak.md:4: headline: expected your text, found the placeholder "
            "'TODO: one line, like: Coach, former expat in Lisbon'",
            "content/people/lukasz-zak.md:7: body: expected your text, found the placeholder "
            "'TODO: write a short bio in Markdown.'",
        ),
        lambda path: replace(
            path,
            ("roles: []", "roles: [mentor]"),
            ('"TODO: one line, like: Coach, former expat in Lisbon"', "Mentor in Kraków"),
            ("TODO: write a short bio in Markdown.", "Łukasz mentors partners."),
        ),
    ),
    "digest": Case(
        ("digest", "2026-Q4"),
        "content/digests/2026-q4.md",
        """\
---
title: "Perspectives — Q4 2026"
summary: "TODO: one or two sentences on what this issue holds"
period: 2026-Q4
date: 2027-01-01
---
TODO: write the editorial intro in Markdown.
""",
        (
            "content/digests/2026-q4.md:3: summary: expected your text, found the placeholder "
            "'TODO: one or two sentences on what this issue holds'",
            "content/digests/2026-q4.md:7: body: expected your text, found the placeholder "
            "'TODO: write the editorial intro in Markdown.'",
        ),
        lambda path: replace(
            path,
            ('"TODO: one or two sentences on what this issue holds"', "The last quarter."),
            ("TODO: write the editorial intro in Markdown.", "Welcome to the issue."),
        ),
    ),
}


@pytest.mark.parametrize("kind", CASES)
def test_new_file_is_flagged_until_filled(hub_dir: Path, kind: str) -> None:
    case = CASES[kind]
    created = run("new", *case.args)
    assert (created.code, created.out) == (0, f"{case.path}\n")
    path = hub_dir / case.path
    assert path.read_text(encoding="utf-8") == case.text

    flagged = run("check")
    assert flagged.code == 1
    assert flagged.err.splitlines() == [*case.flagged, f"{len(case.flagged)} error(s) in the content"]

    case.fill(path)
    accepted = run("check", "--strict")
    assert accepted.code == 0, accepted.err
    assert accepted.err == ""


def test_slug_is_ascii_from_the_title(hub_dir: Path) -> None:
    assert run("new", "article", "Zürich: a first winter").out == (
        "content/articles/zurich-a-first-winter.md\n"
    )


def test_refuses_to_overwrite(hub_dir: Path) -> None:
    run("new", "article", "Zürich: a first winter", "--topics", "integration")
    path = hub_dir / "content/articles/zurich-a-first-winter.md"
    path.write_text("edited by hand", encoding="utf-8")

    again = run("new", "article", "Zürich: a first winter")

    assert again.code == 1
    assert again.err == (
        "content/articles/zurich-a-first-winter.md: already exists; edit it, or choose another --slug"
    )
    assert path.read_text(encoding="utf-8") == "edited by hand"


def test_unknown_topic_is_refused(hub_dir: Path) -> None:
    refused = run("new", "article", "Winter", "--topics", "integration", "-t", "skiing")

    assert refused.code == 2
    assert "Invalid value for '--topics': expected topic ids from topics.yml, got 'skiing'" in (
        refused.err
    )
    assert not (hub_dir / "content/articles").exists()


def test_editor_defaults_from_extra_hub_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = {"authors": ["ana"], "topics": ["mentoring"], "audience": ["partners", "hr"],
                "interviewer": "ana", "digest_title": "Hub letter: {period}"}  # fmt: skip
    write_hub(tmp_path, {"people/ana.md": PERSON.format(name="Ana Lima")}, hub={"new": defaults})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    run("new", "article", "Mentors", "--slug", "mentors-2026", "--date", "2026-04-01", "--draft")
    run("new", "story", "Bo in Oslo")
    run("new", "digest", "2026-w20")

    article = (tmp_path / "content/articles/mentors-2026.md").read_text(encoding="utf-8")
    assert article.splitlines()[3:8] == [
        "date: 2026-04-01", "authors: [ana]", "topics: [mentoring]", "audience: [partners, hr]",
        "draft: true",
    ]  # fmt: skip
    story = (tmp_path / "content/stories/bo-in-oslo.md").read_text(encoding="utf-8")
    assert "topics: [mentoring]\ninterviewer: ana\n" in story
    digest = (tmp_path / "content/digests/2026-w20.md").read_text(encoding="utf-8")
    assert digest.splitlines()[1:6] == [
        'title: "Hub letter: Week 20, 2026"',
        'summary: "TODO: one or two sentences on what this issue holds"',
        "period: 2026-W20",
        "date: 2026-05-18",
        "authors: [ana]",
    ]


def test_bad_slug_and_bad_period_are_refused(hub_dir: Path) -> None:
    assert run("new", "article", "Winter", "--slug", "Winter_2026").code == 2
    bad_period = run("new", "digest", "2026-Q5")
    assert (bad_period.code, bad_period.err) == (
        1, "hub new digest: expected a period like 2025-Q3, 2025-11 or 2025-W47, got '2026-Q5' "
           "(quarters are Q1 to Q4)",
    )  # fmt: skip


def test_placeholder_in_code_is_not_flagged(hub_dir: Path) -> None:
    (hub_dir / "content/pages").mkdir()
    (hub_dir / "content/pages/howto.md").write_text(
        "---\ntitle: How to\n---\nWrite `TODO: x` in drafts.\n\n```\n# TODO: later\n```\n",
        encoding="utf-8",
    )
    assert run("check", "--strict").code == 0
