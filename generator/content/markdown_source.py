"""Markdown source as editors wrote it, with code blanked out.

Checks that read the Markdown itself (links, placeholders) must not look inside
code: a `[x](missing.md)` in a fenced block is an example, not a link. Blanking
code with spaces, rather than removing it, keeps every offset and line number.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# Blocks whose indented continuation lines are Markdown, not code: list items,
# admonitions, pymdownx.details and footnote definitions.
_OWNER = re.compile(r"^ {0,3}(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|\[\^[^\]]+\]:)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
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


def _may_hold_code_blocks(body: str) -> bool:
    return (
        "```" in body or "~~~" in body or "\n    " in body or "\n\t" in body
        or body.startswith(("    ", "\t"))
    )  # fmt: skip


def _backtick_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of backticks not escaped with a backslash."""
    runs = []
    start = text.find("`")
    while start != -1:
        end = start + 1
        while text.startswith("`", end):
            end += 1
        if text[start - 1 : start] != "\\":
            runs.append((start, end))
        start = text.find("`", end)
    return runs


def _blank_code_spans(text: str) -> str:
    """Blank `code` spans: a run of backticks up to the next run as long, within one paragraph."""
    runs = _backtick_runs(text)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        size = end - start
        closer = next((i for i in range(index + 1, len(runs)) if runs[i][1] - runs[i][0] == size), None)
        if closer is None or _BLANK_LINE.search(text, end, runs[closer][0]):
            index += 1
            continue
        spans.append((start, runs[closer][1]))
        index = closer + 1
    parts, previous = [], 0
    for start, end in spans:
        parts += [text[previous:start], blank(text[start:end])]
        previous = end
    return "".join(parts) + text[previous:]


def prose(body: str) -> str:
    """`body` with code blocks, code spans and HTML comments blanked; same length and lines."""
    text = "".join(_blank_blocks(body)) if _may_hold_code_blocks(body) else body
    if "`" in text:
        text = _blank_code_spans(text)
    if "<!--" in text:
        text = _COMMENT.sub(lambda match: blank(match[0]), text)
    return text


def line_numbers(text: str, offsets: list[int], first_line: int = 1) -> list[int]:
    """The line of each offset in `text` (offsets in ascending order)."""
    lines, line, previous = [], first_line, 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        lines.append(line)
        previous = offset
    return lines
