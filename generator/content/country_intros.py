"""Editors' introductions to destination hubs: content/countries/<code>.md.

The file name is the country (a lowercase ISO 3166-1 code, `jp.md`); the body is the
introduction, shown at the top of /countries/jp/; `summary` is optional. The file makes no
page of its own: the destination hub is generated and shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fields as f
from .errors import ContentIssue
from .records import CountryIntro

if TYPE_CHECKING:
    from .front_matter import FrontMatter, Relations

COUNTRY_FIELDS = ("summary",)


def read_country_intro(fm: FrontMatter, slug: str, relations: Relations) -> CountryIntro | None:
    """The introduction in one file, or None (with the problem recorded) when its name is no country."""
    try:
        code = f.country(slug)  # the slug is already lowercase letters, digits and hyphens
    except f.FieldProblem:
        code = None
    if code is None:
        fm.failed = True
        message = f"expected a file name that is a lowercase ISO 3166-1 country code like jp.md, got '{slug}.md'"
        fm.issues.append(ContentIssue(fm.display, 1, None, message))
        return None
    summary = fm.take("summary", lambda value: f.text(value, limit=600, what="plain text"))
    return CountryIntro(slug=slug, path=fm.source.path, title=code, summary=summary or "", body=fm.source.body,
                        body_line=fm.source.body_line, lang=fm.context.language)  # fmt: skip
