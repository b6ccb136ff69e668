"""Bodies rendered to HTML with the site's Markdown configuration, on every core.

The engine would render each page with a new converter (setting up every extension
again, about as costly as a short body); here one converter serves a whole chunk of
pages. Relative links to content files become page URLs as the engine writes them,
through a small tree processor of our own over the engine's public file API (the
hub checks the links themselves, with file and line, before anything renders).
"""

from __future__ import annotations

import multiprocessing
import pickle
import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from generator.content.errors import HubError

Rendered = dict[str, tuple[str, bytes]]
"""src_uri -> (HTML, pickled table of contents)."""

_FORKED: tuple[MkDocsConfig, Files, dict[str, str]] | None = None


class RelativeLinks(Treeprocessor):
    """`[x](../stories/y.md#a)` and `![p](../media/p.jpg)` -> the target's URL, relative to the page."""

    def __init__(self, md: markdown.Markdown, files: Files):
        super().__init__(md)
        self.files = files
        self.file: File | None = None

    def run(self, root: Element) -> None:
        for element in root.iter():
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            url = element.get(key) if key else None
            if key and url:
                element.set(key, self.rewrite(url))

    def rewrite(self, url: str) -> str:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url or self.file is None:
            return url
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(self.file.src_uri), unquote(path)))
        target = self.files.get_file_from_path(target_uri.lstrip("/"))
        if target is None:
            return url
        return urlunsplit(("", "", get_relative_url(target.url, self.file.url), query, anchor))


def _render_chunk(sources: list[str]) -> list[tuple[str, str, bytes]]:
    """In a forked worker: some bodies, with one converter."""
    assert _FORKED is not None
    config, files, bodies = _FORKED
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    links = RelativeLinks(md, files)
    # Last, as the engine does: after every extension has made its links.
    md.treeprocessors.register(links, "hub-relative-links", 0)
    rendered = []
    for src in sources:
        links.file = files.get_file_from_path(src)
        try:
            html = md.reset().convert(bodies[src])
        except RecursionError:
            # hub check refuses deep lists and quotes; inline nesting ("**a " a thousand times) ends here.
            raise _TooDeep(src) from None
        rendered.append((src, html, pickle.dumps(get_toc(getattr(md, "toc_tokens", [])))))
    return rendered


def render_bodies(sources: list[str], bodies: dict[str, str], config: MkDocsConfig, files: Files, workers: int,
                  display_root: str) -> Rendered:  # fmt: skip
    """Render `bodies[src]` for each source, in a pool of forked workers when there are many."""
    global _FORKED
    _FORKED = (config, files, bodies)
    try:
        if workers < 2 or len(sources) < 40:
            results = [_render_chunk(sources)]
        else:
            size = max(8, len(sources) // (workers * 4))
            chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_render_chunk, chunks)
    except _TooDeep as exc:
        raise HubError(f"{display_root}/{exc.src}: body: nested too deeply to render: "
                       "expected fewer levels of emphasis, links, lists or quotes") from None
    finally:
        _FORKED = None
    return {src: (html, toc) for chunk in results for src, html, toc in chunk}


def url_of(files: Files, src_uri: str) -> str | None:
    file = files.get_file_from_path(src_uri)
    return file.url if file is not None else None


class _TooDeep(Exception):
    """A body Python-Markdown could not render without exceeding Python's recursion limit."""

    def __init__(self, src: str, *args: Any):
        super().__init__(src, *args)
        self.src = src
