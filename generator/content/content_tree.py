"""What of content/ the contract names, so may be published, and a report of everything else.

Editors are trusted but fallible: a backup beside a private profile, a link to a file
on the host, a folder of notes. The build publishes only what the contract names (the
sections' Markdown, the home page, regular files under media/) and `hub check` names
every other entry, so nothing leaves content/ by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import ContentIssue, Severity
from .readers import SECTIONS
from .source_cache import FILE, FOLDER, LINK, RESERVED, ContentFiles, Tree

ROOT_FILES = ("index.md", "topics.yml", ".curation.yml")
"""`.curation.yml`: what `hub curate` has seen (never published, kept with the content)."""
FOLDERS = (*SECTIONS, "media", "countries")
"""The folders the contract names at the top of content/."""

_LEFTOVER = re.compile(
    r"(?:~|\.(?:bak|orig|rej|old|tmp|temp|save|sav|swp|swo|swx|kate-swp))$|^#.*#$|^\.#|^~\$|^\.~lock\.",
    re.IGNORECASE,
)
"""Names editors and tools leave behind: x.md~, #x.md#, x.md.bak, x.md.orig, .x.md.swp, .#x.md, ~$x.docx."""
_MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""What MkDocs would render as a page rather than copy."""
_COUNTRY_INTRO = re.compile(r"^[a-z]{2}\.md$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_LINKED = "a symbolic link: links are never followed nor published; put the file itself here"
_SPECIAL = "not a regular file or folder: never read nor published"
_NEVER = "never published"


@dataclass(slots=True)
class Survey:
    """content/ sorted out: what may be published, and what hub check says about the rest."""

    pages: set[str] = field(default_factory=set)
    """Markdown files the loader reads: the home page and each section's *.md."""
    media: set[str] = field(default_factory=set)
    """Regular files under media/ (leftovers and hidden files aside): copied as they are."""
    issues: list[ContentIssue] = field(default_factory=list)

    @property
    def published(self) -> set[str]:
        """Every file a page may link to."""
        return self.pages | self.media


def survey(tree: Tree, display_root: str = "content") -> Survey:
    """Sort out every entry of `tree` (see ContentFiles.tree); links are reported, never followed."""
    found = Survey()
    for path, folder, name, kind in _entries(tree):
        said = _judge(path, folder, name, kind, found)
        if said is not None:
            found.issues.append(ContentIssue(f"{display_root}/{path}", None, None, *said))
    found.issues.sort(key=lambda issue: issue.path)
    return found


def surveyed(files: ContentFiles, display_root: str = "content") -> Survey:
    """survey() of a load's files, made again only when an entry came, went or changed kind.

    A watched folder (hub serve) keeps its listing while its entries stay the same, so a
    save that only edits a file reuses the last survey.
    """
    listing = files.listing()
    kept = files.surveyed
    if kept is not None and kept[0] is listing and kept[1] == display_root:
        return kept[2]
    found = survey(files.tree(), display_root)
    if files.keep:
        files.surveyed = (listing, display_root, found)
    return found


def _judge(path: str, folder: str, name: str, kind: str, found: Survey) -> tuple[str, Severity] | None:
    """What to say about one entry (None: nothing), noting what may be published in `found`."""
    unsafe = _unsafe(kind)
    if unsafe is not None:
        return unsafe, Severity.ERROR
    if kind == FOLDER:
        return None  # what is in it is judged entry by entry
    if _LEFTOVER.search(name):
        return f"an editor's backup or leftover: {_NEVER}; delete it", Severity.WARNING
    if name.startswith(".") and path not in ROOT_FILES:
        return f"a hidden file: {_NEVER}", Severity.WARNING
    top = path.partition("/")[0]
    if top == "media" and folder:
        if name.lower().endswith(_MARKDOWN):
            return f"Markdown in media/ is not a page: {_NEVER}", Severity.WARNING
        found.media.add(path)
        return None
    if folder == top and top in (*SECTIONS, "countries") and name == RESERVED:
        return f"the name 'index' is taken by the section's own page /{top}/: rename the file", Severity.ERROR
    message = _misplaced(path, folder, name)
    if message is None and name.endswith(".md") and top != "countries":
        found.pages.add(path)
    return None if message is None else (message, Severity.WARNING)


def _unsafe(kind: str) -> str | None:
    """What is wrong with an entry that is neither a regular file nor a real folder (None: nothing)."""
    if kind == LINK:
        return _LINKED
    return None if kind in (FILE, FOLDER) else _SPECIAL


def _misplaced(path: str, folder: str, name: str) -> str | None:
    """Why a regular file is not where the contract puts files (None: it is)."""
    top, _, rest = path.partition("/")
    if not folder:
        return None if name in ROOT_FILES else f"not part of the content format: {_NEVER}"
    if top not in FOLDERS:
        section = rest.partition("/")[0]
        if _LANGUAGE.match(top) and section in SECTIONS:
            return (f"in {top}/, a folder the content format doesn't know: {_NEVER}; a translation "
                    f"lives in {section}/ beside its original, with lang: {top} and translation_of:")  # fmt: skip
        return f"in {top}/, a folder the content format doesn't know: {_NEVER}"
    if folder != top:
        return f"in a subfolder of {top}/, which the build doesn't read: {_NEVER}"
    if top == "countries":
        return None if _COUNTRY_INTRO.match(name) else f"expected countries/<code>.md: {_NEVER}"
    if name.endswith(".md") or top == "digests" and name.endswith(".selection.yml"):
        return None
    return f"not part of the content format in {top}/: {_NEVER}"


def unsafe_entries(tree: Tree, display_root: str = "content") -> list[ContentIssue]:
    """Links and special files only: MkDocs' own walk of content/ follows links, so a build checks these first."""
    found = [ContentIssue(f"{display_root}/{path}", None, None, unsafe)
             for path, _, _, kind in _entries(tree) if (unsafe := _unsafe(kind)) is not None]  # fmt: skip
    return sorted(found, key=lambda issue: issue.path)


def _entries(tree: Tree) -> Iterator[tuple[str, str, str, str]]:
    """(path from content/, folder, name, kind) of every entry of `tree`."""
    for folder, kinds in tree.items():
        for name, kind in kinds.items():
            yield (f"{folder}/{name}" if folder else name), folder, name, kind
