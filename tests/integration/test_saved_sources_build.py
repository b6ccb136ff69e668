"""`hub build` in a new process starts from the sources the last build saved, and reports the same problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.content.errors import HubError
from generator.content.saved_sources import SAVED_FILE
from generator.engine.run import build_site
from tests.hubkit import ARTICLE, PERSON, write_hub


def test_a_content_error_fails_every_build_with_the_same_message(tmp_path: Path):
    config = write_hub(tmp_path, {
        "people/ana.md": PERSON.format(name="Ana Lima"),
        "articles/first.md": ARTICLE.format(title="First steps", date="2025-01-02", author="ana"),
        "articles/second.md": ARTICLE.format(title="Second", date="2025-13-45", author="ana") + "\nTODO: more\n",
    })  # fmt: skip
    saved = tmp_path / ".cache" / "hub" / SAVED_FILE
    messages, stamps = [], []
    for _ in range(3):
        with pytest.raises(HubError) as caught:
            build_site(config, strict=True)
        messages.append(str(caught.value))
        stamps.append((os.stat(saved).st_ino, os.stat(saved).st_mtime_ns))
    assert messages[0] == messages[1] == messages[2]
    assert "content/articles/second.md:3: date: expected an ISO date like 2025-11-12, got '2025-13-45'" in messages[0]
    assert "content/articles/second.md:9: body: expected your text" in messages[0]
    assert stamps[1] == stamps[2]  # the second build reused every file: nothing new to save

    (tmp_path / "content/articles/second.md").write_text(
        ARTICLE.format(title="Second", date="2025-01-03", author="ana"), encoding="utf-8"
    )
    build_site(config, strict=True)
    assert (tmp_path / "site/articles/second/index.html").is_file()
