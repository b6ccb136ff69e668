"""A hub project on disk: where mkdocs.yml, content/ and site/ are, and its settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .settings import HubSettings, check_site_language, load_settings


@dataclass(frozen=True, slots=True)
class Project:
    config_file: Path
    settings: HubSettings
    site_name: str
    site_url: str
    language: str
    content_dir: Path
    site_dir: Path

    @property
    def root(self) -> Path:
        return self.config_file.parent

    def resolve(self, relative: str) -> Path:
        """A path from the settings, relative to mkdocs.yml."""
        return (self.root / relative).resolve()


def _theme_language(config: dict[str, Any]) -> str:
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("language"), str):
        return theme["language"]
    return "en"


def load_project(config_file: Path | str = "mkdocs.yml") -> Project:
    """Read mkdocs.yml (without MkDocs) and validate the hub's settings."""
    path = Path(config_file).resolve()
    if not path.is_file():
        raise ConfigError(f"{config_file}: no such configuration file")
    settings, config = load_settings(path)
    check_site_language(settings, _theme_language(config), path.name)
    site_url = str(config.get("site_url") or "http://127.0.0.1:8000/")
    if not site_url.endswith("/"):
        site_url += "/"
    return Project(
        config_file=path,
        settings=settings,
        site_name=str(config.get("site_name") or "Mobility Hub"),
        site_url=site_url,
        language=_theme_language(config),
        content_dir=(path.parent / str(config.get("docs_dir") or "docs")).resolve(),
        site_dir=(path.parent / str(config.get("site_dir") or "site")).resolve(),
    )


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {epoch!r}") from None
    return datetime.now(tz=UTC)
