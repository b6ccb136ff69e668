"""Small builders of FeedItems and Selections for the digest's unit tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from community_digest.selection import Selection, group, in_period
from community_digest.sources import FeedItem
from generator.content.periods import parse_period

ZONE = ZoneInfo("Europe/Amsterdam")
SITE = "https://hub.example.org/"


def item(
    slug: str,
    when: str = "2025-08-01T12:00:00+02:00",
    *,
    kind: str = "article",
    topics: tuple[str, ...] = (),
    featured: bool = False,
    lang: str | None = "en",
    **extra,
) -> FeedItem:
    section = {"article": "articles", "story": "stories", "person": "people"}.get(kind)
    url = f"{SITE}{section}/{slug}/" if section else f"https://partner.example/{slug}"
    fields = {
        "id": extra.get("url", url),
        "url": url,
        "title": slug.replace("-", " ").title(),
        "summary": f"About {slug}.",
        **extra,
    }
    return FeedItem(
        type=kind,
        published=datetime.fromisoformat(when),
        lang=lang,
        topics=topics,
        featured=featured,
        **fields,
    )


def selection(items: list[FeedItem], *, cap: int = 6, label: str = "2025-Q3") -> Selection:
    period = parse_period(label, ZONE)
    return Selection(
        issue=label.lower(),
        title=f"Issue {label}",
        period=period,
        period_kind="quarter",
        date=period.end,
        language="en",
        cap=cap,
        sections=group(in_period(items, period)),
    )
