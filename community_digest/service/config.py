"""Everything the service needs, settled once at start from mkdocs.yml and the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.content.errors import HubError
from generator.content.project import Project
from generator.site.localization import language_name

from ..dkim_signing import DkimSigner
from ..smtp_client import SmtpTarget
from ..store import database_path
from ..subscriber_fields import Vocabulary
from ..tokens import TokenSigner
from .limits import Limit
from .mails import Mailer
from .origin import allowed_origins
from .texts import LANGUAGES


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    database: Path
    base_url: str
    """extra.hub.subscriptions.url: every mailed link starts with it."""
    site_name: str
    site_url: str
    default_language: str
    topics: tuple[tuple[str, str], ...]
    """(id, title) of the hub's topics, in topics.yml order."""
    vocabulary: Vocabulary
    signer: TokenSigner
    mailer: Mailer
    confirm_hours: int
    origins: frozenset[str]
    subscribe_limit: Limit = Limit(10, 600.0)
    """Subscribe requests per client (address behind the proxy) and window."""
    request_limit: Limit = Limit(600, 60.0)
    """Requests of any kind per client and window."""
    max_body: int = 16_384
    languages: tuple[tuple[str, str], ...] = field(default=())

    def link(self, path: str, token: str) -> str:
        return f"{self.base_url}{path}?token={token}"


def service_config(project: Project, target: SmtpTarget, extra_origins: tuple[str, ...] = ()) -> ServiceConfig:
    """The configuration, or a HubError saying what is missing (checked before serving)."""
    url = project.settings.subscriptions.url
    if not url:
        raise HubError(
            f"{project.config_file.name}: extra.hub.subscriptions.url is not set; the service needs its public "
            "base URL, e.g. https://hub.example.org/subscriptions/ (or http://127.0.0.1:8100/ to try it)"
        )
    signer = TokenSigner.from_env("the subscription service (it signs every link it mails)")
    vocabulary = Vocabulary.of_project(project)
    settings = project.settings.subscriptions
    mailer = Mailer(
        target=target,
        from_address=project.settings.digest.from_address,
        site_name=project.site_name,
        confirm_hours=settings.confirm_hours,
        dkim=DkimSigner.from_settings(project.settings.digest.dkim),
    )
    default = project.language if project.language in LANGUAGES else "en"
    return ServiceConfig(
        database=database_path(project),
        base_url=url,
        site_name=project.site_name,
        site_url=project.site_url,
        default_language=default,
        topics=topic_titles(project.content_dir / "topics.yml"),
        vocabulary=vocabulary,
        signer=signer,
        mailer=mailer,
        confirm_hours=settings.confirm_hours,
        origins=allowed_origins((project.site_url, url, *extra_origins)),
        languages=tuple((code, language_name(code, code)) for code in LANGUAGES),
    )


def topic_titles(topics_file: Path) -> tuple[tuple[str, str], ...]:
    """(id, title) pairs; Vocabulary.load has already refused a broken file."""
    data = yaml.safe_load(topics_file.read_text(encoding="utf-8")) or {}
    return tuple((str(key), str((value or {}).get("title") or key)) for key, value in data.items())
