"""The engine-free half of a build: load, check, relate and plan every page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from generator.content.content_tree import surveyed
from generator.content.errors import ContentErrors, ContentIssue
from generator.content.link_targets import relative_targets
from generator.content.links import check_hub_links
from generator.content.loader import LoadContext, LoadResult, SourceCache, content_files, load_hub
from generator.content.project import build_time
from generator.content.records import DigestIntro, Entry, Hub, Item, Profile
from generator.content.saved_sources import SAVED_FILE
from generator.content.settings import HubSettings
from generator.site.mentors import finder_page

from . import urls
from .languages import Edition, LanguageMap, language_map, make_editions
from .listings import GeneratedPage, generated_pages, mentioned_countries
from .localization import country_names
from .messages import N_, translations
from .relations import Relations, place, relate, substituted

MediaOf = dict[int, tuple[Entry, tuple[str, ...]]]
"""id(record) → the record and the media files it uses (records are immutable)."""


@dataclass(slots=True)
class PlanLends:
    """What a plan computed that the next plan of the same hub may reuse."""

    items: tuple[Item, ...] = ()
    """The hub's articles and stories, as planned."""
    next_release: datetime | None = None
    """When the next scheduled item is published: until then, being published depends on the record only."""
    media: MediaOf = field(default_factory=dict)


@dataclass(slots=True)
class SitePlan:
    """What the site will hold: published records by source path and generated pages."""

    hub: Hub
    settings: HubSettings
    site_name: str
    site_url: str
    language: str
    now: datetime
    relations: Relations
    entries: dict[str, Entry] = field(default_factory=dict)
    generated: dict[str, GeneratedPage] = field(default_factory=dict)
    warnings: list[ContentIssue] = field(default_factory=list)
    content_dir: Path | None = None
    hidden_media: set[str] = field(default_factory=set)
    """Media files that only unpublished records use: they must not reach the site either."""
    media: set[str] = field(default_factory=set)
    """Every file under media/ the contract lets the site publish (hidden_media aside)."""
    lends: PlanLends = field(default_factory=PlanLends, repr=False, compare=False)
    """What the next plan of the same hub may reuse (see plan_site's `previous`)."""
    languages: LanguageMap | None = None
    """The hub's languages: each one's edition, and the versions of each page."""

    def url_of(self, entry: Entry) -> str:
        return urls.entry_url(entry, self.language)

    def absolute(self, path: str) -> str:
        return urls.absolute(self.site_url, path)

    def edition(self, lang: str) -> Edition:
        """What a language's pages list (the site language's when it has no edition)."""
        assert self.languages is not None
        editions = self.languages.editions
        return editions.get(lang) or editions[self.languages.site_language]

    @property
    def edition_languages(self) -> tuple[str, ...]:
        return self.languages.languages if self.languages is not None else (self.language,)

    def page_language(self, src_uri: str) -> str:
        entry = self.entries.get(src_uri)
        if entry is not None:
            return entry.lang
        page = self.generated.get(src_uri)
        return (page.lang if page is not None else "") or self.language

    def bodies(self) -> dict[str, str]:
        """Each page's Markdown body by source path (a generated page's is an editor's intro, or empty)."""
        return {src: entry.body for src, entry in self.entries.items()} | {
            src: page.body for src, page in self.generated.items()}  # fmt: skip

    def publishes(self, src_uri: str) -> bool:
        """Whether a file of content/ reaches the site: a published record, or media one shows."""
        return src_uri in self.entries or (src_uri in self.media and src_uri not in self.hidden_media)

    def moved_url(self, src_uri: str) -> str | None:
        """A translation's URL, under its language's prefix; None for a page the engine places."""
        entry = self.entries.get(src_uri)
        return self.url_of(entry) if entry is not None and entry.lang != self.language else None

    def public_person(self, profile_id: str | None) -> Profile | None:
        person = self.hub.people.get(profile_id or "")
        return person if person is not None and self.hub.is_public_person(person.slug) else None


def load_content(content_dir: Path, settings: HubSettings, language: str, display_root: str = "content",
                 sources: SourceCache | None = None, cache_dir: Path | None = None) -> LoadResult:  # fmt: skip
    """Load content/ and check its links; the result holds every record that loaded and every issue.

    With `cache_dir` (the hub's settings.cache_dir), a process's first load starts from
    the files and records the last one saved there, and saves its own for the next.
    """
    saved = None
    if cache_dir is not None:
        sources = sources or SourceCache()
        saved = cache_dir / SAVED_FILE
    context = LoadContext(content_dir, settings.zone, language, display_root, sources, saved,
                          languages=settings.language_list(language))  # fmt: skip
    files = content_files(context)
    result = load_hub(context, files)
    found = surveyed(files, display_root)
    result.media = found.media
    result.issues.extend(found.issues)
    result.issues.extend(check_hub_links(result.hub, found.published, build_time(), display_root, files.links))
    return result


def load_checked(content_dir: Path, settings: HubSettings, language: str,
                 display_root: str = "content") -> LoadResult:  # fmt: skip
    """load_content(), raising ContentErrors with every error found."""
    result = load_content(content_dir, settings, language, display_root)
    if result.errors:
        raise ContentErrors(result.errors)
    return result


def _is_published(entry: Entry, now: datetime) -> bool:
    if entry.draft:
        return False
    if isinstance(entry, Item):
        return entry.is_published(now)
    if isinstance(entry, Profile):
        return entry.public
    if isinstance(entry, DigestIntro):
        return entry.date <= now
    return True


def _media_of(entry: Entry) -> set[str]:
    images = {getattr(entry, name, None) for name in ("image", "photo")}
    found = {image for image in images if image and "://" not in image}
    return found | set(relative_targets(entry.body, entry.path))


def _hidden_media(everything: list[Entry], published: dict[str, Entry], known: MediaOf, found: MediaOf) -> set[str]:
    """Media that only unpublished records use; `found` gets each record's media, from `known` if there."""
    shown: set[str] = set()
    hidden: set[str] = set()
    for entry in everything:
        media = known.get(id(entry))
        if media is None or media[0] is not entry:
            media = (entry, tuple(_media_of(entry)))
        found[id(entry)] = media
        (shown if entry.path in published else hidden).update(media[1])
    return hidden - shown


def _relate(hub: Hub, hub_items: tuple[Item, ...], now: datetime,
            previous: SitePlan | None) -> tuple[Relations, datetime | None]:  # fmt: skip
    """The relations of the published items, and when the next scheduled item goes out."""
    if previous is not None:
        pairs = _edited_in_place(hub_items, now, previous)
        if pairs is not None:
            return substituted(previous.relations, pairs, hub), previous.lends.next_release
    items = hub.published_items(now)
    shown = {id(item) for item in items}
    scheduled = [item.date for item in hub_items if not item.draft and id(item) not in shown]
    relations = relate(hub, items, previous.relations if previous is not None else None)
    return relations, min(scheduled, default=None)


def _edited_in_place(hub_items: tuple[Item, ...], now: datetime,
                     previous: SitePlan) -> list[tuple[Item, Item]] | None:  # fmt: skip
    """(previous item, item now in its place) for each item edited without moving it.

    None when items were added, removed or moved (a new path, date or draft flag), or
    time went past a scheduled item (or backwards): then which items are published,
    and in which order, has to be found again.
    """
    before = previous.lends.items
    release = previous.lends.next_release
    if len(before) != len(hub_items) or now < previous.now or release is not None and now >= release:
        return None
    pairs = []
    for old, new in zip(before, hub_items, strict=True):
        if old is not new:
            if place(old) != place(new):
                return None
            pairs.append((old, new))
    return pairs


def plan_site(result: LoadResult, *, settings: HubSettings, site_name: str, site_url: str,
              language: str, now: datetime, content_dir: Path | None = None,
              previous: SitePlan | None = None) -> SitePlan:  # fmt: skip
    """Decide which records are published and which pages are generated.

    `previous`, an earlier plan of the same hub (`hub serve` after a save), lends what
    still holds: the order of the published items and the indexes over them when an
    edit left every item in its place, related-item rankings, the media each record
    uses. The plan is the same without it, only slower to make.
    """
    hub = result.hub
    hub_items = tuple(hub.items())
    relations, next_release = _relate(hub, hub_items, now, previous)
    plan = SitePlan(hub, settings, site_name, site_url, language, now, relations, warnings=result.warnings,
                    content_dir=content_dir, media=result.media, lends=PlanLends(hub_items, next_release))  # fmt: skip
    everything: list[Entry] = [*hub_items, *hub.people.values(), *hub.digests, *hub.pages]
    if hub.home is not None:
        everything.append(hub.home)
    shown = {id(item) for item in relations.items}  # the published items
    for entry in everything:
        if id(entry) in shown if isinstance(entry, Item) else _is_published(entry, now):
            plan.entries[entry.path] = entry
    known = previous.lends.media if previous is not None else {}
    plan.hidden_media = _hidden_media(everything, plan.entries, known, plan.lends.media)
    editions = make_editions(hub, relations, settings.language_list(language), settings.fallback)
    for edition in editions.values():
        _plan_edition(plan, edition)
    if hub.home is None:
        plan.generated["index.md"] = GeneratedPage("index.md", site_name, "home.html", None)
    plan.generated["digests/index.md"] = GeneratedPage("digests/index.md", "Digest", "digests.html", None)
    plan.languages = language_map(editions, plan.entries, plan.generated, plan.url_of)
    return plan


def _plan_edition(plan: SitePlan, edition: Edition) -> None:
    """A language's generated pages: listings, hubs, directory, search, mentors (and its home)."""
    relations, lang, prefix = edition.relations, edition.lang, edition.prefix
    names = country_names(mentioned_countries(relations, plan.hub.countries), lang)
    words = translations(lang).gettext
    for page in generated_pages(plan.hub, relations, plan.settings, names, words, lang, prefix):
        plan.generated[page.src_uri] = page
    mentors = finder_page(relations.people, lang)
    mentors = replace(mentors, src_uri=prefix + mentors.src_uri, lang=lang if prefix else "",
                      title=words(mentors.title), description=words(mentors.description))  # fmt: skip
    plan.generated[mentors.src_uri] = mentors
    if prefix:
        # Titled "Accueil" (its tab in the navigation); the page's heading is still the site's name.
        plan.generated[f"{prefix}index.md"] = GeneratedPage(f"{prefix}index.md", words(N_("Home")), "home.html", None,
                                                            lang=lang)  # fmt: skip
