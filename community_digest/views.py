"""What the e-mail templates see: one IssueView per variant, built from the selection.

Links are made absolute and given the campaign parameters here, once, so the
HTML and the plain-text parts can't disagree about where a link goes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from markupsafe import Markup, escape

from .placeholders import inert_text
from .selection import Selection, capped
from .sources import FeedItem, inert_item
from .wording import date_text, default_title, period_text, words


@dataclass(frozen=True, slots=True)
class Links:
    """How links leave the e-mail: absolute, and tagged when they point at the hub."""

    site_url: str
    campaign: Mapping[str, str]
    issue: str

    def absolute(self, url: str, base: str | None = None) -> str:
        return urljoin(base or self.site_url, url)

    def tracked(self, url: str) -> str:
        url = self.absolute(url)
        if not self.campaign or not url.startswith(self.site_url):
            return url
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        for key, value in self.campaign.items():
            query.setdefault(key, value.replace("{issue}", self.issue))
        return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True, slots=True)
class ItemView:
    title: str
    url: str
    summary: str
    meta: str
    type: str
    image: str | None
    image_alt: str


@dataclass(frozen=True, slots=True)
class SectionView:
    id: str
    title: str
    items: tuple[ItemView, ...]
    more_text: str | None
    more_url: str | None


@dataclass(frozen=True, slots=True)
class IssueView:
    language: str
    issue: str
    title: str
    site_name: str
    home_url: str
    period_text: str
    preheader: str
    intro_html: Markup
    intro_text: str
    web_url: str
    topics_note: str | None
    sections: tuple[SectionView, ...]
    words: Mapping[str, str]
    preferences: bool = False
    """Link to the subscriber's preference centre (with the subscription service)."""


@dataclass(frozen=True, slots=True)
class IssueText:
    """The issue's own text, shared by every variant."""

    site_name: str
    web_url: str
    intro_html: str
    intro_markdown: str
    summary: str | None = None
    """The intro's `summary`, used as the preheader (the inbox preview line)."""
    preferences: bool = False
    """extra.hub.subscriptions.url is set: every copy links to its preference centre."""
    title: str | None = None
    """The intro's title (the editors' own words); None: each variant words the default title
    in its language."""


_LINK_ATTR = re.compile(r'(\s(href|src)=")([^"]*)(")')


def absolute_html(fragment: str, links: Links, base: str) -> Markup:
    """An intro's HTML with every href and src absolute; links to the hub get tagged."""

    def fix(match: re.Match[str]) -> str:
        target = links.absolute(html.unescape(match.group(3)), base)
        if match.group(2) == "href":
            target = links.tracked(target)
        return f"{match.group(1)}{escape(target)}{match.group(4)}"

    return Markup(_LINK_ATTR.sub(fix, fragment))  # noqa: S704 (the editors' own Markdown)


def item_meta(item: FeedItem, labels: Mapping[str, str], language: str) -> str:
    kind = labels.get(item.type, labels["article"]).format(source=item.source or "")
    parts = [kind, date_text(item.published, language)]
    if item.authors and item.type != "person":
        parts.append(labels["by"].format(names=", ".join(item.authors)))
    if item.source and item.type != "partner":
        parts.append(labels["via"].format(source=item.source))
    return " · ".join(parts)


def item_view(item: FeedItem, links: Links, labels: Mapping[str, str], language: str) -> ItemView:
    item = inert_item(item)  # again: a frozen selection may predate the check, or be edited
    return ItemView(
        title=item.title,
        url=links.tracked(item.url),
        summary=item.summary,
        meta=item_meta(item, labels, language),
        type=item.type,
        # Only the hub's own images: a partner's would be an untrusted remote load.
        image=item.image
        if item.image and item.image.startswith(("https://", "http://")) and item.type != "partner"
        else None,
        image_alt=item.image_alt or item.title,
    )


def _preheader(selection: Selection, labels: Mapping[str, str], text: IssueText) -> str:
    """The editor's summary, else a count and the first titles; inboxes show ~140 characters."""
    items = selection.items()
    first = ", ".join(inert_text(item.title) for item in items[:2])
    line = text.summary or labels["preheader"].format(
        count=len(items), site=text.site_name, first=first
    )
    line = " ".join(line.split())
    return line if len(line) <= 140 else line[:139].rstrip() + "…"


def issue_view(
    selection: Selection,
    text: IssueText,
    links: Links,
    topics: Sequence[str] = (),
    topic_titles: Mapping[str, str] | None = None,
    language: str | None = None,
) -> IssueView:
    """The view of one variant (`selection` already personalized for it)."""
    language = language or selection.language
    labels = words(language)
    sections = tuple(
        SectionView(
            id=shown.id,
            title=labels[shown.id],
            items=tuple(item_view(item, links, labels, language) for item in shown.items),
            more_text=labels["more"].format(count=shown.more) if shown.more_url else None,
            more_url=links.tracked(shown.more_url) if shown.more_url else None,
        )
        for shown in capped(selection, links.site_url)
    )
    names = ", ".join((topic_titles or {}).get(topic, topic) for topic in topics)
    return IssueView(
        language=language,
        issue=selection.issue,
        title=text.title or default_title(text.site_name, selection.period, language),
        site_name=text.site_name,
        home_url=links.tracked(links.site_url),
        period_text=period_text(selection.period, language),
        preheader=_preheader(selection, labels, text),
        intro_html=absolute_html(text.intro_html, links, text.web_url),
        intro_text=text.intro_markdown,
        web_url=links.tracked(text.web_url),
        topics_note=labels["for_topics"].format(topics=names) if topics else None,
        sections=sections,
        words=labels,
        preferences=text.preferences,
    )
