"""HTML pages of the service: Jinja2 templates with autoescape, in the visitor's language.

Every page is self-contained (inline style, no script, no font or image from
elsewhere), and the headers forbid anything else: no third-party request, no
framing, no referrer to another site (links carry tokens).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from .texts import texts

TEMPLATES = Path(__file__).resolve().parent / "templates"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
    " frame-ancestors 'none'; base-uri 'none'",
    # Not no-referrer: browsers then send "Origin: null" with our own forms.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Pages:
    site: str
    site_url: str
    env: Environment

    @classmethod
    def create(cls, site: str, site_url: str) -> Pages:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"], default=True),
            auto_reload=False,
        )
        return cls(site, site_url, env)

    def render(self, template: str, language: str, title_key: str, status: int = 200, **context: Any) -> HTMLResponse:
        words = texts(language)
        html = self.env.get_template(template).render(
            lang=language, words=words, title=words[title_key], site=self.site, site_url=self.site_url, **context
        )
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def message(
        self, language: str, key: str, status: int = 200, errors: list[str] | None = None, **fields: Any
    ) -> HTMLResponse:
        """A page with a title and one paragraph: `<key>_title` and `<key>_body`."""
        body = texts(language)[f"{key}_body"].format(site=self.site, **fields)
        return self.render("message.html", language, f"{key}_title", status, body=body, errors=errors or [])

    def words(self, language: str) -> Mapping[str, str]:
        return texts(language)
