"""Write one corpus as a hub, a plain mkdocs-material site, or a material blog-plugin site."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from .corpus import Corpus, Doc
from .yamlish import Value, dump, front_matter, scalar

REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = REPO / "mkdocs.yml"
HUB_THEME = REPO / "themes" / "hub"
SITE_URL = "https://bench.example.org/"
MARKER = ".bench-generated"
FLAVORS = ("hub", "material", "blog")

_LINK = re.compile(r"\(@(articles|stories|people)/([a-z0-9-]+)\)")

Layout = dict[str, str]  # section -> folder under the docs dir
HUB_LAYOUT: Layout = {
    "": "",
    "articles": "articles",
    "stories": "stories",
    "people": "people",
    "pages": "pages",
    "digests": "digests",
}
BLOG_LAYOUT: Layout = {**HUB_LAYOUT, "articles": "blog/posts", "stories": "blog/posts"}


class OutputNotEmpty(Exception):
    """The output folder holds files this generator did not write."""


def doc_path(doc: Doc, layout: Layout) -> str:
    return posixpath.join(layout[doc.section], f"{doc.slug}.md")


def resolve_links(body: str, source: str, layout: Layout) -> str:
    """Turn `(@section/slug)` placeholders into `.md` paths relative to `source`."""
    here = posixpath.dirname(source) or "."

    def link(match: re.Match[str]) -> str:
        target = posixpath.join(layout[match[1]], f"{match[2]}.md")
        return f"({posixpath.relpath(target, here)})"

    return _LINK.sub(link, body)


def prepare(out: Path, flavor: str) -> Path:
    """Empty `out` if we wrote it before; refuse to touch a folder we did not write."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputNotEmpty(f"{out}: not empty and not written by generate_hub.py; choose another --out")
    for name in ("content", "docs", "mkdocs.yml", MARKER):
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(f"{flavor}\n", encoding="utf-8")
    return out


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _replace_line(text: str, pattern: str, line: str) -> str:
    new, count = re.subn(pattern, lambda match: match[1] + line, text, count=1, flags=re.M)
    if count != 1:
        raise ValueError(f"{HUB_CONFIG}: no line matching {pattern!r} to adapt")
    return new


def hub_config(template: str) -> str:
    """The hub's own mkdocs.yml, pointed at the bench URL, content/ and the repo's theme."""
    text = _replace_line(template, r"^()site_url:.*$", f"site_url: {SITE_URL}")
    text = _replace_line(text, r"^()docs_dir:.*$", "docs_dir: content")
    # One language, like every synthetic hub (translations.py adds the second when asked).
    text = re.sub(r"^[ \t]+languages:.*\n", "", text, count=1, flags=re.M)
    return _replace_line(text, r"^([ \t]+)custom_dir:.*$", f"custom_dir: {json.dumps(str(HUB_THEME))}")


def top_level_block(template: str, key: str) -> str:
    """`key:` and its indented lines, copied verbatim from a YAML file."""
    match = re.search(rf"^{key}:\n(?:(?:[ \t]+.*|[ \t]*)\n)*", template, flags=re.M)
    if not match:
        raise ValueError(f"{HUB_CONFIG}: no top-level {key!r}")
    return match[0].rstrip() + "\n"


def _topics_yml(corpus: Corpus) -> str:
    return dump({tid: {"title": title, "description": text} for tid, title, text in corpus.topics})


def write_hub(corpus: Corpus, out: Path) -> None:
    _write(out, "mkdocs.yml", hub_config(HUB_CONFIG.read_text(encoding="utf-8")))
    content = out / "content"
    _write(content, "topics.yml", _topics_yml(corpus))
    for doc in corpus.documents():
        path = doc_path(doc, HUB_LAYOUT)
        _write(content, path, front_matter(doc.fields, resolve_links(doc.body, path, HUB_LAYOUT)))


def _published(corpus: Corpus) -> Iterator[Doc]:
    """What the hub would publish: no drafts, no private profiles."""
    for doc in corpus.documents():
        if not doc.draft and doc.fields.get("public") is not False:
            yield doc


def _page_fields(doc: Doc) -> dict[str, Value]:
    return {"title": doc.title, "description": doc.fields.get("summary")}


def _listing(title: str, docs: list[Doc], link: Callable[[Doc], str]) -> str:
    lines = [f"- [{doc.title}]({link(doc)})" for doc in docs]
    return front_matter({"title": title}, "\n".join(lines) + "\n")


def _material_config(template: str, nav: list[tuple[str, str]], plugins: str) -> str:
    entries = "".join(f"  - {scalar(label)}: {path}\n" for label, path in nav)
    return (
        "site_name: Mobility Hub (mkdocs-material baseline)\n"
        f"site_url: {SITE_URL}\ndocs_dir: docs\nsite_dir: site\nuse_directory_urls: true\n\n"
        "theme:\n  name: material\n  language: en\n  font: false\n"
        "  features:\n    - navigation.tabs\n    - navigation.top\n    - content.code.copy\n\n"
        f"nav:\n{entries}\n{top_level_block(template, 'markdown_extensions')}\n{plugins}"
    )


def write_material(corpus: Corpus, out: Path) -> None:
    """Every published document as a plain page; section indexes list them; search on."""
    docs = out / "docs"
    for doc in _published(corpus):
        path = doc_path(doc, HUB_LAYOUT)
        _write(docs, path, front_matter(_page_fields(doc), resolve_links(doc.body, path, HUB_LAYOUT)))
    for section, title in (("articles", "Articles"), ("stories", "Stories"), ("people", "People")):
        members = [doc for doc in _published(corpus) if doc.section == section]
        _write(docs, f"{section}/index.md", _listing(title, members, lambda doc: f"{doc.slug}.md"))
    nav = [
        ("Home", "index.md"),
        ("Articles", "articles/index.md"),
        ("Stories", "stories/index.md"),
        ("People", "people/index.md"),
        ("Digest", doc_path(corpus.digest, HUB_LAYOUT)),
    ]
    template = HUB_CONFIG.read_text(encoding="utf-8")
    _write(out, "mkdocs.yml", _material_config(template, nav, "plugins:\n  - search\n"))


def _post_fields(doc: Doc, topic_titles: dict[str, str]) -> dict[str, Value]:
    fields = doc.fields
    authors = fields.get("authors") or ([fields["interviewer"]] if fields.get("interviewer") else [])
    return {
        "title": doc.title,
        "description": fields.get("summary"),
        "date": fields["date"],
        "slug": doc.slug,
        "categories": [topic_titles[topic] for topic in fields["topics"]],  # type: ignore[union-attr]
        "authors": authors,
        "draft": fields.get("draft"),
    }


def _with_excerpt(body: str) -> str:
    first, _, rest = body.partition("\n\n")
    return f"{first}\n\n<!-- more -->\n\n{rest}"


def _authors_yml(corpus: Corpus) -> str:
    authors: dict[str, Value] = {
        doc.slug: {
            "name": doc.title,
            "description": doc.fields.get("headline") or doc.title,
            "avatar": f"https://example.org/avatars/{doc.slug}.png",
        }
        for doc in corpus.people
    }
    return dump({"authors": authors})


def write_blog(corpus: Corpus, out: Path) -> None:
    """Articles and stories as blog posts (categories = topics), the rest as plain pages."""
    docs = out / "docs"
    titles = {tid: title for tid, title, _ in corpus.topics}
    for doc in corpus.items():
        path = doc_path(doc, BLOG_LAYOUT)
        body = _with_excerpt(resolve_links(doc.body, path, BLOG_LAYOUT))
        _write(docs, path, front_matter(_post_fields(doc, titles), body))
    for doc in _published(corpus):
        if doc.section not in ("articles", "stories"):
            path = doc_path(doc, BLOG_LAYOUT)
            body = resolve_links(doc.body, path, BLOG_LAYOUT)
            _write(docs, path, front_matter(_page_fields(doc), body))
    _write(docs, "blog/index.md", "# Blog\n")
    _write(docs, "blog/.authors.yml", _authors_yml(corpus))
    nav = [
        ("Home", "index.md"),
        ("Blog", "blog/index.md"),
        ("Digest", doc_path(corpus.digest, BLOG_LAYOUT)),
    ]
    plugins = "plugins:\n  - search\n  - blog:\n      archive: true\n      categories: true\n"
    template = HUB_CONFIG.read_text(encoding="utf-8")
    _write(out, "mkdocs.yml", _material_config(template, nav, plugins))


WRITERS: dict[str, Callable[[Corpus, Path], None]] = {
    "hub": write_hub,
    "material": write_material,
    "blog": write_blog,
}
