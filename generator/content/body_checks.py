"""Checks on a body's Markdown before it is rendered.

Errors for what would break the build or its feeds: control characters (feeds are XML,
which cannot carry them) and nesting deeper than the renderer can follow (Python-Markdown
recurses once per level, and a few hundred levels end in a RecursionError after minutes).
Warnings for raw HTML that runs in a reader's browser: editors are trusted, but a pasted
<script> or event handler must not reach partners unnoticed (an error under --strict).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .errors import ContentIssue, Severity
from .markdown_source import line_numbers, prose

MAX_NESTING = 32
"""Lists, quotes and HTML blocks inside one another; real pages stay well under ten."""

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""What neither a text field nor a body may hold: tab, line feed and carriage return aside."""

# A line that could be nested MAX_NESTING deep starts with at least that many marker characters.
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING + 1},}}", re.MULTILINE)
_CONTAINER = re.compile(r"([ \t]*)(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t\n]|$))")
_INDENT = re.compile(r"[ \t]*")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])[^<>]*?(/?)>")
_NOT_NESTING = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",  # void
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "option",
    "optgroup", "rt", "rp",  # end tags that may be left out
))  # fmt: skip

_ACTIVE_TAG = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|base|form|meta|link|style)\b", re.IGNORECASE
)
_HANDLER_IN_TAG = re.compile(r"<[a-zA-Z][^<>]*?[\s\"'/](on[a-zA-Z]{3,})\s*=", re.IGNORECASE)
_HANDLER_IN_ATTR_LIST = re.compile(r"\{:?[^{}\n]*?(?<![\w-])(on[a-zA-Z]{3,})\s*=", re.IGNORECASE)
_URL = re.compile(
    r"""(?:\]\(\s*<?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|(?<![\w-])(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*)"""
    r"""([^\s"'<>)]+)""",
    re.IGNORECASE | re.MULTILINE,
)
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_URL_NOISE = re.compile(r"[\x00-\x20]+")  # browsers drop these inside a scheme ("java\tscript:")


def check_body(display: str, body: str, body_line: int) -> list[ContentIssue]:
    """Problems in a body that starts on file line `body_line`, with the line of each."""
    issues = []
    control = CONTROL.search(body)
    if control is not None:
        line = body_line + body.count("\n", 0, control.start())
        message = f"expected text without control characters, got U+{ord(control[0]):04X}"
        issues.append(ContentIssue(display, line, "body", message))
    text = prose(body)  # code is shown as text, never run nor parsed for nesting
    deep = _too_deep(text)
    if deep is not None:
        message = f"nested more than {MAX_NESTING} levels (lists, quotes or HTML blocks): expected fewer levels"
        issues.append(ContentIssue(display, body_line + deep, "body", message))
    for offset, what in sorted(_active(text)):
        line = line_numbers(text, [offset], body_line)[0]
        message = (f"raw HTML that runs in readers' browsers ({what}): remove it, or ask for it in the "
                   f"theme instead")  # fmt: skip
        issues.append(ContentIssue(display, line, "body", message, Severity.WARNING))
    return issues


def _too_deep(text: str) -> int | None:
    """The 0-based line where nesting first goes past MAX_NESTING, or None."""
    for match in _DEEP_PREFIX.finditer(text):
        if _line_depth(text, match.start()) > MAX_NESTING:
            return text.count("\n", 0, match.start())
    if "<" in text:
        return _html_too_deep(text)
    return None


def _line_depth(text: str, start: int) -> int:
    """Containers a line opens: quote and list markers, and a level per four columns of indent."""
    depth, position = 0, start
    while (match := _CONTAINER.match(text, position)) is not None:
        depth += 1 + len(match[1].expandtabs(4)) // 4
        position = match.end()
    indent = _INDENT.match(text, position)
    return depth + (len(indent[0].expandtabs(4)) // 4 if indent else 0)


def _html_too_deep(text: str) -> int | None:
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if name.lower() in _NOT_NESTING or self_closing:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_NESTING:
            return text.count("\n", 0, match.start())
    return None


def _active(text: str) -> Iterator[tuple[int, str]]:
    """(offset, what) of each piece of HTML that would run: elements, handlers, script links."""
    if "<" in text:
        for match in _ACTIVE_TAG.finditer(text):
            yield match.start(), f"a <{match[1].lower()}> element"
        for match in _HANDLER_IN_TAG.finditer(text):
            yield match.start(1), f"an {match[1].lower()}= handler"
    if "{" in text:
        for match in _HANDLER_IN_ATTR_LIST.finditer(text):
            yield match.start(1), f"an {match[1].lower()}= handler"
    for match in _URL.finditer(text):
        url = _URL_NOISE.sub("", html.unescape(match[1])).lower()
        scheme = next((scheme for scheme in _SCRIPT_SCHEMES if url.startswith(scheme)), None)
        if scheme is not None:
            yield match.start(1), f"a {scheme.rstrip(':')}: link"
