"""A tiny, deterministic YAML writer for front matter, shaped like what editors type.

PyYAML's dumper would quote ISO dates (they resolve as timestamps) and reorder
keys; editors write dates bare and fields in a natural order, so we emit by hand.
Anything that a YAML 1.1 reader could take for something else (`NO`, `on`, `1.0`,
text with `:` or `#`) is written as a JSON string, which is valid YAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/'-]*[A-Za-z0-9.]|[A-Za-z]")
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])


@dataclass(frozen=True, slots=True)
class Bare:
    """A value written as-is (ISO dates and times, which we want unquoted)."""

    text: str


Value = str | int | bool | Bare | Sequence["Value"] | Mapping[str, "Value"] | None


def scalar(value: str | int | bool | Bare) -> str:
    if isinstance(value, Bare):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow_item(value: str | int | bool | Bare) -> str:
    text = scalar(value)
    return json.dumps(value, ensure_ascii=False) if "," in text and text[0] != '"' else text


def _lines(key: str, value: Value, indent: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        lines = [f"{indent}{key}:"]
        for child_key, child in value.items():
            lines.extend(_lines(child_key, child, indent + "  "))
        return lines
    if isinstance(value, (list, tuple)):
        return [f"{indent}{key}: [{', '.join(_flow_item(item) for item in value)}]"]
    return [f"{indent}{key}: {scalar(value)}"]  # type: ignore[arg-type]


def dump(fields: Mapping[str, Value]) -> str:
    """Block-style YAML of `fields` in insertion order; None values are left out."""
    lines: list[str] = []
    for key, value in fields.items():
        lines.extend(_lines(key, value, ""))
    return "\n".join(lines) + "\n"


def front_matter(fields: Mapping[str, Value], body: str) -> str:
    return f"---\n{dump(fields)}---\n\n{body}"
