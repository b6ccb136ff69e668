"""The interface text's catalogs: every marked string translated in every language, and no
unmarked text left in the templates already converted to them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment

from generator.site.messages import LOCALE_DIR, catalog_path, gettext, ngettext
from tests.hubkit import ROOT, THEME_DIR

LANGUAGES = ("fr", "de", "pt")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "words": None, "N_": None, "Criterion": (3,)}
"""What `make catalogs` extracts (pybabel's defaults and -k words -k N_ -k Criterion:3)."""
CONVERTED = (
    "404.html",
    "archive.html",
    "article.html",
    "countries.html",
    "country.html",
    "digest.html",
    "digests.html",
    "directory.html",
    "home.html",
    "hub-skip.html",
    "item.html",
    "listing.html",
    "main.html",
    "mentors.html",
    "page.html",
    "profile.html",
    "search.html",
    "story.html",
    "topic.html",
    "topics.html",
    "partials/header.html",
    "partials/hreflang.html",
    "partials/hub-footer.html",
    "partials/hub-search-box.html",
    "partials/hub.html",
    "partials/item-filters.html",
    "partials/item-meta.html",
    "partials/language.html",
    "partials/languages.html",
    "partials/logo.html",
    "partials/related.html",
    "partials/source-credit.html",
    "partials/subscribe.html",
    "partials/subscribe-form.html",
    "partials/topic-tiles.html",
)
"""Templates whose every word goes through the catalog: a new template is added here (and checked)."""
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
WORDS = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")


def extracted() -> dict[str, tuple[str, ...]]:
    """msgid → (msgid, plural...) of every string marked in the templates and the generator."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[ids[0]] = ids
    return found


@pytest.fixture(scope="module")
def marked() -> dict[str, tuple[str, ...]]:
    found = extracted()
    assert {"Languages", "Page %(page)s of %(pages)s", "Partner stories", "Author"} <= found.keys()
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_string_is_translated(marked: dict[str, tuple[str, ...]], lang: str):
    with catalog_path(lang).open("rb") as file:
        catalog = read_po(file, locale=lang)
    missing, fuzzy, placeholders = [], [], []
    for msgid, ids in marked.items():
        message = catalog.get(ids if len(ids) > 1 else msgid)
        strings = (message.string if isinstance(message.string, tuple) else (message.string,)) if message else ("",)
        if not all(strings):
            missing.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
        elif any(set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(ids[-1])) for text in strings):
            placeholders.append(msgid)
    assert (missing, fuzzy, placeholders) == ([], [], []), f"{catalog_path(lang)}: run `make catalogs`, translate"


def test_the_catalogs_are_used_per_language():
    assert gettext("fr", "Partner stories") == "Récits de conjoints"
    assert gettext("pt", "Languages") == "Idiomas"
    assert ngettext("de", "%(num)d story", "%(num)d stories", 2) == "%(num)d Geschichten"
    assert gettext("en", "Partner stories") == "Partner stories"  # English is the msgid itself
    assert gettext("xx", "Partner stories") == "Partner stories"
    assert not (LOCALE_DIR / "en").exists()


class _Text(HTMLParser):
    """Words a reader sees or hears: text (outside scripts and styles) and readable attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style")
        self.words += [word for name, value in attrs if name in READ_ATTRIBUTES for word in WORDS.findall(value or "")]

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.words += WORDS.findall(data)


def unmarked_words(source: str) -> list[str]:
    """Words in the template's own HTML: every Jinja tag, output and comment taken out first."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    # Each Jinja part becomes an "x" (a tag name stays a tag: <{{ heading }}> reads <x>).
    html = "".join(value if kind == "data" else "x" for _, kind, value in env.lex(source)
                   if kind == "data" or kind.endswith("_begin"))  # fmt: skip
    parser = _Text()
    parser.feed(html)
    parser.close()
    return [word for word in parser.words if word.strip("x")]


@pytest.mark.parametrize("template", CONVERTED)
def test_a_converted_template_prints_no_text_outside_the_catalog(template: str):
    assert unmarked_words((THEME_DIR / template).read_text(encoding="utf-8")) == []


def test_every_template_of_the_theme_is_checked():
    templates = {path.relative_to(THEME_DIR).as_posix() for path in THEME_DIR.rglob("*.html")}
    assert templates == set(CONVERTED)


def test_the_check_finds_text_left_outside():
    source = (
        '<p title="Hello">{{ _("Fine") }} Older <{{ tag }} aria-label="{{ _(\'x\') }}">→ ·</{{ tag }}></p>'
        "{# Note #}<script>var words = 1;</script>"
    )
    assert unmarked_words(source) == ["Hello", "Older"]


def test_the_interface_text_of_a_french_page_is_french(tmp_path: Path):
    env = Environment(extensions=["jinja2.ext.i18n"])
    from generator.site.messages import install

    install(env, "en")
    template = env.from_string('{{ _("Page %(page)s of %(pages)s", page=2, pages=5) }} {{ _("Older →") }}')
    assert template.render(page_lang="fr") == "Page 2 sur 5 Plus anciens →"
    assert template.render() == "Page 2 of 5 Older →"
