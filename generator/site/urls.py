"""Every URL rule of the content format, in one place (site-relative, directory style)."""

from __future__ import annotations

from generator.content.records import Entry


def language_prefix(entry: Entry, site_language: str) -> str:
    return "" if entry.lang == site_language else f"{entry.lang}/"


def entry_url(entry: Entry, site_language: str) -> str:
    """articles/<slug>/, stories/<slug>/, people/<id>/, pages/<slug>/, digests/<issue>/."""
    if entry.section == "pages" and entry.slug == "index":
        return language_prefix(entry, site_language)
    return f"{language_prefix(entry, site_language)}{entry.section}/{entry.slug}/"


def section_url(section: str, page: int = 1) -> str:
    return f"{section}/" if page == 1 else f"{section}/page/{page}/"


def topic_url(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def country_url(code: str) -> str:
    return f"countries/{code.lower()}/"


def archive_url(year: int | str | None = None) -> str:
    return "archive/" if year is None else f"archive/{year}/"


def feed_url(name: str) -> str:
    return f"feeds/{name}.atom.xml"


def topic_feed_url(topic_id: str) -> str:
    return f"feeds/topics/{topic_id}.atom.xml"


def absolute(site_url: str, path: str) -> str:
    return site_url + path.lstrip("/")
