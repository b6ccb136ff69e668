"""Bodies rendered to HTML with the site's Markdown configuration, on every core.

The engine would render each page with a new converter (setting up every extension
again, about as costly as a short body); here one converter serves a whole chunk of
pages. Relative links to content files become the URLs the site gives those files,
relative to the page (the hub checks the links themselves, with file and line,
before anything renders). The table of contents is kept as Python-Markdown's plain
tokens: the engine adapter turns them into its own objects.
"""

from __future__ import annotations

import multiprocessing
import pickle
import posixpath
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from generator.content.errors import HubError

Rendered = dict[str, tuple[str, bytes]]
"""src_uri -> (HTML, pickled table-of-contents tokens)."""


@dataclass(frozen=True)
class MarkdownSetup:
    """What a converter is made of: the extensions and their settings from mkdocs.yml."""

    extensions: list[Any]
    configs: dict[str, Any]


def relative_url(target: str, page: str) -> str:
    """The site URL `target` as a link written on the page at URL `page` (both site-relative)."""
    folder, last = posixpath.split(page)
    if "." in last and page != ".":
        page = folder  # a file's URL: links start from its folder
    relative = posixpath.relpath("/" + target, "/" + page)
    return relative + "/" if target.endswith("/") else relative


class RelativeLinks(Treeprocessor):
    """`[x](../stories/y.md#a)` and `![p](../media/p.jpg)` -> the target's URL, relative to the page."""

    def __init__(self, md: markdown.Markdown, urls: Mapping[str, str]):
        super().__init__(md)
        self.urls = urls
        self.src = ""

    def run(self, root: Element) -> None:
        for element in root.iter():
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            url = element.get(key) if key else None
            if key and url:
                element.set(key, self.rewrite(url))

    def rewrite(self, url: str) -> str:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return url
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src), unquote(path))).lstrip("/")
        if target not in self.urls:
            return url
        return urlunsplit(("", "", relative_url(self.urls[target], self.urls[self.src]), query, anchor))


_FORKED: tuple[MarkdownSetup, Mapping[str, str], dict[str, str]] | None = None


def _render_chunk(sources: list[str]) -> list[tuple[str, str, bytes]]:
    """In a forked worker: some bodies, with one converter."""
    assert _FORKED is not None
    setup, urls, bodies = _FORKED
    md = markdown.Markdown(extensions=setup.extensions, extension_configs=setup.configs)
    links = RelativeLinks(md, urls)
    md.treeprocessors.register(links, "hub-relative-links", 0)  # last: after every extension made its links
    rendered = []
    for src in sources:
        links.src = src
        try:
            html = md.reset().convert(bodies[src])
        except RecursionError:
            # hub check refuses deep lists and quotes; inline nesting ("**a " a thousand times) ends here.
            raise _TooDeep(src) from None
        rendered.append((src, html, pickle.dumps(getattr(md, "toc_tokens", []))))
    return rendered


def render_bodies(sources: list[str], bodies: dict[str, str], setup: MarkdownSetup, urls: Mapping[str, str],
                  workers: int, display_root: str) -> Rendered:  # fmt: skip
    """Render `bodies[src]` for each source, in a pool of forked workers when there are many.

    `urls` maps every file of the site (pages, media) from its path in content/ to its URL.
    """
    global _FORKED
    _FORKED = (setup, urls, bodies)
    try:
        if workers < 2 or len(sources) < 40:
            results = [_render_chunk(sources)]
        else:
            size = max(8, len(sources) // (workers * 4))
            chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
            with multiprocessing.get_context("fork").Pool(workers, initializer=_ends_on_sigterm) as pool:
                results = pool.map(_render_chunk, chunks)
                # Workers end on their own here; the pool's exit sends SIGTERM to any still alive.
                pool.close()
                pool.join()
    except _TooDeep as exc:
        raise HubError(f"{display_root}/{exc.src}: body: nested too deeply to render: "
                       "expected fewer levels of emphasis, links, lists or quotes") from None
    finally:
        _FORKED = None
    return {src: (html, toc) for chunk in results for src, html, toc in chunk}


def _ends_on_sigterm() -> None:
    """A worker ends on SIGTERM (the pool's terminate). It inherits the command's handler, which
    turns SIGTERM into KeyboardInterrupt and then ignores it: a worker that lost that exception
    waited for the pool's queue forever, and the build with it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _TooDeep(Exception):
    """A body Python-Markdown could not render without exceeding Python's recursion limit."""

    def __init__(self, src: str, *args: Any):
        super().__init__(src, *args)
        self.src = src
