"""Markdown source as editors wrote it, with code blanked out.

Checks that read the Markdown itself (links, placeholders) must not look inside
code: a `[x](missing.md)` in a fenced block is an example, not a link. Blanking
code with spaces, rather than removing it, keeps every offset and line number.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# Blocks whose indented continuation lines are Markdown, not code: list items,
# admonitions, pymdownx.details and footnote definitions.
_OWNER = re.compile(r"^ {0,3}(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|\[\^[^\]]+\]:)")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\r\n]")


def blank(text: str) -> str:
    """`text` with every character but line breaks replaced by a space."""
    return _NOT_NEWLINE.sub(" ", text)


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _opens(line: str) -> str | None:
    match = _FENCE.match(line)
    if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
        return None
    return match["fence"]


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _blank_blocks(body: str) -> list[str]:
    """Lines of `body`, with fenced and indented code blocks blanked."""
    out: list[str] = []
    fence: str | None = None
    owned = in_code = False
    previous_blank = True
    for line in body.splitlines(keepends=True):
        text = line.rstrip("\r\n")
        if fence is not None:
            out.append(blank(line))
            fence = None if _closes(text, fence) else fence
            continue
        if not text.strip():
            out.append(line)
            previous_blank = True
            continue
        fence = _opens(text)
        if fence is not None or _indent(text) >= 4 and (in_code or previous_blank and not owned):
            in_code = fence is None
            out.append(blank(line))
        else:
            if _indent(text) < 4:
                owned = bool(_OWNER.match(text)) or (owned and not previous_blank)
            in_code = False
            out.append(line)
        previous_blank = False
    return out


def prose(body: str) -> str:
    """`body` with code blocks, code spans and HTML comments blanked; same length and lines."""
    text = "".join(_blank_blocks(body))
    text = _CODE_SPAN.sub(lambda match: blank(match[0]), text)
    return _COMMENT.sub(lambda match: blank(match[0]), text)


class LineIndex:
    """Offsets in a text → 1-based line numbers."""

    def __init__(self, text: str, first_line: int = 1):
        self.starts = [0] + [match.end() for match in re.finditer(r"\n", text)]
        self.first_line = first_line

    def line(self, offset: int) -> int:
        return self.first_line + bisect_right(self.starts, offset) - 1
