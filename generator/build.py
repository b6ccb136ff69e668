"""The engine-free half of a build: load, check, relate and plan every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import urls
from .errors import ContentErrors, ContentIssue
from .links import check_hub_links
from .listings import GeneratedPage, generated_pages, mentioned_countries
from .loader import LoadContext, LoadResult, SourceCache, load_hub
from .localization import country_names
from .project import build_time
from .records import DigestIntro, Entry, Hub, Item, Profile
from .relations import Relations, relate
from .render_cache import relative_targets
from .settings import HubSettings


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

    def url_of(self, entry: Entry) -> str:
        return urls.entry_url(entry, self.language)

    def absolute(self, path: str) -> str:
        return urls.absolute(self.site_url, path)

    def public_person(self, profile_id: str | None) -> Profile | None:
        person = self.hub.people.get(profile_id or "")
        return person if person is not None and self.hub.is_public_person(person.slug) else None


def load_content(content_dir: Path, settings: HubSettings, language: str,
                 display_root: str = "content", sources: SourceCache | None = None) -> LoadResult:  # fmt: skip
    """Load content/ and check its links; the result holds every record that loaded and every issue."""
    context = LoadContext(content_dir, settings.zone, language, display_root, sources)
    result = load_hub(context)
    listing = (p.relative_to(content_dir).as_posix() for p in content_dir.rglob("*") if p.is_file())
    result.issues.extend(check_hub_links(result.hub, listing, build_time(), display_root))
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


def _hidden_media(everything: list[Entry], published: dict[str, Entry]) -> set[str]:
    shown: set[str] = set()
    hidden: set[str] = set()
    for entry in everything:
        (shown if entry.path in published else hidden).update(_media_of(entry))
    return hidden - shown


def plan_site(result: LoadResult, *, settings: HubSettings, site_name: str, site_url: str,
              language: str, now: datetime, content_dir: Path | None = None) -> SitePlan:  # fmt: skip
    """Decide which records are published and which pages are generated."""
    hub = result.hub
    items = hub.published_items(now)
    relations = relate(hub, items)
    plan = SitePlan(hub, settings, site_name, site_url, language, now, relations, warnings=result.warnings,
                    content_dir=content_dir)  # fmt: skip
    everything: list[Entry] = [*hub.items(), *hub.people.values(), *hub.digests, *hub.pages]
    if hub.home is not None:
        everything.append(hub.home)
    for entry in everything:
        if _is_published(entry, now):
            plan.entries[entry.path] = entry
    plan.hidden_media = _hidden_media(everything, plan.entries)
    names = country_names(mentioned_countries(relations), language)
    for page in generated_pages(hub, relations, settings, names):
        plan.generated[page.src_uri] = page
    if hub.home is None:
        plan.generated["index.md"] = GeneratedPage("index.md", site_name, "home.html", None)
    plan.generated["digests/index.md"] = GeneratedPage("digests/index.md", "Digest", "digests.html", None)
    return plan
