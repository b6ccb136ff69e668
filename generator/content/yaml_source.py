"""YAML with line numbers: front matter blocks and mkdocs.yml.

Editors' YAML is read with a strict resolver: dates stay strings (so the loader,
not PyYAML, judges '2025-13-45') and only `true`/`false` are booleans (so the
country code `NO` stays Norway).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ContentIssue

Path = tuple[str | int, ...]


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


class _HubLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps and without YAML 1.1 yes/no/on/off."""


_HubLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp" and tag != "tag:yaml.org,2002:bool"
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HubLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _TolerantLoader(_HubLoader):
    """For mkdocs.yml: tags such as !ENV or !!python/name become plain values."""


def _construct_unknown(loader: _HubLoader, tag_suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _construct_unknown)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_unknown)


@dataclass(slots=True)
class YamlDocument:
    """Parsed YAML plus the 1-based line of every key and list item, by path."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, *path: str | int) -> int | None:
        """Line of the deepest known prefix of `path` (a list item falls back to its key)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


def _repeats_a_node(root: yaml.Node) -> bool:
    """Whether an alias repeats a node: nine aliases of nine aliases of... expand to billions of values
    for whatever walks the data, from 434 bytes. Linear: each node is looked at once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


MAX_EXPANDED = 100_000
"""Values mkdocs.yml may hold once its aliases are written out (a large one holds a few thousand)."""


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values the document holds with every alias written out, counted up to `limit`
    (past it, or around an alias inside its own anchor, limit + 1). Linear: each node is sized once."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_sized = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else []
        if children_sized:
            open_nodes.discard(id(node))
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes[id(child)] for child in children))
        elif id(node) in open_nodes:
            return limit + 1  # an alias to a value being written: it never ends
        else:
            open_nodes.add(id(node))
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    return limit + 1
                stack.append((child, False))
    return sizes[id(root)]


def _first_alias(text: str, first_line: int) -> tuple[int | None, str]:
    """The line and name (" *a") of the first alias, for the refusal (scanning again is fine: this is the rare case)."""
    with contextlib.suppress(yaml.YAMLError):
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line + first_line, f" *{token.value}"
    return None, ""


def _record_lines(node: yaml.Node, path: Path, offset: int, lines: dict[Path, int],
                  unique: bool) -> None:  # fmt: skip
    """Note the line of every key and item; with `unique`, a repeated key is an error
    (PyYAML would silently keep the last value)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = (*path, key_node.value)
                line = key_node.start_mark.line + 1 + offset
                if unique and child in lines:
                    raise YamlSyntaxError(
                        line, f"invalid YAML: duplicate field {key_node.value!r} (first on line {lines[child]})"
                    )
                lines[child] = line
                _record_lines(value_node, child, offset, lines, unique)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1 + offset
            _record_lines(item, child, offset, lines, unique)


def parse_yaml(text: str, *, first_line: int = 1, tolerant: bool = False) -> YamlDocument:
    """Parse one YAML document; `first_line` is the file line of the text's first line."""
    loader = (_TolerantLoader if tolerant else _HubLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and not tolerant and _repeats_a_node(node):
            line, name = _first_alias(text, first_line)
            raise YamlSyntaxError(line, f"invalid YAML: an alias{name} repeats a value written elsewhere; "
                                        "aliases are not allowed here: write each value out")  # fmt: skip
        if node is not None and tolerant and _expanded_size(node, MAX_EXPANDED) > MAX_EXPANDED:
            line, name = _first_alias(text, first_line)
            raise YamlSyntaxError(line, f"invalid YAML: the aliases (the first:{name}) expand to more "
                                        f"than {MAX_EXPANDED:,} values, or into themselves: write the values out")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (mark is None or mark.index >= len(text.rstrip())):
            # Stopped at the end (an unclosed quote or bracket): the mistake is where it opened.
            mark = exc.context_mark
        line = mark.line + first_line if mark else None
        problem = " ".join(part for part in (exc.problem, exc.context) if part) or "not valid YAML"
        raise YamlSyntaxError(line, f"invalid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _record_lines(node, (), first_line - 1, lines, unique=not tolerant)
    return YamlDocument(data, lines)


@dataclass(slots=True)
class SourceFile:
    """A content file split into its front matter and Markdown body."""

    path: str
    front: YamlDocument
    body: str
    body_line: int


_FENCE = re.compile(r"^---[ \t]*$")


def read_source(path: str, raw: bytes) -> SourceFile | ContentIssue:
    """Decode and split a content file, or say exactly why it can't be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        return ContentIssue(path, line, None, f"expected UTF-8 text, found the byte 0x{byte:02x} that is not UTF-8")
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return ContentIssue(path, 1, None, "expected a front matter block starting with '---'")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")) or lines[index].rstrip() == "...":
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            try:
                front = parse_yaml(yaml_text, first_line=2)
            except YamlSyntaxError as exc:
                return ContentIssue(path, exc.line, None, exc.message)
            if front.data is None:
                front.data = {}
            if not isinstance(front.data, dict):
                return ContentIssue(path, 2, None, "expected front matter to be a mapping of fields")
            return SourceFile(path, front, body, index + 2)
    return ContentIssue(path, 1, None, "expected a closing '---' line after the front matter")
