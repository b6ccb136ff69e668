"""IssueView -> e-mail HTML (Jinja2 -> MJML -> mrml -> inlined CSS) and plain text.

Templates live in themes/email/ (issue.mjml.j2 with partials, issue.txt.j2); a
project's own themes/email/ overrides them file by file. The plain-text part is
rendered from the same view, not converted from the HTML, so it reads as text:
links are numbered in the order they appear and listed at the end.

The templates' `%%name%%` and `%%unsubscribe_url%%` (and those in our own
words, like the greeting) are rendered as fresh sentinels and recorded as slots:
only those are filled per subscriber (see placeholders.py).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import css_inline
import mrml
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from generator.content.errors import HubError

from .placeholders import PLACEHOLDERS, Sentinels, Slot
from .views import IssueView

BUILTIN_THEME = Path(__file__).resolve().parent.parent / "themes" / "email"
MAX_HTML_BYTES = 90 * 1024  # Gmail clips messages at about 102 KB; keep a margin.
TEXT_WIDTH = 72
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<(https?://[^>\s]+)>")


class RenderError(HubError):
    """An e-mail could not be rendered within the limits (size, MJML)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    text: str
    html_slots: tuple[Slot, ...] = ()
    text_slots: tuple[Slot, ...] = ()


class _PlaceholderLoader(BaseLoader):
    """Templates whose placeholders read a variable, so each rendering sets its own sentinels."""

    def __init__(self, inner: BaseLoader):
        self.inner = inner

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        for placeholder in PLACEHOLDERS:
            source = source.replace(placeholder, f"{{{{ hub_sentinels[{placeholder!r}] }}}}")
        return source, filename, uptodate


def _with_sentinels(view: IssueView, sentinels: Sentinels) -> IssueView:
    """The view with our own words' placeholders (the greeting's name) as sentinels."""
    return replace(view, words={key: sentinels.put(text) for key, text in view.words.items()})


@dataclass(slots=True)
class LinkNumbers:
    """Numbers links by first appearance, for the plain-text part's [1] … list."""

    urls: list[str] = field(default_factory=list)

    def ref(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def _wrap(text: str, indent: int = 0) -> str:
    pad = " " * indent
    return textwrap.fill(
        " ".join(text.split()),
        TEXT_WIDTH,
        initial_indent=pad,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )


@cache
def _environment(theme_dirs: tuple[Path, ...]) -> Environment:
    loader = _PlaceholderLoader(ChoiceLoader([FileSystemLoader(str(path)) for path in theme_dirs]))
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("mjml.j2", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = _wrap
    return env


def theme_dirs(project_root: Path | None) -> tuple[Path, ...]:
    """The project's themes/email/ (if any) before the built-in one."""
    dirs = []
    if project_root is not None and (project_root / "themes" / "email").is_dir():
        dirs.append((project_root / "themes" / "email").resolve())
    if BUILTIN_THEME not in dirs:
        dirs.append(BUILTIN_THEME)
    return tuple(dirs)


@cache
def _inliner() -> css_inline.CSSInliner:
    # Remote stylesheets are never fetched, and @media rules (dark mode, phones)
    # stay in a <style> block because they can't be inlined.
    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True, minify_css=True)


def compile_mjml(source: str) -> str:
    """MJML -> HTML with mrml; no web fonts (they'd be fetched by every client)."""
    options = mrml.RenderOptions(disable_comments=True, fonts={})
    try:
        output = mrml.to_html(source, render_options=options)
    except Exception as exc:  # mrml raises plain exceptions for template mistakes
        raise RenderError(f"themes/email: the MJML template is not valid: {exc}") from None
    return _inliner().inline(output.content)


def render_html(view: IssueView, dirs: tuple[Path, ...], sentinels: Sentinels) -> tuple[str, tuple[Slot, ...]]:
    template = _environment(dirs).get_template("issue.mjml.j2")
    source = template.render(issue=_with_sentinels(view, sentinels), hub_sentinels=sentinels.of)
    html, slots = sentinels.locate(compile_mjml(source))
    size = len(html.encode("utf-8"))
    if size > MAX_HTML_BYTES:
        raise RenderError(
            f"digest {view.issue}: the e-mail HTML is {size // 1024} KB, over the "
            f"{MAX_HTML_BYTES // 1024} KB limit (Gmail clips long messages); lower "
            "extra.hub.digest.section_cap or drop items from the frozen selection"
        )
    return html, slots


def _numbered_markdown(numbers: LinkNumbers, resolve: Callable[[str], str]) -> Callable[[str], str]:
    """Markdown links in the intro become `text [n]`, numbered with the rest."""

    def one(match: re.Match[str]) -> str:
        if match.group(3):
            return f"{match.group(3)} [{numbers.ref(resolve(match.group(3)))}]"
        return f"{match.group(1)} [{numbers.ref(resolve(match.group(2)))}]"

    return lambda text: _wrap_prose(_MD_LINK.sub(one, text))


_NOT_PROSE = re.compile(r"^\s*([-*+>#|]|\d+[.)]\s|```|~~~|    )")


def _wrap_prose(markdown_text: str) -> str:
    """Rewrap plain paragraphs to the text width; lists, quotes, tables and code stay as written."""
    blocks = re.split(r"\n\s*\n", markdown_text.strip())
    wrapped = [
        block if any(_NOT_PROSE.match(line) for line in block.splitlines()) else _wrap(block)
        for block in blocks
    ]
    return "\n\n".join(wrapped)


def render_text(
    view: IssueView, dirs: tuple[Path, ...], resolve: Callable[[str], str], sentinels: Sentinels
) -> tuple[str, tuple[Slot, ...]]:
    """The plain-text part; `resolve` makes the intro's own link targets absolute."""
    numbers = LinkNumbers()
    template = _environment(dirs).get_template("issue.txt.j2")
    text = template.render(
        issue=_with_sentinels(view, sentinels),
        hub_sentinels=sentinels.of,
        ref=numbers.ref,
        intro=_numbered_markdown(numbers, resolve),
        links=lambda: enumerate(numbers.urls, 1),
    )
    lines = [line.rstrip() for line in text.splitlines()]
    return sentinels.locate(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n")


def render_variant(
    view: IssueView, dirs: tuple[Path, ...], resolve: Callable[[str], str]
) -> Rendered:
    sentinels = Sentinels()
    html, html_slots = render_html(view, dirs, sentinels)
    text, text_slots = render_text(view, dirs, resolve, sentinels)
    return Rendered(html, text, html_slots, text_slots)
