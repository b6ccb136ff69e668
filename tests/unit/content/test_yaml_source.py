"""generator.content.yaml_source: front matter with the line of every key, read the way editors mean it."""

from __future__ import annotations

import pytest

from generator.content.errors import ContentIssue
from generator.content.yaml_source import SourceFile, YamlSyntaxError, parse_yaml, read_source

FRONT = b"""\
---
title: Moving to Norway
date: 2025-11-12
countries: [NO, SE]
lived_in:
  - NO
  - DE
draft: false
featured: True
mentoring: yes
public: off
source:
  name: Partner magazine
  url: https://example.org/
---
The body starts here.
"""


def read(raw: bytes) -> SourceFile:
    source = read_source("articles/x.md", raw)
    assert isinstance(source, SourceFile), source
    return source


def failure(raw: bytes) -> str:
    issue = read_source("articles/x.md", raw)
    assert isinstance(issue, ContentIssue), issue
    return str(issue)


def test_values_are_read_as_editors_mean_them():
    data = read(FRONT).front.data
    assert data["countries"] == ["NO", "SE"]  # Norway, not false
    assert data["lived_in"] == ["NO", "DE"]
    assert data["date"] == "2025-11-12"  # the loader judges dates, not PyYAML
    assert data["draft"] is False and data["featured"] is True
    assert data["mentoring"] == "yes" and data["public"] == "off"  # only true/false are booleans


def test_every_key_and_item_has_its_file_line():
    source = read(FRONT)
    front = source.front
    assert front.line_of("title") == 2
    assert front.line_of("countries") == 4
    assert front.line_of("countries", 1) == 4  # a flow list item: its key's line
    assert front.line_of("lived_in", 1) == 7
    assert front.line_of("source", "url") == 14
    assert front.line_of("source", "author") == 12  # absent: falls back to the parent
    assert front.line_of("nothing") is None
    assert source.body_line == 16
    assert source.body == "The body starts here.\n"


def test_parse_yaml_counts_from_first_line():
    document = parse_yaml("a: 1\nb:\n  - x\n", first_line=10)
    assert document.lines == {("a",): 10, ("b",): 11, ("b", 0): 12}


def test_empty_front_matter_is_an_empty_mapping():
    assert read(b"---\n---\nBody\n").front.data == {}


def test_bom_and_crlf_are_accepted():
    source = read(b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\nBody\r\n")
    assert source.front.data == {"title": "Windows"}
    assert source.body_line == 4


def test_yaml_document_end_marker_closes_front_matter():
    assert read(b"---\ntitle: Dots\n...\nBody\n").front.data == {"title": "Dots"}


def test_invalid_utf8_names_the_line_of_the_byte():
    assert failure(b"---\ntitle: ok\nsummary: caf\xe9\n---\n") == (
        "articles/x.md:3: expected UTF-8 text, found the byte 0xe9 that is not UTF-8"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"# Title\n", "articles/x.md:1: expected a front matter block starting with '---'"),
        (b"", "articles/x.md:1: expected a front matter block starting with '---'"),
        (b"---\ntitle: x\n", "articles/x.md:1: expected a closing '---' line after the front matter"),
        (b"---\n- a\n- b\n---\n", "articles/x.md:2: expected front matter to be a mapping of fields"),
        (b"---\ntitle: a: b\n---\n", "articles/x.md:2: invalid YAML: mapping values are not allowed in this context"),
        (b"---\ndate: 2025-11-12\ntitle: \"open\n---\n",
         "articles/x.md:3: invalid YAML: found unexpected end of stream while scanning a quoted scalar"),
        (b"---\ntitle: x\ntopics: [a, b\n---\n",
         "articles/x.md:3: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        (b"---\ntitle: x\ntitle: y\n---\n", "articles/x.md:3: invalid YAML: duplicate field 'title' (first on line 2)"),
        (b"---\nsource:\n  name: a\n  name: b\n---\n",
         "articles/x.md:4: invalid YAML: duplicate field 'name' (first on line 3)"),
    ],
)  # fmt: skip
def test_unreadable_front_matter_says_where_and_why(raw, message):
    assert failure(raw) == message


def test_tolerant_mode_reads_mkdocs_tags_and_allows_repeats():
    document = parse_yaml("a: !ENV [HOME, x]\nb: !!python/name:material.extensions.emoji.twemoji\nc: 1\nc: 2\n",
                          tolerant=True)  # fmt: skip
    assert document.data["a"] == ["HOME", "x"]
    assert document.data["c"] == 2
    with pytest.raises(YamlSyntaxError):
        parse_yaml("a: !ENV [HOME]\n")
