"""extra.hub.languages and fallback: the settings, and `lang` in front matter checked against them."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.content.errors import ConfigError
from generator.content.loader import LoadContext, load_hub
from generator.content.project import load_project
from generator.content.settings import load_settings, parse_settings
from tests.hubkit import write_hub

ARTICLE = """\
    ---
    title: Un article
    date: 2025-11-12
    authors: [ana]
    topics: [integration]
    lang: {lang}
    ---
    Du texte.
    """
PERSON = """\
    ---
    name: Ana Lima
    roles: [author]
    ---
    Bio.
    """


def test_default_is_the_site_language_alone_with_fallback():
    settings = parse_settings(None)
    assert settings.languages == [] and settings.fallback is True
    assert settings.language_list("en") == ("en",)
    assert parse_settings({"languages": ["en", "FR", "pt"]}).language_list("en") == ("en", "fr", "pt")


def test_a_bad_language_list_names_the_setting_and_its_line(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  hub:\n    fallback: maybe\n    languages: [en, xx]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert sorted(str(caught.value).splitlines()) == [
        "mkdocs.yml:4: extra.hub.fallback: expected true or false, got 'maybe'",
        "mkdocs.yml:5: extra.hub.languages: expected an ISO 639-1 language code like en or fr, got 'xx'",
    ]


def test_the_first_language_must_be_the_theme_language(tmp_path: Path):
    config = write_hub(tmp_path, {}, hub={"languages": ["fr", "en"]})
    with pytest.raises(ConfigError) as caught:
        load_project(config)
    assert str(caught.value) == "mkdocs.yml: extra.hub.languages: expected theme.language ('en') first, got 'fr'"


@pytest.mark.parametrize("languages", [("en", "fr"), ()])
def test_lang_outside_the_hub_languages_is_an_error_with_file_line_field(tmp_path: Path, languages):
    write_hub(tmp_path, {"people/ana.md": PERSON, "articles/a.md": ARTICLE.format(lang="de"),
                         "articles/b.md": ARTICLE.format(lang="fr")})  # fmt: skip
    result = load_hub(LoadContext(tmp_path / "content", ZoneInfo("UTC"), "en", languages=languages))
    allowed = ", ".join(languages or ("en",))
    expected = [f"content/articles/a.md:6: lang: expected one of the hub's languages (extra.hub.languages): "
                f"{allowed}, got 'de'"]  # fmt: skip
    if not languages:
        expected.append(expected[0].replace("a.md", "b.md").replace("'de'", "'fr'"))
    assert [str(issue) for issue in result.issues] == expected


def test_topics_take_translations_and_name_a_bad_one_with_its_line(tmp_path: Path):
    topics = {
        "integration": {"title": "Integration", "translations": {"fr": {"title": "Intégration"}, "xx": {"title": "?"},
                                                                 "pt": "Integração"}},
    }  # fmt: skip
    write_hub(tmp_path, {"people/ana.md": PERSON}, topics=topics)
    result = load_hub(LoadContext(tmp_path / "content", ZoneInfo("UTC"), "en", languages=("en", "fr", "pt")))
    topic = result.hub.topics["integration"]
    assert topic.in_language("fr").title == "Intégration" and topic.in_language("de") is topic
    assert [str(issue) for issue in result.issues] == [
        "content/topics.yml:6: integration.translations.pt: expected a mapping with a title (and a description)",
        "content/topics.yml:7: integration.translations: expected an ISO 639-1 language code like en or fr, got 'xx'",
    ]
