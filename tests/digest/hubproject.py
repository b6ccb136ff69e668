"""A tiny hub project on disk for digest tests: mkdocs.yml, topics, an issue intro, feeds.

Independent of the site generator: the hub's feed is a fixture written to the
contract (tests/cases/feeds/hub-all.atom.xml) or built with `atom_feed`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from textwrap import dedent
from xml.sax.saxutils import escape, quoteattr

CASES = Path(__file__).resolve().parents[1] / "cases" / "feeds"
SITE_URL = "https://hub.example.org/"

MKDOCS_YML = """\
site_name: Mobility Hub
site_url: {site_url}
docs_dir: content
site_dir: site
theme:
  name: material
  language: en
extra:
  hub:
    timezone: Europe/Amsterdam
    digest:
      from_address: "Mobility Hub <digest@hub.example.org>"
      list_id: digest.hub.example.org
      unsubscribe_mailto: unsubscribe@hub.example.org
      section_cap: {cap}
      campaign:
        utm_source: digest
        utm_medium: email
        utm_campaign: "{{issue}}"
      partner_feeds: {partners}
"""

TOPICS_YML = """\
partner-career:
  title: Partner career
  description: Job search and portable careers.
integration:
  title: Integration and networks
  description: Settling in, networks, volunteering.
mentoring:
  title: Mentoring
  description: Pairing, goals and a year of meetings.
wellbeing:
  title: Wellbeing
  description: Energy and identity through a move.
"""

INTRO_Q3 = """\
---
title: Perspectives — Q3 2025
period: 2025-Q3
date: 2025-10-02T09:00:00+02:00
authors: [ana-lima]
---
This quarter was about work: what partners earn after a move, and how a
[mentoring year](../../articles/mentoring-that-lasts-a-year/) keeps people going.

Tell us what you want to read next on the [hub](https://hub.example.org/pages/about/).
"""


@dataclass
class Entry:
    """One Atom entry, as the hub writes it (the contract in /tmp/hub/contracts.md)."""

    slug: str
    published: str
    title: str = ""
    kind: str = "article"
    topics: tuple[str, ...] = ("integration",)
    featured: bool = False
    lang: str = "en"
    summary: str = "A summary."
    image: str | None = None
    extra: list[str] = field(default_factory=list)

    def xml(self) -> str:
        section = {"article": "articles", "story": "stories", "person": "people"}[self.kind]
        prefix = "" if self.lang == "en" else f"{self.lang}/"
        url = f"{SITE_URL}{prefix}{section}/{self.slug}/"
        cats = [f'<category term="{self.kind}" scheme="urn:mobility-hub:type"/>']
        cats += [f'<category term="{t}" scheme="{SITE_URL}topics/"/>' for t in self.topics]
        if self.featured:
            cats.append('<category term="featured" scheme="urn:mobility-hub:flag"/>')
        if self.image:
            cats.append(
                f'<link rel="enclosure" href="{self.image}" type="image/jpeg" title="Alt text"/>'
            )
        return dedent(f"""\
          <entry xml:lang="{self.lang}">
            <id>{url}</id>
            <title type="text">{escape(self.title or self.slug)}</title>
            <link rel="alternate" type="text/html" href={quoteattr(url)}/>
            <published>{self.published}</published>
            <updated>{self.published}</updated>
            <summary type="text">{escape(self.summary)}</summary>
            {"".join(cats)}{"".join(self.extra)}
          </entry>
        """)


def atom_feed(entries: list[Entry]) -> str:
    updated = max((e.published for e in entries), default="2025-01-01T00:00:00+00:00")
    body = "".join(entry.xml() for entry in entries)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"<id>{SITE_URL}feeds/all.atom.xml</id><title>Mobility Hub</title>\n"
        f"<updated>{updated}</updated>\n"
        f'<link rel="self" href="{SITE_URL}feeds/all.atom.xml"/>\n'
        f'<link rel="alternate" href="{SITE_URL}"/>\n'
        f"<author><name>Mobility Hub</name></author>\n{body}</feed>\n"
    )


def make_project(
    root: Path,
    *,
    cap: int = 6,
    partners: list[str] | None = None,
    intro: str | None = INTRO_Q3,
    feed: str | None = None,
) -> Path:
    """Write the project; returns mkdocs.yml. `feed` is Atom text, default the fixture."""
    partners = partners if partners is not None else []
    (root / "content" / "digests").mkdir(parents=True)
    (root / "site" / "feeds").mkdir(parents=True)
    config = root / "mkdocs.yml"
    config.write_text(
        MKDOCS_YML.format(site_url=SITE_URL, cap=cap, partners=partners), encoding="utf-8"
    )
    (root / "content" / "topics.yml").write_text(TOPICS_YML, encoding="utf-8")
    if intro is not None:
        (root / "content" / "digests" / "2025-q3.md").write_text(intro, encoding="utf-8")
    target = root / "site" / "feeds" / "all.atom.xml"
    if feed is None:
        shutil.copy(CASES / "hub-all.atom.xml", target)
    else:
        target.write_text(feed, encoding="utf-8")
    return config


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
