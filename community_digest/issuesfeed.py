"""An Atom feed of digest issues (/feeds/digests.atom.xml), for readers who prefer feeds.

Built from the same web copies the site shows; its dates come from the issues,
never from the clock, so the same content gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from markupsafe import escape

from .webcopy import WebCopy, published_issues

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feeds/digests.atom.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str | None = None) -> None:
    attrs = {"rel": rel, "href": href}
    if kind:
        attrs["type"] = kind
    ET.SubElement(parent, f"{{{ATOM}}}link", attrs)


def _content(copy: WebCopy) -> str:
    """The issue's sections as HTML: headings and linked titles, like the web copy."""
    parts = []
    for section in copy.sections:
        items = "".join(
            f'<li><a href="{escape(item.url)}">{escape(item.title)}</a>'
            f" — {escape(item.summary)}</li>"
            for item in section.items
        )
        parts.append(f"<h2>{escape(section.title)}</h2><ul>{items}</ul>")
    return "".join(parts)


def _entry(feed: ET.Element, copy: WebCopy, site_url: str) -> None:
    url = f"{site_url}{copy.path}"
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {XML_LANG: copy.language})
    _text(entry, "id", url)
    _text(entry, "title", copy.title, type="text")
    _link(entry, url, "alternate", "text/html")
    _text(entry, "published", copy.date.isoformat())
    _text(entry, "updated", copy.date.isoformat())
    titles = ", ".join(item.title for item in copy.items()[:3])
    _text(entry, "summary", f"{copy.period_text}: {titles}", type="text")
    _text(entry, "content", _content(copy), type="html")


def issues_feed_xml(issues: list[WebCopy], site_url: str, site_name: str) -> str:
    """The feed's text; `issues` newest first (as published_issues returns them)."""
    feed_url = f"{site_url}{FEED_PATH}"
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_url)
    _text(feed, "title", f"{site_name} — digest", type="text")
    updated = max((copy.date for copy in issues), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", updated.isoformat())
    _link(feed, feed_url, "self", "application/atom+xml")
    _link(feed, f"{site_url}digests/", "alternate", "text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    for copy in issues:
        _entry(feed, copy, site_url)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write_issues_feed(
    content_dir: Path, site_dir: Path, site_url: str, site_name: str, *, now: datetime | None = None
) -> Path:
    """Write <site_dir>/feeds/digests.atom.xml listing the published issues; returns its path.

    `site_url` ends with "/"; `now` (the build time) leaves out issues dated later.
    """
    issues = published_issues(content_dir, site_url, now=now)
    path = Path(site_dir) / FEED_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(issues_feed_xml(issues, site_url, site_name), encoding="utf-8")
    return path
