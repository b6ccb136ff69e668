"""Build small hubs in a temporary folder, for tests of every part."""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
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


@dataclass
class HubRun:
    """What `hub` did: its exit code and what it printed."""

    code: int
    out: str
    err: str


def run_hub(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> HubRun:
    """`hub ARGS...` in this process, as the console script runs it."""
    from generator.cli import main

    monkeypatch.setattr(sys, "argv", ["hub", *args])
    capsys.readouterr()
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return HubRun(code, captured.out, captured.err)
