"""What `hub serve` decides between saves, without MkDocs: whether pages can be updated
in place, and what a file with an error shows meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.loader import LoadResult
from generator.content.records import Article, DigestIntro, Entry, Hub, Page, Profile, Story
from generator.site.plan import SitePlan


def layout(plan: SitePlan) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    """Which pages exist and at which URL, which media are published and which stay out of the site.

    While this is unchanged, a save only changes what pages show, and the preview
    updates them in place; otherwise it builds the whole site again.
    """
    urls = {src: plan.url_of(entry) for src, entry in plan.entries.items()}
    return urls, set(plan.generated), set(plan.media), set(plan.hidden_media)


def _entries(hub: Hub) -> Iterator[Entry]:
    yield from hub.items()
    yield from hub.people.values()
    yield from hub.digests
    yield from hub.pages
    if hub.home is not None:
        yield hub.home


def keep_last_good(result: LoadResult, previous: Hub, display_root: str) -> None:
    """Put back the last version that loaded of each file that now has an error.

    An editor halfway through a change should not see the page vanish, with the
    listings and links around it, until the file is fixed; the error is shown meanwhile.
    """
    broken = {issue.path.removeprefix(f"{display_root}/") for issue in result.errors}
    hub = result.hub
    present = {entry.path for entry in _entries(hub)}
    for entry in _entries(previous):
        if entry.path in broken and entry.path not in present:
            _put_back(hub, entry)


def _put_back(hub: Hub, entry: Entry) -> None:
    # In file-name order, as the loader reads them, so the result equals a load of that version.
    if isinstance(entry, Article):
        hub.articles = sorted([*hub.articles, entry], key=lambda record: record.path)
    elif isinstance(entry, Story):
        hub.stories = sorted([*hub.stories, entry], key=lambda record: record.path)
    elif isinstance(entry, Profile):
        hub.people = dict(sorted({**hub.people, entry.slug: entry}.items()))
    elif isinstance(entry, DigestIntro):
        hub.digests = sorted([*hub.digests, entry], key=lambda record: record.path)
    elif isinstance(entry, Page) and entry.path == "index.md":
        hub.home = entry
    elif isinstance(entry, Page):
        hub.pages = sorted([*hub.pages, entry], key=lambda record: record.path)
