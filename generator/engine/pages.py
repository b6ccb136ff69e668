"""Pages rendered as the engine renders them, outside its own loop, through its public API.

Used by forked workers (a share of a build's pages, a preview update's pages), for
the sitemap after a preview update and for each language's 404 page.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_timestamp

from generator.build import workers
from generator.build.card_memo import CardMemo


def page_renderer(config: MkDocsConfig, nav: Any, files: Files, env: Any,
                  memo: CardMemo) -> Callable[[list[Page], list[str], Any], None]:  # fmt: skip
    """A function for a forked worker: what the engine does for each page, then the cards made."""
    doc_files = files.documentation_pages()

    def render(pages: list[Page], templates: list[str], sink: Any) -> None:
        memo.take_added()
        for page, template in zip(pages, templates, strict=True):
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


def output_size(page: Page) -> int:
    """The page's last output in bytes (what rendering it again will roughly cost)."""
    try:
        return Path(page.file.abs_dest_path).stat().st_size
    except OSError:
        return 0


def target(page: Page) -> Path:
    return Path(page.file.abs_dest_path)


def skip_markdown(page: Page) -> None:
    """Spare the engine converting a page with nothing to convert: its body was rendered
    with the others, on all cores, or it has none (a listing). Setting up a Markdown
    converter for empty text costs about half a millisecond, on one core, per page."""

    def rendered(config: MkDocsConfig, files: Files) -> None:
        page.content, page.toc, page.present_anchor_ids = "", get_toc([]), set()

    page.render = rendered  # type: ignore[method-assign]


def write_sitemap(config: MkDocsConfig, nav: Any, files: Files, env: Any) -> None:
    """sitemap.xml and its .gz, as the engine writes them at the end of a build."""
    template = config.plugins.on_pre_template(env.get_template("sitemap.xml"), template_name="sitemap.xml",
                                              config=config)  # fmt: skip
    context = get_context(nav, files, config, base_url=".")
    context = config.plugins.on_template_context(context, template_name="sitemap.xml", config=config)
    output = config.plugins.on_post_template(template.render(context), template_name="sitemap.xml", config=config)
    path = Path(config.site_dir) / "sitemap.xml"
    path.write_bytes(output.encode("utf-8"))
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    mtime = get_build_timestamp(pages=pages)
    with path.with_name("sitemap.xml.gz").open("wb") as raw, \
            gzip.GzipFile(fileobj=raw, filename=f"{path}.gz", mode="wb", mtime=mtime) as packed:  # fmt: skip
        packed.write(output.encode("utf-8"))


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
