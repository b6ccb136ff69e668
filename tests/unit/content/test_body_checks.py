"""Checks on a body before it is rendered: what they catch, and the ordinary Markdown they leave alone."""

from __future__ import annotations

from generator.content.body_checks import MAX_NESTING, check_body

ORDINARY = """\
An intro with *emphasis*, **strong**, a [link](https://example.org/), <https://example.org/a>
and <https://example.org/b>, an image ![alt](../media/a.svg){ width="300" } and { .note }.

- one
    - two
        - three

> A quote
> > inside a quote

<details markdown="1">
<summary>More</summary>
Text with <em>HTML</em> and <a href="https://example.org/" title="on=1">a link</a>.
</details>

```html
<script>alert("shown as code")</script>
<a href="javascript:void(0)" onclick="x()">code</a>
```

    <iframe src="indented code"></iframe>

Inline `<script>` in code, an email <a href="mailto:ana@example.org">Ana</a>, and once = 3.
""" + "<p>Paragraph</p>\n" * 40  # many optional-end tags: not nesting


def test_ordinary_markdown_passes():
    assert check_body("content/a.md", ORDINARY, 7) == []


def issues(body: str) -> list[str]:
    return [str(issue) for issue in check_body("content/a.md", body, 10)]


def test_nesting_is_counted_by_lists_quotes_indents_and_html_blocks():
    just = MAX_NESTING
    assert issues("".join("    " * level + "- x\n" for level in range(just))) == []
    too_deep = f"content/a.md:{10 + just}: body: nested more than {just} levels (lists, quotes or HTML blocks): " \
               "expected fewer levels"  # fmt: skip
    assert issues("".join("    " * level + "- x\n" for level in range(just + 1))) == [too_deep]
    assert issues(">" * (just + 1) + " x\n") == [too_deep.replace(f":{10 + just}:", ":10:")]
    assert issues("- " * (just + 1) + "x\n") == [too_deep.replace(f":{10 + just}:", ":10:")]
    divs = "<div>\n" * (just + 1) + "x\n" + "</div>\n" * (just + 1)
    assert issues(divs) == [too_deep]
    assert issues("<div>\n</div>\n" * (just + 1)) == []  # closed each time: one level


def test_control_characters_are_named_by_code_and_line():
    assert issues("ok\n\nbell \x07 here\n") == [
        "content/a.md:12: body: expected text without control characters, got U+0007"
    ]
    assert issues("tabs\tand\r\nnew lines\n") == []


def test_active_html_in_every_disguise_is_named():
    found = issues(
        "<SCRIPT src=x></SCRIPT>\n"
        "<a href=' jav&#x61;script:alert(1)'>x</a>\n"
        '<svg><a xlink:href="vbscript:x">y</a></svg>\n'
        "[x]( JAVASCRIPT:alert(1))\n"
        "[ref]: javascript:alert(1)\n"
        "<img src=x ONERROR=alert(1)>\n"
        "Para\n{: onmouseover='x' }\n"
        '<object data="x"></object>\n'
    )
    what = [line.split("(", 1)[1].split(")", 1)[0] for line in found]
    assert what == ["a <script> element", "a javascript: link", "a vbscript: link", "a javascript: link",
                    "a javascript: link", "an onerror= handler", "an onmouseover= handler",
                    "a <object> element"]  # fmt: skip
    assert [line.split(":")[1] for line in found] == ["10", "11", "12", "13", "14", "15", "17", "18"]
    assert all(": warning: body: raw HTML that runs in readers' browsers" in line for line in found)
