"""content/countries/<code>.md: an editor's introduction to a destination hub, validated like any file."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from generator.content.errors import Severity
from generator.content.loader import LoadContext, load_hub
from tests.hubkit import write_hub

ZONE = ZoneInfo("Europe/Amsterdam")


def load(root: Path, files: dict[str, str]):
    write_hub(root, files)
    return load_hub(LoadContext(root / "content", ZONE, "en"))


def test_an_intro_is_read_by_its_country_code(tmp_path: Path):
    result = load(tmp_path, {"countries/jp.md": """\
        ---
        summary: Japan for partners.
        ---
        Japan rewards **patience**.
        """})  # fmt: skip
    assert result.issues == []
    intro = result.hub.countries["JP"]
    assert (intro.code, intro.summary, intro.path) == ("JP", "Japan for partners.", "countries/jp.md")
    assert intro.body.strip() == "Japan rewards **patience**."


def test_the_summary_is_optional(tmp_path: Path):
    result = load(tmp_path, {"countries/de.md": "---\n---\nGermany asks for paperwork early.\n"})
    assert result.issues == []
    assert result.hub.countries["DE"].summary == ""


def test_a_name_that_is_no_country_is_an_error_naming_the_file(tmp_path: Path):
    result = load(tmp_path, {"countries/xx.md": "---\n---\nNowhere.\n", "countries/japan.md": "---\n---\nJapan.\n"})
    assert [(issue.path, issue.line, issue.message) for issue in result.errors] == [
        ("content/countries/japan.md", 1,
         "expected a file name that is a lowercase ISO 3166-1 country code like jp.md, got 'japan.md'"),
        ("content/countries/xx.md", 1,
         "expected a file name that is a lowercase ISO 3166-1 country code like jp.md, got 'xx.md'"),
    ]  # fmt: skip
    assert result.hub.countries == {}


def test_bad_and_unknown_fields_name_their_line(tmp_path: Path):
    result = load(tmp_path, {"countries/sg.md": """\
        ---
        summary: ""
        sumary: typo
        ---
        Singapore.
        """})  # fmt: skip
    found = [(issue.line, issue.field, issue.severity) for issue in result.issues]
    assert found == [(2, "summary", Severity.ERROR), (3, "sumary", Severity.WARNING)]
    assert "did you mean 'summary'" in result.issues[1].message
    assert "SG" not in result.hub.countries
