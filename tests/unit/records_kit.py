"""Records built in memory, for tests of relations and listings without files."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from generator.content.records import Article, Hub, Profile, Story, Topic

AMS = ZoneInfo("Europe/Amsterdam")
DAY0 = datetime(2025, 1, 1, tzinfo=AMS)


def article(slug: str, day: int, topics=("integration",), countries=(), **extra) -> Article:
    fields = dict(slug=slug, path=f"articles/{slug}.md", title=slug.title(), summary="", body="",
                  lang="en", date=DAY0 + timedelta(days=day), authors=("ana",), topics=tuple(topics),
                  countries=tuple(countries))  # fmt: skip
    return Article(**{**fields, **extra})


def story(slug: str, day: int, topics=("integration",), origin="DE", host="SG", **extra) -> Story:
    fields = dict(slug=slug, path=f"stories/{slug}.md", title=slug.title(), summary="", body="",
                  lang="en", date=DAY0 + timedelta(days=day), topics=tuple(topics),
                  countries=(origin, host), from_country=origin, to_country=host, partner_name="Ines")  # fmt: skip
    return Story(**{**fields, **extra})


def person(slug: str, **extra) -> Profile:
    fields = dict(slug=slug, path=f"people/{slug}.md", title=slug.title(), summary="", body="",
                  lang="en", roles=("author",))  # fmt: skip
    return Profile(**{**fields, **extra})


def hub_of(*records, topics=("integration", "partner-career", "mentoring")) -> Hub:
    hub = Hub(topics={t: Topic(t, t.replace("-", " ").capitalize()) for t in topics})
    for record in records:
        if isinstance(record, Article):
            hub.articles.append(record)
        elif isinstance(record, Story):
            hub.stories.append(record)
        else:
            hub.people[record.slug] = record
    return hub
