"""Interface text in the page's language: the theme's gettext catalogs, read with Babel.

The catalogs are `themes/hub/locales/<lang>/LC_MESSAGES/hub.po`, English text as msgid
(`locales/`: the folder MkDocs never copies from a theme into the site).
They are compiled in memory when first read (a few ms), so a build never runs on a
stale `.mo` file and none has to be committed; `make catalogs` checks and compiles them.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

LOCALE_DIR = Path(__file__).resolve().parents[2] / "themes" / "hub" / "locales"
DOMAIN = "hub"


def catalog_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=16)
def translations(lang: str, locale_dir: Path = LOCALE_DIR) -> NullTranslations:
    """The catalog of `lang`; English (the msgids themselves) when there is none."""
    path = catalog_path(lang, locale_dir)
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, count: int) -> str:
    return translations(lang).ngettext(singular, plural, count)


def install(env: Environment, site_language: str) -> None:
    """Jinja's i18n extension on `env`: `_()`, `gettext()` and `ngettext()` in every template
    speak the language of the page being rendered (`page_lang` in its context)."""

    @pass_context
    def _gettext(context: Context, message: str) -> str:
        return gettext(context.get("page_lang") or site_language, message)

    @pass_context
    def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
        return ngettext(context.get("page_lang") or site_language, singular, plural, count)

    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """Marks text for the catalog where it is defined; it is translated where it is shown."""
    return message
