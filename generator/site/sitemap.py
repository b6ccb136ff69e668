"""sitemap.xml: each page at its canonical address, with its last change and its other languages."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from markupsafe import escape

from .view import SiteView

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">')  # fmt: skip


def sitemap_xml(view: SiteView, pages: Iterable[tuple[str, str]], site_url: str) -> str:
    """`pages`: (source, URL) of every page, in the site's order.

    Without a site_url no page has a canonical address, and the sitemap lists none.
    The dates are the content's own (a build date would change every day).
    """
    urls = [_url(view, src, urljoin(site_url, url)) for src, url in pages] if site_url else []
    return "\n".join([HEAD, *urls, "</urlset>"])


def _url(view: SiteView, src: str, address: str) -> str:
    entry = view.entry_at(src)
    modified = view.last_modified(entry) if entry is not None else None
    parts = [f"<url><loc>{escape(address)}</loc>", f"<lastmod>{modified}</lastmod>" if modified else ""]
    alternates = view.alternates(src)
    if len(alternates) > 1:
        for lang, url in [*alternates, ("x-default", alternates[0][1])]:
            parts.append(f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(view.absolute(url))}"/>')
    return "".join(parts) + "</url>"
