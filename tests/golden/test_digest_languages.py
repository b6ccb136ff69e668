"""The digest reads the bilingual golden hub's feed of each language: a French reader gets the
French version of a piece when there is one, and the original otherwise."""

from __future__ import annotations

import pytest

from community_digest.frozen import parse_selection, selection_text
from community_digest.pipeline import BuildRequest, build_issue
from community_digest.selection import personalize
from generator.content.project import load_project
from tests.golden.conftest import build_at, copy_site

SITE = "https://hub.test/"


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("digest") / "bilingual"
    config = copy_site("bilingual", root)
    build_at(config)
    return build_issue(load_project(config), BuildRequest(period="2025-Q4"))


def urls(selection) -> list[str]:
    return sorted(item.url.removeprefix(SITE) for item in selection.items())


def test_a_french_reader_gets_the_french_versions_and_the_untranslated_originals(issue):
    assert urls(personalize(issue.selection, "fr", ())) == [
        "fr/articles/permis-de-travail/",
        "fr/stories/bo-a-oslo/",
    ]
    assert urls(personalize(issue.selection, "en", ())) == ["articles/work-permits/", "stories/bo-in-oslo/"]
    assert [variant.language for variant in issue.compiled.variants if not variant.topics] == ["en", "fr"]


def test_a_frozen_selection_keeps_the_choice(issue):
    again = parse_selection(selection_text(issue.selection), "2025-q4.selection.yml")
    assert urls(personalize(again, "fr", ())) == urls(personalize(issue.selection, "fr", ()))


def test_a_french_reader_gets_originals_that_have_no_french_version(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("digest") / "bilingual"
    config = copy_site("bilingual", root)
    build_at(config)
    result = build_issue(load_project(config), BuildRequest(period="2025-Q3"))
    assert urls(personalize(result.selection, "fr", ())) == ["fr/articles/reseau-a-lyon/", "stories/ines-in-singapore/"]
    assert urls(personalize(result.selection, "en", ())) == ["stories/ines-in-singapore/"]


def test_a_french_variant_names_topics_and_dates_in_french(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("digest") / "bilingual"
    config = copy_site("bilingual", root)
    build_at(config)
    result = build_issue(load_project(config), BuildRequest(period="2025-Q4", segments=(("fr", ("integration",)),)))
    text = (result.compiled.out_dir / "fr-integration.txt").read_text(encoding="utf-8")
    assert "Intégration et réseaux" in text and "4 décembre 2025" in text
    assert f"{SITE}fr/stories/bo-a-oslo/" in text and f"{SITE}stories/bo-in-oslo/" not in text
    english = (result.compiled.out_dir / "en-integration.txt").read_text(encoding="utf-8")
    assert "Integration and networks" in english and f"{SITE}stories/bo-in-oslo/" in english
