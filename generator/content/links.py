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
    return [Link(body_line + line, url) for line, url in _body_links(body)]


@lru_cache(maxsize=32768)
def _prose(body: str) -> str:
    return prose(body)


# Memoized results are plain tuples of strings and numbers: the garbage collector stops
# tracking those, and a long-lived `hub serve` holds one set per content file.


@lru_cache(maxsize=32768)
def _body_links(body: str) -> tuple[tuple[int, str], ...]:
    """(line, url) of a body's links, with lines counted from 0 (the body's first line)."""
    text = _prose(body)
    found = [(match.start("url"), match["url"]) for match in _INLINE.finditer(text)]
    if "]:" in text:
        found += [(match.start("url"), match["url"]) for match in _REFERENCE.finditer(text)]
    found.sort()
    lines = line_numbers(text, [offset for offset, _ in found], 0)
    return tuple((line, url.strip("<>")) for line, (_, url) in zip(lines, found, strict=True))


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


_LocalLink = tuple[int, str, str, str]
"""A relative link of a body, resolved: (line in the body from 0, url, path from content/ of the
target or "" for a heading of the same file, fragment)."""


@lru_cache(maxsize=32768)
def _local_links(source_path: str, body: str) -> tuple[_LocalLink, ...]:
    """The body's links that are checked, resolved from the file's folder (memoized: bodies rarely change)."""
    directory = posixpath.dirname(source_path)
    found = []
    for line, url in _body_links(body):
        target = local_target(url)
        if target is None:
            continue
        relative, fragment = target
        path = posixpath.normpath(posixpath.join(directory, relative)) if relative else ""
        found.append((line, url, path, fragment))
    return tuple(found)


def _problem(source: LinkedFile, link: _LocalLink, targets: _Targets, root: str) -> Problem | None:
    _, url, path, fragment = link
    path = path or source.path
    if path != source.path and (path.startswith("../") or path not in targets.existing):
        return Severity.ERROR, f"expected an existing content file, got {url!r}"
    linked = targets.files.get(path)
    if linked is not None and linked is not source:
        problem = _visibility(source, linked, url)
        if problem is not None:
            return problem
    if fragment:
        ids = targets.ids(path)
        if ids is not None and fragment not in ids:
            return Severity.ERROR, f"expected a heading '#{fragment}' in {root}/{path}"
    return None


class LinkMemo:
    """Broken links found per file, kept from one check of a hub to the next (`hub serve`).

    A file's problems are kept while the file (its record and whether it is
    published) and every file its links point at are unchanged, and the set of
    paths under content/ too.
    """

    def __init__(self) -> None:
        self.linked: dict[int, tuple[Entry, LinkedFile]] = {}
        """id(record) → the record and its LinkedFile: the same object while nothing changed."""
        self.now: datetime | None = None
        self.release: datetime | None = None
        """The earliest scheduled date after `now`: until then, a record's state stays the same."""
        self.files: dict[str, LinkedFile] = {}
        self.existing: frozenset[str] = frozenset()
        self.display_root = ""
        self.found: dict[str, tuple[LinkedFile, tuple[str, ...], tuple[ContentIssue, ...]]] = {}
        """Source path → the file as checked, the paths its links point at, its problems."""

    def changed(self, targets: _Targets, display_root: str) -> set[str]:
        """Paths whose file or existence changed since the last check (another root: forget everything)."""
        if display_root != self.display_root:
            self.found.clear()
        old, new = self.files, targets.files
        changed = {path for path in old.keys() | new.keys() if old.get(path) is not new.get(path)}
        return changed | (self.existing ^ targets.existing)


def check_links(files: Sequence[LinkedFile], existing: Collection[str], display_root: str = "content",
                memo: LinkMemo | None = None) -> list[ContentIssue]:  # fmt: skip
    """Every broken relative link in `files`; `existing` lists the paths under content/."""
    targets = _Targets(files, frozenset(existing) if memo is not None else existing)
    changed = memo.changed(targets, display_root) if memo is not None else set()
    found_now: dict[str, tuple[LinkedFile, tuple[str, ...], tuple[ContentIssue, ...]]] = {}
    issues: list[ContentIssue] = []
    for source in files:
        kept = memo.found.get(source.path) if memo is not None else None
        if kept is None or kept[0] is not source or not changed.isdisjoint(kept[1]):
            links = _local_links(source.path, source.body)
            kept = (source, tuple({path or source.path: None for _, _, path, _ in links}),
                    tuple(_problems(source, links, targets, display_root)) if links else ())  # fmt: skip
        found_now[source.path] = kept
        issues.extend(kept[2])
    if memo is not None:
        memo.files, memo.existing, memo.display_root, memo.found = (
            targets.files, frozenset(targets.existing), display_root, found_now,
        )  # fmt: skip
    return issues


def _problems(source: LinkedFile, links: tuple[_LocalLink, ...], targets: _Targets,
              root: str) -> list[ContentIssue]:  # fmt: skip
    where = f"{root}/{source.path}"
    issues = []
    for link in links:
        problem = _problem(source, link, targets, root)
        if problem is not None:
            severity, message = problem
            issues.append(ContentIssue(where, source.body_line + link[0], "link", message, severity))
    return issues


def _state(entry: Entry, now: datetime) -> tuple[str | None, datetime | None]:
    if entry.draft:
        return "a draft (draft: true)", None
    if isinstance(entry, Profile) and not entry.public:
        return "a private profile (public: false)", None
    if isinstance(entry, Item | DigestIntro) and entry.date > now:
        return None, entry.date
    return None, None


def linked_files(hub: Hub, now: datetime, memo: LinkMemo | None = None) -> list[LinkedFile]:
    """Every loaded content file, with whether it is published at `now`."""
    entries: list[Entry] = [*hub.items(), *hub.people.values(), *hub.digests, *hub.pages, *hub.countries.values()]
    if hub.home is not None:
        entries.append(hub.home)
    if memo is None:
        return [LinkedFile(e.path, e.body, e.body_line, *_state(e, now)) for e in entries]
    # A record's state changes only when time passes one of the scheduled dates.
    steady = memo.now is not None and memo.now <= now and (memo.release is None or now < memo.release)
    release = memo.release if steady else None
    files = []
    linked: dict[int, tuple[Entry, LinkedFile]] = {}
    for entry in entries:
        kept = memo.linked.get(id(entry))
        if not steady or kept is None or kept[0] is not entry:
            hidden, scheduled = _state(entry, now)
            if kept is None or kept[0] is not entry or (kept[1].hidden, kept[1].scheduled) != (hidden, scheduled):
                kept = (entry, LinkedFile(entry.path, entry.body, entry.body_line, hidden, scheduled))
            if scheduled is not None and (release is None or scheduled < release):
                release = scheduled
        linked[id(entry)] = kept
        files.append(kept[1])
    memo.linked, memo.now, memo.release = linked, now, release
    return files


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


def check_hub_links(hub: Hub, listing: Iterable[str], now: datetime, display_root: str = "content",
                    memo: LinkMemo | None = None) -> list[ContentIssue]:  # fmt: skip
    """check_links over a loaded hub; `listing` holds every file path under content/.

    With `memo` (kept between checks of the same hub), only the files that changed,
    and those linking to them, are checked again.
    """
    existing = {*listing, *generated_targets(hub)}
    return check_links(linked_files(hub, now, memo), existing, display_root, memo)
