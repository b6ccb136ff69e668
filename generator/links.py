"""Relative links between content files: the target must exist, be published and have the heading.

Pure: works on the loaded records' paths and bodies and on a listing of content/.
Heading ids are computed the way Python-Markdown's toc extension computes them
(its `slugify` and `unique` rules, explicit `{#id}` from attr_list first); a
heading with inline markup has its text rendered by Python-Markdown itself.
What is read from a body is memoized by the body's text, so checking again in a
long-lived process (`hub serve`) only reads the files that changed.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import unquote

import markdown
from markdown.extensions import toc

from .errors import ContentIssue, Severity
from .markdown_source import line_numbers, prose
from .records import DigestIntro, Entry, Hub, Item, Profile

_INLINE = re.compile(
    r"\]\(\s*(?P<url><[^>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(?P<url><[^>\n]*>|\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ATX = re.compile(r"\n(#{1,6}(?!#)[^\n]*)")
_SETEXT_RULE = re.compile(r"\n(=+|-+)[ ]*(?=\n|$)")
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_HTML_ID = re.compile(r"<[a-zA-Z][^>]*?\sid=[\"']([^\"']+)[\"']")
_OUTPUT_ID = re.compile(r"\sid=\"([^\"]*)\"")
# An ATX heading whose text has no inline markup: its id needs no Markdown run.
_PLAIN_HEADING = re.compile(r"^#{1,6}(?P<text>[^*_`\[\]<>\\!{}#]*?)#*[ \t]*$")
GENERATED_INDEXES = (
    "index.md", "articles/index.md", "stories/index.md", "people/index.md", "topics/index.md",
    "countries/index.md", "digests/index.md", "archive/index.md", "search/index.md",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LinkedFile:
    """A content file whose links are checked, and whether the site will show it."""

    path: str
    """Path from content/, e.g. articles/a.md."""
    body: str
    body_line: int = 1
    """Line of the file on which the body starts."""
    hidden: str | None = None
    """Why it is never published ("a draft (draft: true)"); None when it is."""
    scheduled: datetime | None = None
    """Publication time still to come, for a published-later item."""


@dataclass(frozen=True, slots=True)
class Link:
    line: int
    url: str


Problem = tuple[Severity, str]
"""How bad a link is, and the message that says why."""


def find_links(body: str, body_line: int = 1) -> list[Link]:
    """Inline links, images and reference definitions outside code, with their file line."""
    return [Link(body_line + link.line, link.url) for link in _body_links(body)]


@lru_cache(maxsize=32768)
def _prose(body: str) -> str:
    return prose(body)


@lru_cache(maxsize=32768)
def _body_links(body: str) -> tuple[Link, ...]:
    """Links of a body, with lines counted from 0 (the body's first line)."""
    return tuple(_links_in(_prose(body), 0))


def _links_in(text: str, body_line: int) -> list[Link]:
    found = [(match.start("url"), match["url"]) for match in _INLINE.finditer(text)]
    if "]:" in text:
        found += [(match.start("url"), match["url"]) for match in _REFERENCE.finditer(text)]
    found.sort()
    lines = line_numbers(text, [offset for offset, _ in found], body_line)
    return [Link(line, url.strip("<>")) for line, (_, url) in zip(lines, found, strict=True)]


def local_target(url: str) -> tuple[str, str] | None:
    """(path, fragment) of a relative link to a file; None for external, absolute or folder URLs."""
    if not url or _SCHEME.match(url) or url.startswith("/"):
        return None
    path, _, fragment = url.partition("#")
    path = unquote(path.split("?", 1)[0])
    if path and (path.endswith("/") or not posixpath.splitext(path)[1]):
        return None  # a directory-style URL: MkDocs doesn't resolve these either
    return path, unquote(fragment)


def _starts_block(text: str, start: int) -> bool:
    """Whether the line at `start` follows a blank line (or opens the text)."""
    if start == 0:
        return True
    previous = text.rfind("\n", 0, start - 1) + 1
    return not text[previous : start - 1].strip()


def _headings(text: str, body: str) -> dict[int, str]:
    """Top-level headings as ATX Markdown, by the offset of their line.

    They are found in `text` (the body with code blanked) and read from `body`,
    so that a heading keeps its `code` spans.
    """
    # "\n" + text: one fast literal search finds every line that starts with "#".
    found = {match.start(1) - 1: body[match.start(1) - 1 : match.end(1) - 1] for match in _ATX.finditer("\n" + text)}
    for rule in _SETEXT_RULE.finditer(text):
        start = text.rfind("\n", 0, rule.start()) + 1
        line = body[start : rule.start()].strip()
        if line and start not in found and _starts_block(text, start):  # Python-Markdown's rule
            found[start] = ("# " if rule[1][0] == "=" else "## ") + line
    return dict(sorted(found.items()))


def _explicit_ids(text: str, headings: dict[int, str]) -> set[str]:
    """Ids given with attr_list (`{: #id }`) outside headings."""
    if "{" not in text:
        return set()
    return {
        name
        for match in _ATTR_LIST.finditer(text)
        if text.rfind("\n", 0, match.start()) + 1 not in headings
        for name in _ATTR_ID.findall(match[1])
    }


@lru_cache(maxsize=32768)
def heading_ids(body: str) -> frozenset[str]:
    """Every id a reader can link to: headings (toc rules) and explicit attr_list or HTML ids."""
    text = _prose(body)
    headings = _headings(text, body)
    explicit = _explicit_ids(text, headings)
    plain = [_PLAIN_HEADING.match(heading) for heading in headings.values()]
    if all(plain):
        ids = _plain_ids([match["text"] for match in plain if match], explicit)
    else:
        ids = _rendered_ids(list(headings.values()), explicit)
    if "id=" in text:
        ids |= set(_HTML_ID.findall(text))
    return frozenset(ids | explicit)


def _plain_ids(names: list[str], explicit: set[str]) -> set[str]:
    """The toc extension's ids for headings without inline markup, without running Markdown."""
    used = set(explicit)
    for name in names:
        toc.unique(_slug(name.strip()), used)
    return used


@lru_cache(maxsize=16384)
def _slug(name: str) -> str:
    return toc.slugify(html.unescape(name), "-")


def _rendered_ids(headings: list[str], explicit: set[str]) -> set[str]:
    """Ids of headings with inline markup: Python-Markdown renders their text."""
    # Other elements' ids come first, as in the toc extension: a heading never takes them.
    source = "".join(f"x\n{{: #{name} }}\n\n" for name in sorted(explicit))
    source += "\n\n".join(headings)
    rendered = markdown.Markdown(extensions=["attr_list", "toc"]).convert(source)
    return {html.unescape(name) for name in _OUTPUT_ID.findall(rendered)}


class _Targets:
    """What links may point at: files on disk, generated pages, and the ids of loaded files."""

    def __init__(self, files: Sequence[LinkedFile], existing: Collection[str]):
        self.files = {file.path: file for file in files}
        self.existing = existing

    def ids(self, path: str) -> frozenset[str] | None:
        file = self.files.get(path)
        return None if file is None else heading_ids(file.body)


def _when(moment: datetime) -> str:
    return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat()


def _visibility(source: LinkedFile, target: LinkedFile, url: str) -> Problem | None:
    if source.hidden is not None:
        return None
    if target.hidden is not None:
        return Severity.ERROR, f"expected a published page, got {url!r}, {target.hidden}"
    if target.scheduled and (source.scheduled is None or source.scheduled < target.scheduled):
        when = _when(target.scheduled)
        dead = f"scheduled for {when}; the link is dead until then"
        return Severity.WARNING, f"expected a published page, got {url!r}, {dead}"
    return None


@lru_cache(maxsize=4096)
def _resolve(directory: str, url: str) -> tuple[str, str] | None:
    """(path from content/, fragment) of a relative link from a file in `directory`.

    None when the link isn't checked; the path is "" for a link to a heading of the same file.
    """
    target = local_target(url)
    if target is None:
        return None
    relative, fragment = target
    if not relative:
        return "", fragment
    return posixpath.normpath(posixpath.join(directory, relative)), fragment


def _problem(source: LinkedFile, link: Link, targets: _Targets, root: str) -> Problem | None:
    target = _resolve(posixpath.dirname(source.path), link.url)
    if target is None:
        return None
    path, fragment = target
    path = path or source.path
    if path != source.path and (path.startswith("../") or path not in targets.existing):
        return Severity.ERROR, f"expected an existing content file, got {link.url!r}"
    linked = targets.files.get(path)
    if linked is not None and linked is not source:
        problem = _visibility(source, linked, link.url)
        if problem is not None:
            return problem
    ids = targets.ids(path)
    if fragment and ids is not None and fragment not in ids:
        return Severity.ERROR, f"expected a heading '#{fragment}' in {root}/{path}"
    return None


def check_links(files: Sequence[LinkedFile], existing: Collection[str],
                display_root: str = "content") -> list[ContentIssue]:  # fmt: skip
    """Every broken relative link in `files`; `existing` lists the paths under content/."""
    targets = _Targets(files, existing)
    issues = []
    for source in files:
        where = f"{display_root}/{source.path}"
        for link in find_links(source.body, source.body_line):
            problem = _problem(source, link, targets, display_root)
            if problem is not None:
                severity, message = problem
                issues.append(ContentIssue(where, link.line, "link", message, severity))
    return issues


def _state(entry: Entry, now: datetime) -> tuple[str | None, datetime | None]:
    if entry.draft:
        return "a draft (draft: true)", None
    if isinstance(entry, Profile) and not entry.public:
        return "a private profile (public: false)", None
    if isinstance(entry, Item | DigestIntro) and entry.date > now:
        return None, entry.date
    return None, None


def linked_files(hub: Hub, now: datetime) -> list[LinkedFile]:
    """Every loaded content file, with whether it is published at `now`."""
    entries: list[Entry] = [*hub.items(), *hub.people.values(), *hub.digests, *hub.pages]
    if hub.home is not None:
        entries.append(hub.home)
    return [LinkedFile(e.path, e.body, e.body_line, *_state(e, now)) for e in entries]


def generated_targets(hub: Hub) -> set[str]:
    """Pages the hub generates that a content file may link to (topic and country hubs, indexes)."""
    entries = (*hub.items(), *hub.digests, *hub.pages)
    countries = {code for entry in entries for code in entry.countries}
    countries |= {code for person in hub.people.values() for code in person.all_countries}
    return {
        *GENERATED_INDEXES,
        *(f"topics/{topic}.md" for topic in hub.topics),
        *(f"countries/{code.lower()}.md" for code in countries),
    }


def check_hub_links(hub: Hub, listing: Iterable[str], now: datetime,
                    display_root: str = "content") -> list[ContentIssue]:  # fmt: skip
    """check_links over a loaded hub; `listing` holds every file path under content/."""
    return check_links(linked_files(hub, now), {*listing, *generated_targets(hub)}, display_root)
