"""The hub's own settings: the `extra.hub` block of mkdocs.yml, as a typed schema.

Every key has a default and a docstring; an unknown or mistyped key is an error
that names itself, with the line of mkdocs.yml it stands on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import fields as f
from .errors import ConfigError, describe
from .fields import FieldProblem, language
from .records import AUDIENCES
from .yaml_source import YamlDocument, YamlSyntaxError, parse_yaml


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class FeedSettings(_Schema):
    limit: Annotated[int, Field(ge=1)] = 50
    """Newest entries per feed."""
    full_archive: bool = False
    """Put every entry in feeds/all.atom.xml (the digest reads whole periods from it)."""


class DkimSettings(_Schema):
    """DKIM signing of every digest and service mail; the private key's path is in HUB_DKIM_KEY_FILE."""

    selector: str
    """The selector: the public key is published at <selector>._domainkey.<domain>."""
    domain: str
    """The signing domain (d=), normally the From address's domain."""


class SubscriptionSettings(_Schema):
    url: str | None = None
    """Public base URL of `hub subscribers serve`, ending in / (https, or http on loopback)."""
    confirm_hours: Annotated[int, Field(ge=1, le=24 * 14)] = 48
    """How long a confirmation link stays valid."""
    soft_bounce_limit: Annotated[int, Field(ge=1, le=100)] = 3
    """Soft bounces in a row after which `hub subscribers bounces` stops mailing an address."""

    @field_validator("url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not value.endswith("/") or parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"expected a URL ending in / like https://hub.example.org/subscriptions/, got {value!r}")
        if parts.scheme == "http" and not loopback:
            raise ValueError(f"expected an https:// URL (http only on 127.0.0.1 or localhost), got {value!r}")
        if parts.query or parts.fragment or any(ch.isspace() for ch in value):
            raise ValueError(f"expected a plain base URL without query, fragment or spaces, got {value!r}")
        return value


class DigestSettings(_Schema):
    from_address: str = "Mobility Hub <digest@localhost>"
    """From header of digest e-mails."""
    reply_to: str | None = None
    """Reply-To header, when replies should go elsewhere."""
    list_id: str = "digest.localhost"
    """List-Id of the digest (a domain-like identifier)."""
    unsubscribe_mailto: str | None = None
    """Address for mailto: List-Unsubscribe requests."""
    unsubscribe_url: str | None = None
    """https URL that takes ?token=...; enables one-click unsubscribe links."""
    database: str = ".hub/subscribers.sqlite3"
    """SQLite file of subscribers and deliveries, relative to mkdocs.yml."""
    output_dir: str = "digest-out"
    """Where `hub digest build` writes e-mails and previews, relative to mkdocs.yml."""
    partner_feeds: list[str] = []
    """Partners' feeds (URLs or paths) mixed into the digest's 'From our partners'."""
    section_cap: Annotated[int, Field(ge=1, le=30)] = 6
    """Most items per section; the rest are reached through a 'more on the hub' link."""
    campaign: dict[str, str] = {}
    """Query parameters added to links in e-mails, e.g. {utm_source: digest}."""
    feed_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    """Seconds a whole partner feed fetch may take (connecting, redirects, reading)."""
    feed_max_bytes: Annotated[int, Field(ge=1024)] = 5_000_000
    """Largest partner feed read, in bytes."""
    allow_private_feeds: bool = False
    """Fetch partner feeds from loopback and private addresses too; for local tests only."""
    smtp_timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    """Seconds `hub digest send` waits for the SMTP server at each step of a message."""
    smtp_max_timeouts: Annotated[int, Field(ge=1, le=100)] = 3
    """A send stops after this many SMTP timeouts in a row: the server is not answering."""
    dkim: DkimSettings | None = None
    """DKIM signing (selector and domain); none: mails go out unsigned."""


class CurationFeed(_Schema):
    """A trusted partner's feed that `hub curate` turns into draft articles."""

    url: Annotated[str, Field(min_length=1)]
    """The RSS or Atom feed: an http(s) URL, or a file path relative to mkdocs.yml."""
    name: Annotated[str, Field(min_length=1, max_length=200)]
    """The publisher, written as `source.name` of every draft from this feed."""
    topics: list[str] = []
    """Topic ids of a draft none of whose categories is mapped (none: a TODO: to fill in)."""
    audience: list[str] = []
    """`audience` written into every draft: any of partners, employees, hr, mentors."""
    countries: list[str] = []
    """ISO 3166-1 codes written as `countries` of every draft, e.g. [DE, SG]."""
    categories: dict[str, str] = {}
    """The feed's category terms -> topic ids, e.g. {Careers: partner-career}."""

    @field_validator("topics")
    @classmethod
    def _topic_ids(cls, values: list[str]) -> list[str]:
        return [_checked(f.slug, value, what="a topic id") for value in values]

    @field_validator("categories")
    @classmethod
    def _category_topics(cls, values: dict[str, str]) -> dict[str, str]:
        return {term: _checked(f.slug, value, what="a topic id") for term, value in values.items()}

    @field_validator("audience")
    @classmethod
    def _audiences(cls, values: list[str]) -> list[str]:
        return [_checked(f.choice(AUDIENCES), value) for value in values]

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return [_checked(f.country, value) for value in values]


def _checked(parse: Any, value: Any, **options: Any) -> Any:
    try:
        return parse(value, **options)
    except f.FieldProblem as problem:
        raise ValueError(problem.message) from None


class CurationSettings(_Schema):
    feeds: list[CurationFeed] = []
    """Partner feeds read by `hub curate`; each name once."""
    feed_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    """Seconds a whole feed fetch may take (connecting, redirects, reading)."""
    feed_max_bytes: Annotated[int, Field(ge=1024)] = 5_000_000
    """Largest feed read, in bytes."""

    @field_validator("feeds")
    @classmethod
    def _names_once(cls, feeds: list[CurationFeed]) -> list[CurationFeed]:
        names = [feed.name for feed in feeds]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"expected each feed name once, got {', '.join(map(repr, twice))} twice")
        return feeds


class NewSettings(_Schema):
    """What `hub new` writes into a new file before the editor fills it in."""

    authors: list[str] = []
    """Profile ids written as `authors` of a new article and digest (none: the editor adds them)."""
    topics: list[str] = []
    """Topic ids written into a new article or story when `--topics` is not given."""
    audience: list[str] = []
    """`audience` of a new article: any of partners, employees, hr, mentors."""
    interviewer: str | None = None
    """Profile id written as `interviewer` of a new story."""
    digest_title: str = "Perspectives — {period}"
    """Title of a new digest issue; {period} becomes the period's name, e.g. Q4 2026."""


class HubSettings(_Schema):
    timezone: str = "UTC"
    """IANA time zone; a date-only value in content is midnight here."""
    subscribe_url: str | None = None
    """Target of the home page's subscribe block (a path on the site or a URL)."""
    page_size: Annotated[int, Field(ge=1, le=200)] = 12
    """Cards per page in section listings."""
    home_featured: Annotated[int, Field(ge=0, le=24)] = 6
    """Featured items shown first on the home page (the newest featured ones)."""
    home_items: Annotated[int, Field(ge=1, le=50)] = 6
    """Newest articles and newest stories shown on the home page."""
    home_mentors: Annotated[int, Field(ge=0, le=24)] = 4
    """People open to mentoring shown on the home page."""
    related_items: Annotated[int, Field(ge=0, le=12)] = 3
    """Related items under each article and story."""
    words_per_minute: Annotated[int, Field(ge=50, le=1000)] = 220
    """Reading speed for the reading-time estimate."""
    feeds: FeedSettings = FeedSettings()
    """Atom and JSON feeds."""
    digest: DigestSettings = DigestSettings()
    """The e-mail digest."""
    subscriptions: SubscriptionSettings = SubscriptionSettings()
    """The subscription service (`hub subscribers serve`)."""
    search: bool = True
    """Build the Pagefind search index after the site."""
    search_shard_pages: Annotated[int, Field(ge=0)] = 0
    """Cut the search index into shards of this many pages (0: one index). A rebuild then
    indexes again only the shards whose pages changed, but a first search fetches an
    index chunk from every shard: about 30 KB more per shard."""
    new: NewSettings = NewSettings()
    """Defaults for the files `hub new` creates."""
    curation: CurationSettings = CurationSettings()
    """Partner feeds that `hub curate` turns into draft articles."""
    cache_dir: str = ".cache/hub"
    """Build cache (rendered Markdown and pages), relative to mkdocs.yml; safe to delete."""
    workers: Annotated[int, Field(ge=0, le=64)] = 0
    """Processes that render Markdown and pages; 0 means one per CPU core."""
    languages: list[str] = []
    """The hub's languages (ISO 639-1); the first is the site language and must equal
    theme.language. Each other one is a site of its own under /<lang>/. Default: theme.language only."""
    fallback: bool = True
    """List items that have no translation into a language on its pages too, marked with their language."""

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        codes = []
        for code in value:
            try:
                codes.append(language(code))
            except FieldProblem as problem:
                raise ValueError(problem.message) from None
        if len(set(codes)) != len(codes):
            raise ValueError(f"expected each language once, got {', '.join(codes)}")
        return codes

    def language_list(self, site_language: str) -> tuple[str, ...]:
        """The configured languages, the site language first."""
        return tuple(self.languages) or (site_language.split("-")[0].lower(),)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"expected an IANA time zone like Europe/Berlin, got {value!r}") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    found = describe(error.get("input"))
    if kind == "extra_forbidden":
        return "unknown setting"
    if kind == "missing":
        return "required setting is missing"
    if kind.startswith("int"):
        return f"expected a whole number, got {found}"
    if kind.startswith("float"):
        return f"expected a number, got {found}"
    if kind.startswith("bool"):
        return f"expected true or false, got {found}"
    if kind.startswith("string"):
        return f"expected text, got {found}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"expected a number {error['msg'].removeprefix('Input should be ')}, got {found}"
    if kind.startswith(("dict", "model")):
        return f"expected a mapping, got {found}"
    if kind.startswith("list"):
        return f"expected a list, got {found}"
    return str(error["msg"]).removeprefix("Value error, ")


def parse_settings(raw: Any, *, source: str = "mkdocs.yml", lines: YamlDocument | None = None) -> HubSettings:
    """Validate the `extra.hub` mapping; every problem is listed in one ConfigError."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: extra.hub: expected a mapping, got {describe(raw)}")
    try:
        return HubSettings.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = [str(part) for part in error["loc"]]
            line = lines.line_of("extra", "hub", *error["loc"]) if lines else None
            where = f"{source}:{line}" if line else source
            problems.append(f"{where}: extra.hub.{'.'.join(path)}: {_message(error)}")
        raise ConfigError("\n".join(problems)) from None


def site_settings(raw: Any, theme_language: str, source: str = "mkdocs.yml") -> HubSettings:
    """`extra.hub`, validated and checked against the theme's language."""
    settings = parse_settings(raw, source=source)
    check_site_language(settings, theme_language, source)
    return settings


def check_site_language(settings: HubSettings, theme_language: str, source: str = "mkdocs.yml") -> None:
    """The first of extra.hub.languages is the site's language: theme.language must say the same."""
    if settings.languages and settings.languages[0] != theme_language.split("-")[0].lower():
        raise ConfigError(f"{source}: extra.hub.languages: expected theme.language ({theme_language!r}) first, "
                          f"got {settings.languages[0]!r}")  # fmt: skip


def load_settings(config_file: Path) -> tuple[HubSettings, dict[str, Any]]:
    """Read mkdocs.yml without MkDocs: the hub settings and the raw top-level mapping."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{config_file}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_file}: expected UTF-8 text") from None
    try:
        document = parse_yaml(text, tolerant=True)
    except YamlSyntaxError as exc:
        raise ConfigError(f"{config_file}:{exc.line}: {exc.message}") from None
    config = document.data if isinstance(document.data, dict) else {}
    extra = config.get("extra") or {}
    hub = extra.get("hub") if isinstance(extra, dict) else None
    return parse_settings(hub, source=str(config_file.name), lines=document), config
