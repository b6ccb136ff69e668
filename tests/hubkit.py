"""Build small hubs in a temporary folder, for tests of every part."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
THEME_DIR = ROOT / "themes" / "hub"

TOPICS = {
    "partner-career": {"title": "Partner career", "description": "Work permits and portable careers."},
    "integration": {"title": "Integration and networks", "description": "Settling in and meeting people."},
    "mentoring": {"title": "Mentoring", "description": "Programmes that pair people by goals."},
}


def mkdocs_config(hub: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "site_name": "Test Hub",
        "site_url": "https://hub.test/",
        "docs_dir": "content",
        "site_dir": "site",
        "theme": {"name": "material", "custom_dir": str(THEME_DIR), "language": "en", "font": False},
        "plugins": ["hub"],
        "markdown_extensions": ["attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}],
        "extra": {"hub": {"timezone": "Europe/Amsterdam", "search": False, **(hub or {})}},
    }
    config.update(overrides)
    return config


def write_hub(root: Path, files: dict[str, str], *, hub: dict[str, Any] | None = None,
              topics: dict[str, Any] | None = None, **overrides: Any) -> Path:  # fmt: skip
    """Write mkdocs.yml, content/topics.yml and `files` (paths under content/); return mkdocs.yml."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "topics.yml").write_text(yaml.safe_dump(TOPICS if topics is None else topics), encoding="utf-8")
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump(mkdocs_config(hub, **overrides), sort_keys=False), encoding="utf-8")
    return config


PERSON = """\
---
name: {name}
roles: [author]
---
A short bio.
"""

ARTICLE = """\
---
title: {title}
date: {date}
authors: [{author}]
topics: [integration]
---
First paragraph of {title}.
"""
