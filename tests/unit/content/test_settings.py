"""extra.hub in mkdocs.yml is a typed schema: every wrong key names itself and its line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.content.errors import ConfigError
from generator.content.settings import HubSettings, load_settings, parse_settings
from tests.hubkit import ROOT

BAD_CONFIG = """\
site_name: Test Hub
docs_dir: content
extra:
  hub:
    timezone: Mars/Olympus
    pagesize: 10
    page_size: ten
    feeds:
      limit: 0
      fullarchive: true
    digest:
      section_cap: 99
    search_shard_pages: -5
"""

BAD_CONFIG_MESSAGES = [
    "mkdocs.yml:5: extra.hub.timezone: expected an IANA time zone like Europe/Berlin, got 'Mars/Olympus'",
    "mkdocs.yml:6: extra.hub.pagesize: unknown setting",
    "mkdocs.yml:7: extra.hub.page_size: expected a whole number, got 'ten'",
    "mkdocs.yml:9: extra.hub.feeds.limit: expected a number greater than or equal to 1, got 0",
    "mkdocs.yml:10: extra.hub.feeds.fullarchive: unknown setting",
    "mkdocs.yml:12: extra.hub.digest.section_cap: expected a number less than or equal to 30, got 99",
    "mkdocs.yml:13: extra.hub.search_shard_pages: expected a number greater than or equal to 0, got -5",
]


def by_line(message: str) -> int:
    return int(message.split(":")[1])


def test_defaults_need_no_settings():
    settings = parse_settings(None)
    assert settings == HubSettings()
    assert settings.timezone == "UTC"
    assert settings.feeds.limit == 50 and settings.feeds.full_archive is False
    assert settings.page_size == 12 and settings.related_items == 3


def test_every_bad_key_is_named_with_its_line(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(BAD_CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert sorted(str(caught.value).splitlines(), key=by_line) == BAD_CONFIG_MESSAGES


def test_parse_settings_without_lines_still_names_the_key():
    with pytest.raises(ConfigError) as caught:
        parse_settings({"subscribe_urls": "https://x.test/"})
    assert str(caught.value) == "mkdocs.yml: extra.hub.subscribe_urls: unknown setting"
    with pytest.raises(ConfigError) as caught:
        parse_settings(["not", "a", "mapping"])
    assert str(caught.value) == "mkdocs.yml: extra.hub: expected a mapping, got a list"


def test_hub_check_reports_a_bad_mkdocs_yml_and_exits_1(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(BAD_CONFIG, encoding="utf-8")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "hub"), "check"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines(), key=by_line) == BAD_CONFIG_MESSAGES
    assert "Traceback" not in result.stderr


def test_broken_mkdocs_yml_names_the_line(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nextra:\n  hub: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:3: invalid YAML: "):
        load_settings(config)
