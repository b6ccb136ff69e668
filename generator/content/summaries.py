"""Plain-text summaries and reading time from Markdown bodies, without rendering them."""

from __future__ import annotations

import re

_SKIP = re.compile(r"^\s*(#|>|[-*+] |\d+\. |\||```|~~~|<|!\[|\{|!!!|\?\?\?|\[\^?[^\]]+\]:)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|\*|_|`|~~)")
_WORD = re.compile(r"\w+")


def first_paragraph(body: str, limit: int = 300) -> str:
    """The body's first prose paragraph as plain text, cut at a word near `limit` characters."""
    for block in re.split(r"\n\s*\n", body):
        if block.strip() and not _SKIP.match(block):
            plain = _MARKS.sub("", _LINK.sub(r"\1", " ".join(block.split()))).strip()
            if plain:  # a rule such as *** leaves nothing
                return cut(plain, limit)
    return ""


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:.-—")
    return f"{head}…"


def reading_minutes(body: str, words_per_minute: int) -> int:
    return max(1, round(len(_WORD.findall(body)) / words_per_minute))
