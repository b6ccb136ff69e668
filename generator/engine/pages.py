"""Pages rendered as the engine renders them, outside its own loop, through its public API.

Used by forked workers (a share of a build's pages, a preview update's pages) and
for each language's 404 page.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.build import workers
from generator.build.card_memo import CardMemo


def page_renderer(config: MkDocsConfig, nav: Any, files: Files, env: Any,
                  memo: CardMemo) -> workers.RenderPages:  # fmt: skip
    """A function for a forked worker: what the engine does for each page, then the cards made."""
    doc_files = files.documentation_pages()

    def render(sources: list[str], templates: list[str], sink: Any) -> None:
        memo.take_added()
        for src, template in zip(sources, templates, strict=True):
            page = files.src_uris[src].page
            assert page is not None
            page.meta["template"] = template
            page.active = True
            context = get_context(nav, doc_files, config, page)
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            output = env.get_template(template).render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
            workers.write_page(Path(page.file.abs_dest_path), output)
            page.active = False
        sink.send(memo.take_added())

    return render


def body(rendered: tuple[str, bytes]) -> tuple[str, TableOfContents]:
    """A body rendered with the others (session.prerender): its HTML and table of contents."""
    return rendered[0], get_toc(pickle.loads(rendered[1]))


def take_body(page: Page, rendered: tuple[str, bytes]) -> None:
    """The engine's Markdown pass for the page replaced by taking its body rendered already
    (setting up a converter costs about half a millisecond a page, on one core)."""

    def render(config: MkDocsConfig, files: Files) -> None:
        (page.content, page.toc), page.present_anchor_ids = body(rendered), set()

    page.render = render  # type: ignore[method-assign]


def write_error_pages(config: MkDocsConfig, files: Files, env: Any, views: dict[str, Any],
                      navs: dict[str, Any], nav: Any) -> None:  # fmt: skip
    """<lang>/404.html for each language with a URL prefix, as the engine writes the site's 404.html.

    A web server serves it for any missing address under /<lang>/, at whatever depth: its
    links are absolute (the site's path), as the engine makes them on its own error page.
    """
    template = env.get_template("404.html")
    base_url = urlsplit(config.site_url or "/").path
    for lang, view in views.items():
        if not view.prefix:
            continue
        context = get_context(navs.get(lang, nav), files, config, base_url=base_url)
        context = config.plugins.on_template_context(context, template_name="404.html", config=config)
        context.update(hub=view, page_lang=lang)
        output = config.plugins.on_post_template(template.render(context), template_name="404.html", config=config)
        workers.write_page(Path(config.site_dir) / view.prefix / "404.html", output)


def quiet_reused_pages(record: logging.LogRecord) -> bool:
    """Reused and worker-rendered pages reach the engine empty on purpose; it needn't say so per page."""
    return not str(record.msg).startswith("Page skipped:")
