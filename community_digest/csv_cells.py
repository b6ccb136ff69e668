"""CSV cells that a spreadsheet shows as text instead of running them.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula
(or may become one) when the file is opened in a spreadsheet; OWASP's advice is
to prefix it with a single quote. The prefix is undone on import, and a value
that already starts with quotes before such a character gets one more, so an
export imports back to exactly what was exported.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def spreadsheet_safe(value: str) -> str:
    """The cell to write: `value`, with a leading quote when it could start a formula."""
    return f"'{value}" if _FORMULA.match(value) else value


def from_spreadsheet_safe(value: str) -> str:
    """The value of a cell `spreadsheet_safe` wrote (other cells come back unchanged)."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value) else value
