"""A tiny HTML tree over html.parser, enough for assertions on built pages (no extra dependency)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def matches(self, tag: str | None, cls: str | None, attrs: dict[str, str]) -> bool:
        return (tag is None or self.tag == tag) and (cls is None or cls in self.classes) and all(
            self.attrs.get(name.rstrip("_").replace("_", "-")) == value for name, value in attrs.items()
        )

    def find_all(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> list[Node]:
        return [node for node in self.iter() if node.matches(tag, cls, attrs)]

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls=cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls} {attrs}"
        return found[0]

    def raw_text(self) -> str:
        return "".join(child if isinstance(child, str) else child.raw_text() for child in self.children)

    @property
    def text(self) -> str:
        """Text content with whitespace collapsed."""
        return " ".join(self.raw_text().split())

    def texts(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> list[str]:
        return [node.text for node in self.find_all(tag, cls=cls, **attrs)]

    def links(self) -> list[tuple[str, str]]:
        """(text, href) of every <a href> inside."""
        return [(a.text, a.attrs["href"]) for a in self.find_all("a") if "href" in a.attrs]

    def meta(self, key: str) -> str | None:
        for node in self.find_all("meta"):
            if node.attrs.get("name") == key or node.attrs.get("property") == key:
                return node.attrs.get("content")
        return None

    def link_href(self, rel: str) -> str | None:
        for node in self.find_all("link"):
            if rel in node.attrs.get("rel", "").split():
                return node.attrs.get("href")
        return None

    def json_ld(self) -> list[Any]:
        return [json.loads(node.raw_text()) for node in self.find_all("script", type="application/ld+json")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def script_bodies(html: str, script_type: str) -> list[str]:
    """Raw bodies of <script type=...> elements, cut where a browser would cut them."""
    bodies = []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script", html, re.S | re.I):
        if f'type="{script_type}"' in match.group(1):
            bodies.append(match.group(2))
    return bodies
