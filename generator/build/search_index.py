"""The search index, kept between builds, and optionally in shards.

Pagefind has no incremental mode: it indexes a whole folder or nothing. So the
indexed pages can be dealt (settings.search_shard_pages) into shards by a stable
hash of their path; each shard is a Pagefind bundle of its own, and the search
page merges them (Pagefind's `mergeIndex`). Each bundle is kept in the cache
folder under a digest of what it was made from (its pages' fingerprints, the
language, the options, Pagefind's version), so a build runs Pagefind only over
the shards whose pages changed, and links the other bundles as they were.

Shards are off by default: a first search fetches an index chunk per word from
every shard (about 30 KB each), and a phone's first search must stay small.

The primary bundle (shard 0, with Pagefind's library) is the site's `pagefind/`;
shard n is `pagefind/<n>/`, and `pagefind/shards.json` lists them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.content.errors import HubError

from .page_reuse import link
from .pagefind_process import pagefind_command
from .search_bundle import make_reproducible

BUNDLE = "pagefind"
SHARDS_FILE = "shards.json"
SEARCHED_SECTIONS = frozenset({"articles", "stories", "people", "pages", "digests"})
"""Only pages in these folders are indexed (translations too, under their language prefix)."""
SEARCHED_GLOB = "**/{" + ",".join(sorted(SEARCHED_SECTIONS)) + "}/**/*.html"
"""The same for Pagefind, which then never parses the large listing and topic pages."""

# Text that is chrome rather than content, inside the pages' data-pagefind-body:
# heading permalinks (¶), the "Article"/"Partner story" kicker and the labels of the
# metadata list ("Published", "Reading time"). Their values stay searchable.
SEARCH_EXCLUDE_SELECTORS = (".headerlink", ".hub-kicker", ".hub-meta dt")

# What a secondary shard needs: Pagefind's library, WebAssembly and UI come from the primary.
_LIBRARY_SUFFIXES = (".js", ".css", ".pagefind")


def is_searched(dest_uri: str) -> bool:
    """Whether a page's output path lies in a searched section."""
    return dest_uri.endswith(".html") and not SEARCHED_SECTIONS.isdisjoint(dest_uri.split("/")[:-1])


@dataclass(frozen=True, slots=True)
class Shard:
    number: int
    pages: tuple[str, ...]
    """Output paths of its pages, relative to the site folder."""
    digest: str
    """Of everything its bundle is made from: equal digests, equivalent bundles."""
    alone: bool
    """The only shard: it holds every indexed page of the site."""

    @property
    def folder(self) -> str:
        return BUNDLE if self.number == 0 else f"{BUNDLE}/{self.number}"


def pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


def plan_shards(pages: Mapping[str, str], *, language: str, per_shard: int = 0) -> list[Shard]:
    """Deal the indexed pages (output path → digest of its bytes) into shards of about
    `per_shard` pages (0: a single one).

    A page's shard depends only on its path and the number of shards, so an edit
    leaves every other page where it was.
    """
    count = max(1, -(-len(pages) // per_shard)) if per_shard else 1
    members: list[list[str]] = [[] for _ in range(count)]
    for dest in sorted(pages):
        members[_bucket(dest, count)].append(dest)
    salt = "\0".join((pagefind_version(), language, *SEARCH_EXCLUDE_SELECTORS, str(count)))
    shards = []
    for number, paths in enumerate(members):
        digest = hashlib.blake2b(salt.encode(), digest_size=16)
        for dest in paths:
            digest.update(f"\0{dest}\0{pages[dest]}".encode())
        shards.append(Shard(number, tuple(paths), digest.hexdigest(), alone=count == 1))
    return shards


def _bucket(dest: str, count: int) -> int:
    return int.from_bytes(hashlib.blake2b(dest.encode(), digest_size=8).digest(), "big") % count


def search_command(site_dir: Path, output: Path, *, language: str) -> list[str]:
    """The Pagefind command line over one shard's pages.

    Only elements marked data-pagefind-body are indexed (item, story, profile and
    plain pages). A hub in one language is indexed as that language, whatever a page
    says. A hub in several (`language` ""): Pagefind makes an index per <html lang>, and
    each language's search page (/fr/search/) searches its own.
    """
    arguments = ["--site", str(site_dir), "--output-path", str(output), "--quiet", "--glob", SEARCHED_GLOB]
    if language:
        arguments += ["--force-language", language.split("-")[0].lower()]
    for selector in SEARCH_EXCLUDE_SELECTORS:
        arguments += ["--exclude-selectors", selector]
    return pagefind_command(arguments)


class ShardStore:
    """Shard bundles in a cache folder, each under its digest; safe to delete."""

    def __init__(self, folder: Path, *, language: str):
        self.folder = folder
        self.language = language

    def bundle(self, shard: Shard) -> Path:
        return self.folder / shard.digest

    def missing(self, shards: list[Shard]) -> list[Shard]:
        return [shard for shard in shards if not (self.bundle(shard) / "pagefind-entry.json").is_file()]

    def start(self, shard: Shard, site_dir: Path, *, nice: bool = False) -> subprocess.Popen[str]:
        """Run Pagefind over the shard's pages, into a folder of its own.

        A shard among others is read from a copy (hard links) of its pages; the only
        one from the site itself, where Pagefind finds the same pages by their folders.
        """
        pages = site_dir
        if not shard.alone:
            pages = self._work(shard, "pages")
            shutil.rmtree(pages, ignore_errors=True)
            for dest in shard.pages:
                link(site_dir / dest, pages / dest)
            pages.mkdir(parents=True, exist_ok=True)
        output = self._work(shard, "bundle")
        shutil.rmtree(output, ignore_errors=True)
        command = search_command(pages, output, language=self.language)
        if nice and shutil.which("nice"):
            command = ["nice", "-n", "10", *command]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603

    def finish(self, shard: Shard, process: subprocess.Popen[str], *, keep: bool = True) -> None:
        """Wait for a shard's Pagefind and keep its bundle; a failure is a HubError."""
        out, err = process.communicate()
        shutil.rmtree(self._work(shard, "pages"), ignore_errors=True)
        output = self._work(shard, "bundle")
        if process.returncode != 0 or not keep:
            shutil.rmtree(output, ignore_errors=True)
            if process.returncode != 0 and keep:
                raise HubError(f"search indexing failed: {err.strip() or out.strip() or process.returncode}")
            return
        make_reproducible(output)
        try:
            output.rename(self.bundle(shard))
        except OSError:
            # Another build made the same bundle meanwhile: the two are equivalent.
            shutil.rmtree(output, ignore_errors=True)

    def publish(self, shards: list[Shard], site_dir: Path) -> None:
        """Link every shard's bundle into the site, with the list the search page merges."""
        for shard in shards:
            source, target = self.bundle(shard), site_dir / shard.folder
            os.utime(source)  # recently used: see keep_only()
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if path.is_file() and (shard.number == 0 or not _is_library(relative)):
                    link(path, target / relative)
        listed = [f"{shard.number}/" for shard in shards[1:]]
        (site_dir / BUNDLE).mkdir(parents=True, exist_ok=True)
        (site_dir / BUNDLE / SHARDS_FILE).write_text(json.dumps({"shards": listed}), encoding="utf-8")

    def keep_only(self, shards: list[Shard]) -> None:
        """Drop the bundles no shard uses any more, but for as many recent ones again.

        The spares are for another build of the same project (a preview beside a
        build) whose shards differ: it should not lose its bundles to this one.
        """
        wanted = {shard.digest for shard in shards}
        if not self.folder.is_dir():
            return
        others = []
        for path in self.folder.iterdir():
            digest, _, work = path.name.partition(".")
            if work and _owner_ended(work):  # a killed build's: nobody will finish it
                shutil.rmtree(path, ignore_errors=True)
            elif digest in wanted:
                continue
            elif not work:
                others.append(path)
            elif work.endswith(f".{os.getpid()}"):  # another process's work folder is its own business
                shutil.rmtree(path, ignore_errors=True)
        others.sort(key=_modified, reverse=True)
        for path in others[len(wanted) :]:
            shutil.rmtree(path, ignore_errors=True)

    def _work(self, shard: Shard, what: str) -> Path:
        return self.folder / f"{shard.digest}.{what}.{os.getpid()}"


def _owner_ended(work: str) -> bool:
    """Whether the process a work folder ("bundle.<pid>") belongs to has ended."""
    pid = work.rpartition(".")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists, and belongs to someone else
    return False


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _is_library(relative: Path) -> bool:
    return len(relative.parts) == 1 and relative.name.endswith(_LIBRARY_SUFFIXES)


def index_shards(store: ShardStore, shards: list[Shard], site_dir: Path, *, jobs: int,
                 nice: bool = False, cancelled: Callable[[], bool] = lambda: False,
                 started: Callable[[subprocess.Popen[str]], None] = lambda process: None) -> bool:  # fmt: skip
    """Index the shards not in the store, `jobs` at a time. False if cancelled on the way.

    `started` sees each Pagefind process, so whoever cancels can also stop it.
    """
    pending = list(reversed(store.missing(shards)))
    running: list[tuple[Shard, subprocess.Popen[str]]] = []
    failure: HubError | None = None
    while pending or running:
        while pending and len(running) < max(1, jobs) and failure is None and not cancelled():
            shard = pending.pop()
            process = store.start(shard, site_dir, nice=nice)
            started(process)
            running.append((shard, process))
        if not running:
            break
        shard, process = running.pop(0)
        try:
            store.finish(shard, process, keep=not cancelled())
        except HubError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return not cancelled()


def index_and_publish(store: ShardStore, shards: list[Shard], site_dir: Path, *, jobs: int) -> None:
    """Index what is missing, then link every bundle into the site.

    Another build of the same project may drop a bundle between the two steps (see
    keep_only()): then that shard is indexed again.
    """
    for attempt in range(3):
        index_shards(store, shards, site_dir, jobs=jobs)
        try:
            store.publish(shards, site_dir)
        except FileNotFoundError:
            if attempt == 2:
                raise
            continue
        store.keep_only(shards)
        return
