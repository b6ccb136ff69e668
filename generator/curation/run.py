"""One `hub curate` run: read every feed, decide what is new, write drafts and the ledger.

Each feed is read whole before anything of it is written, so a feed that fails changes
nothing; the others go on. Feeds are fetched side by side (a slow one costs its own
feed_timeout, not everyone's), then taken in their configured order, so the drafts and
their names do not depend on which answered first. The ledger is written once at the
end (not at all in a dry run), and records every entry a draft was written for or that
an article already credits.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from community_digest.fetching import FeedError
from community_digest.sources import FeedItem
from generator.content.errors import ConfigError, HubError
from generator.content.new import known_topics
from generator.content.project import Project
from generator.content.settings import CurationFeed
from generator.content.yaml_source import YamlDocument, YamlSyntaxError, parse_yaml

from .canonical import canonical_url
from .drafts import Draft, draft_for, plain
from .ledger import LEDGER_NAME, Ledger, Seen, read_ledger, write_ledger
from .reading import FeedEntries, credited_urls, read_feed

FETCHES_AT_ONCE = 8
"""Feeds fetched side by side: each mostly waits on the network."""
MAX_SUFFIX = 999
"""slug-2 … slug-999: past that, something is wrong with the feed, not with the names."""


@dataclass(frozen=True, slots=True)
class CurateOptions:
    since: date | None = None
    """Entries published on or after this day; None: since the feed's last run."""
    feed: str | None = None
    """Only the feed of this name."""
    dry_run: bool = False
    allow_private: bool = False


@dataclass(slots=True)
class Written:
    path: str
    """From the project root: content/articles/<slug>.md."""
    title: str


@dataclass(slots=True)
class FeedReport:
    name: str
    url: str
    drafts: list[Written] = field(default_factory=list)
    duplicates: int = 0
    older: int = 0
    """Entries published before `since`."""
    since: datetime | None = None
    """--since, else the feed's last run (None on a first run: every entry is new)."""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class CurateReport:
    feeds: list[FeedReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """About content/ rather than one feed."""

    @property
    def failed(self) -> bool:
        return any(report.error for report in self.feeds)


def chosen_feeds(project: Project, name: str | None) -> list[CurationFeed]:
    feeds = list(project.settings.curation.feeds)
    if not feeds:
        raise HubError(f"{project.config_file.name}: no partner feeds to curate: list them under "
                       "extra.hub.curation.feeds, each with a url and a name (see the README)")  # fmt: skip
    if name is None:
        return feeds
    chosen = [feed for feed in feeds if feed.name == name]
    if not chosen:
        names = ", ".join(repr(feed.name) for feed in feeds)
        raise HubError(f"--feed: expected the name of a feed in extra.hub.curation.feeds ({names}), got {name!r}")
    return chosen


def check_feed_topics(project: Project) -> None:
    """ConfigError naming the line of every feed topic id that topics.yml does not define."""
    known = known_topics(project)
    try:
        document = parse_yaml(project.config_file.read_text(encoding="utf-8"), tolerant=True)
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        document = YamlDocument(None)  # load_project read it already: lines are a courtesy
    problems = []
    for index, feed in enumerate(project.settings.curation.feeds):
        named = [(("topics", at), "topics", topic) for at, topic in enumerate(feed.topics)]
        named += [(("categories", term), f"categories.{term}", topic) for term, topic in feed.categories.items()]
        for where, shown, topic in named:
            if topic not in known:
                line = document.line_of("extra", "hub", "curation", "feeds", index, *where)
                at = f"{project.config_file.name}:{line}" if line else project.config_file.name
                problems.append(f"{at}: extra.hub.curation.feeds.{index}.{shown}: "
                                f"expected a topic id from topics.yml, got {topic!r}")  # fmt: skip
    if problems:
        raise ConfigError("\n".join(problems))


def _since(feed: CurationFeed, options: CurateOptions, ledger: Ledger, project: Project) -> datetime | None:
    if options.since is not None:
        return datetime.combine(options.since, time(), tzinfo=project.settings.zone)
    return ledger.last_run.get(feed.url)


def _keys(item: FeedItem) -> set[str]:
    """What a duplicate may match: the canonical link, the feed's id and that id as a URL."""
    return {canonical_url(item.url), item.id, canonical_url(item.id)}


def _free_path(articles: Path, slug: str, taken: set[str]) -> Path:
    for number in range(1, MAX_SUFFIX + 1):
        name = f"{slug}.md" if number == 1 else f"{slug}-{number}.md"
        path = articles / name
        if name not in taken and not path.exists() and not path.is_symlink():
            return path
    raise HubError(f"content/articles/{slug}.md: taken, and so are {slug}-2 … {slug}-{MAX_SUFFIX}.md")


def _write(path: Path, text: str) -> None:
    """Create the file; never replace one (an editor's file may have appeared meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(text)


@dataclass(slots=True)
class _Run:
    project: Project
    options: CurateOptions
    ledger: Ledger
    known: set[str]
    now: datetime
    taken: set[str] = field(default_factory=set)

    @property
    def articles(self) -> Path:
        return self.project.content_dir / "articles"

    def read(self, feed: CurationFeed) -> FeedEntries | FeedError:
        try:
            return read_feed(self.project, feed, allow_private=self.options.allow_private)
        except FeedError as error:
            return error

    def feed(self, feed: CurationFeed, entries: FeedEntries | FeedError) -> FeedReport:
        report = FeedReport(feed.name, feed.url)
        if isinstance(entries, FeedError):
            report.error = plain(entries.reason)
            return report
        report.warnings = [plain(warning) for warning in entries.warnings]
        since = report.since = _since(feed, self.options, self.ledger, self.project)
        day = self.now.astimezone(self.project.settings.zone).date()
        for item in sorted(entries.items, key=lambda entry: entry.published):
            if since is not None and item.published < since:
                report.older += 1
                continue
            keys = _keys(item)
            if keys & self.known:
                report.duplicates += 1
                if not keys & self.ledger.keys():
                    self._remember(item, feed, day, None)
                continue
            self.known |= keys
            draft = draft_for(item, feed, day=day, authors=self.project.settings.new.authors)
            report.drafts.append(self._place(draft))
            self._remember(item, feed, day, report.drafts[-1].path.removeprefix("content/"))
        self.ledger.last_run[feed.url] = self.now
        return report

    def _place(self, draft: Draft) -> Written:
        path = _free_path(self.articles, draft.slug, self.taken)
        self.taken.add(path.name)
        if not self.options.dry_run:
            _write(path, draft.text)
        return Written(f"content/articles/{path.name}", draft.title)

    def _remember(self, item: FeedItem, feed: CurationFeed, day: date, draft: str | None) -> None:
        self.ledger.seen.append(Seen(canonical_url(item.url), item.id, feed.name, day, draft))


def curate(project: Project, options: CurateOptions, *, now: datetime) -> CurateReport:
    """Run every chosen feed; the report says what was written and what failed."""
    feeds = chosen_feeds(project, options.feed)
    check_feed_topics(project)
    ledger_path = project.content_dir / LEDGER_NAME
    ledger = read_ledger(ledger_path)
    credited, warnings = credited_urls(project.content_dir / "articles")
    run = _Run(project, options, ledger, credited | ledger.keys(), now)
    report = CurateReport(warnings=warnings)
    with ThreadPoolExecutor(max_workers=max(1, min(FETCHES_AT_ONCE, len(feeds)))) as pool:
        readings = list(pool.map(run.read, feeds))
    for feed, entries in zip(feeds, readings, strict=True):
        report.feeds.append(run.feed(feed, entries))
    if not options.dry_run and any(feed.error is None for feed in report.feeds):
        write_ledger(ledger_path, ledger)  # when every feed failed, nothing at all changes
    return report
