"""Localized names and dates through Babel (CLDR data), cached per locale."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .messages import N_

ROLE_LABELS = {
    "author": N_("Author"),
    "coach": N_("Coach"),
    "mentor": N_("Mentor"),
    "partner": N_("Partner"),
    "editor": N_("Editor"),
    "team": N_("Team"),
}
AUDIENCE_LABELS = {
    "partners": N_("Partners"),
    "employees": N_("Employees on assignment"),
    "hr": N_("HR and global mobility"),
    "mentors": N_("Mentors"),
}


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country_name(code: str, language: str = "en") -> str:
    return _locale(language).territories.get(code.upper(), code.upper())


def language_name(code: str, language: str = "en") -> str:
    """The language's name as a label (a badge, a choice in a list): capitalized in every language."""
    name = language_name_in_text(code, language)
    return name[:1].upper() + name[1:]


def language_name_in_text(code: str, language: str = "en") -> str:
    """The language's name inside a sentence, as `language` writes it there (CLDR): "parle
    portugais", "fala português", "spricht Portugiesisch", "speaks Portuguese"."""
    return _locale(language).languages.get(code.lower(), code)


def long_date(moment: datetime | None, language: str = "en") -> str:
    if moment is None:
        return ""
    return _long_date(moment.date(), language)


@lru_cache(maxsize=8192)
def _long_date(day: date, language: str) -> str:
    # Cards repeat the same few thousand days on many pages; Babel takes ~50 µs a call.
    return format_date(day, format="long", locale=_locale(language))


def country_names(codes: list[str] | set[str], language: str) -> dict[str, str]:
    return {code: country_name(code, language) for code in codes}
