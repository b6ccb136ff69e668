"""`hub` in templates: lookups and formatting over a SitePlan, computed once per build."""

from __future__ import annotations

import json
from email.utils import parseaddr
from functools import cached_property
from typing import Any

from markupsafe import Markup

from community_digest.webcopy import WebCopy, issue_sections, published_issues
from community_digest.wording import WORDS as DIGEST_WORDS
from generator.content.records import Article, Entry, Item, Profile, Story, Topic
from generator.content.summaries import reading_minutes

from . import urls
from .listings import Home, home
from .localization import AUDIENCE_LABELS, ROLE_LABELS, country_name, language_name, long_date
from .messages import N_, translations
from .plan import SitePlan
from .relations import related_items

DIGEST_LANGUAGES = tuple(DIGEST_WORDS)
FEEDS = (("all", N_("Everything new")), ("articles", N_("Articles")), ("stories", N_("Partner stories")),
         ("digests", N_("Digest issues")))  # fmt: skip


class SiteView:
    """Lookups for the pages of one language (default: the site language's)."""

    def __init__(self, plan: SitePlan, language: str | None = None):
        self.plan = plan
        self.settings = plan.settings
        self.language = language or plan.language
        self.edition = plan.edition(self.language)
        self.prefix = self.edition.prefix
        self.words = translations(self.language)

    # lookups -----------------------------------------------------------------
    def url(self, entry: Entry) -> str:
        return self.plan.url_of(entry)

    def absolute(self, path: str) -> str:
        return self.plan.absolute(path)

    def person(self, profile_id: str | None) -> Profile | None:
        """The public profile for an id, or None (then templates show a plain name)."""
        return self.plan.public_person(profile_id)

    def person_name(self, profile_id: str) -> str:
        person = self.plan.hub.people.get(profile_id)
        return person.title if person else profile_id

    def page_url(self, slug: str) -> str | None:
        """URL of the published plain page pages/<slug>.md, or None (so no link leads nowhere)."""
        entry = self.plan.entries.get(f"pages/{slug}.md")
        return self.url(entry) if entry is not None else None

    def entry_at(self, src_uri: str) -> Entry | None:
        return self.plan.entries.get(src_uri)

    def last_modified(self, entry: Entry) -> str | None:
        """Date of the last change, for the sitemap; the build date would change every day."""
        moment = entry.updated or getattr(entry, "date", None) or getattr(entry, "joined", None)
        return moment.date().isoformat() if moment else None

    def topic(self, topic_id: str) -> Topic | None:
        """The topic as this page's language shows it (its title and description there)."""
        topic = self.plan.hub.topics.get(topic_id)
        return topic.in_language(self.language) if topic is not None else None

    def digest(self, intro: Entry) -> WebCopy | None:
        """The web copy of a digest issue (its frozen selection), or None before it is compiled."""
        if self.plan.content_dir is None:
            return None
        return issue_sections(self.plan.content_dir, intro.slug, self.plan.site_url)

    @cached_property
    def digest_issues(self) -> list[WebCopy]:
        if self.plan.content_dir is None:
            return []
        return published_issues(self.plan.content_dir, self.plan.site_url, now=self.plan.now)

    @cached_property
    def home(self) -> Home:
        return home(self.plan.hub, self.edition.relations, self.settings)

    @cached_property
    def topics(self) -> list[Topic]:
        return [topic.in_language(self.language) for topic in self.plan.hub.topics.values()]

    @cached_property
    def digest_languages(self) -> list[tuple[str, str]]:
        """(code, name in that language) of the digest's languages, for the subscribe form."""
        return [(code, language_name(code, code)) for code in DIGEST_LANGUAGES]

    @property
    def subscribe_address(self) -> str:
        """Where to write to subscribe when there is no subscription service."""
        digest = self.settings.digest
        return parseaddr(digest.reply_to or digest.from_address)[1]

    def related(self, item: Item) -> list[Item]:
        return related_items(item, self.edition.relations, self.settings.related_items)

    def contributions(self, person: Profile) -> list[Item]:
        return self.edition.relations.by_person.get(person.slug, [])

    # languages ---------------------------------------------------------------
    def local(self, path: str) -> str:
        """A site path in this page's language: "articles/" → "fr/articles/"."""
        return self.prefix + path

    def lang_attr(self, entry: Entry) -> Markup:
        """` lang="en"` on what is shown in another language than the page's, else nothing."""
        return Markup(' lang="{}"').format(entry.lang) if entry.lang != self.language else Markup("")

    def lang_badge(self, entry: Entry) -> Markup:
        """A visible mark, in the page's language, on an item listed in another language."""
        if entry.lang == self.language:
            return Markup("")
        name = language_name(entry.lang, self.language)
        return Markup('<span class="hub-lang-badge" lang="{}">{}</span>').format(entry.lang, name)

    def alternates(self, src: str | None) -> list[tuple[str, str]]:
        """(language, URL) of each version of the page at `src`: hreflang links and sitemap alternates."""
        if src is None or self.plan.languages is None or len(self.plan.languages.languages) < 2:
            return []
        return list(self.plan.languages.counterparts(src, self.plan.entries.get(src)).items())

    def switcher(self, src: str | None) -> list[tuple[str, str, str, bool]]:
        """(language, its name in itself, URL, is a version of this page) for the language switcher."""
        languages = self.plan.languages
        if src is None or languages is None or len(languages.languages) < 2:
            return []
        found = languages.switcher(src, self.plan.entries.get(src))
        return [(lang, language_name(lang, lang), url, exists) for lang, url, exists in found]

    @property
    def site_language(self) -> str:
        return self.plan.language

    def is_article(self, entry: Any) -> bool:
        return isinstance(entry, Article)

    def is_story(self, entry: Any) -> bool:
        return isinstance(entry, Story)

    # formatting --------------------------------------------------------------
    def country(self, code: str) -> str:
        return country_name(code, self.language)

    def language_label(self, code: str) -> str:
        return language_name(code, self.language)

    def role(self, role: str) -> str:
        return self.words.gettext(ROLE_LABELS.get(role, role))

    def audience(self, audience: str) -> str:
        return self.words.gettext(AUDIENCE_LABELS.get(audience, audience))

    def date(self, moment: Any) -> str:
        return long_date(moment, self.language)

    def reading_time(self, entry: Entry) -> int:
        return reading_minutes(entry.body, self.settings.words_per_minute)

    def topic_url(self, topic_id: str) -> str:
        return self.prefix + urls.topic_url(topic_id)

    def country_url(self, code: str) -> str:
        return self.prefix + urls.country_url(code)

    def archive_url(self, year: int | str | None = None) -> str:
        return urls.archive_url(year)

    def topic_feed_url(self, topic_id: str) -> str:
        return self.prefix + urls.topic_feed_url(topic_id)

    @property
    def feeds(self) -> list[tuple[str, str]]:
        feeds = FEEDS if not self.prefix else FEEDS[:3]  # digest issues are in the site language only
        return [(self.prefix + urls.feed_url(name), self.words.gettext(title)) for name, title in feeds]

    @property
    def json_feed_url(self) -> str:
        return self.prefix + "feed.json"

    def image_url(self, entry: Entry) -> str | None:
        image = getattr(entry, "image", None) or getattr(entry, "photo", None)
        if not image:
            return None
        return image if "://" in image else self.absolute(image)

    # machine-readable ------------------------------------------------------------
    def json_ld(self, entry: Entry | None, page_url: str) -> Markup:
        """schema.org data; `<`, `>` and `&` escaped so no text can close the script element."""
        if entry is None:
            return Markup("")
        data = self._schema(entry, self.absolute(page_url))
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return Markup(f'<script type="application/ld+json">{text}</script>')

    def _schema(self, entry: Entry, url: str) -> dict[str, Any]:
        if isinstance(entry, Profile):
            person = {"@type": "Person", "name": entry.title, "url": url}
            if entry.headline:
                person["description"] = entry.headline
            if entry.photo:
                person["image"] = self.image_url(entry)
            if entry.organization:
                person["worksFor"] = {"@type": "Organization", "name": entry.organization}
            return {"@context": "https://schema.org", "@type": "ProfilePage", "url": url, "mainEntity": person}
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": entry.title,
            "description": entry.summary,
            "url": url,
            "inLanguage": entry.lang,
            "mainEntityOfPage": url,
        }
        if isinstance(entry, Item):
            data["datePublished"] = entry.date.isoformat()
            data["dateModified"] = (entry.updated or entry.date).isoformat()
            data["author"] = [self._author(pid) for pid in self._people_of(entry)]
        if entry.image:
            data["image"] = self.image_url(entry)
        return data

    def _people_of(self, item: Item) -> tuple[str, ...]:
        if isinstance(item, Article):
            return item.authors
        if isinstance(item, Story) and item.interviewer:
            return (item.interviewer,)
        return ()

    def _author(self, profile_id: str) -> dict[str, str]:
        person = self.person(profile_id)
        author = {"@type": "Person", "name": self.person_name(profile_id)}
        if person is not None:
            author["url"] = self.absolute(self.url(person))
        return author
