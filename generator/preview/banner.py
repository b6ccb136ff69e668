"""What a preview shows on every page while the content has errors."""

from __future__ import annotations

from markupsafe import Markup

from generator.content.errors import ContentIssue


def with_banner(html: str, issues: list[ContentIssue]) -> str:
    """`html` with the list of errors right after <body ...>."""
    start = html.find("<body")
    if start < 0:
        return html
    end = html.find(">", start) + 1
    return html[:end] + error_banner(issues) + html[end:]


def error_banner(issues: list[ContentIssue]) -> str:
    items = "".join(f"<li><code>{Markup.escape(str(issue))}</code></li>" for issue in issues)
    count = f"{len(issues)} error" + ("" if len(issues) == 1 else "s")
    return (
        '<div class="hub-build-errors" role="alert" style="background:#8b1e1e;color:#fff;padding:1rem 1.5rem;'
        'font:14px/1.5 system-ui,sans-serif;position:relative;z-index:10">'
        f"<strong>{count}: until they are fixed, the preview shows the last version of these files "
        "that loaded (a new file stays out).</strong>"
        f'<ul style="margin:.5rem 0 0">{items}</ul></div>'
    )
