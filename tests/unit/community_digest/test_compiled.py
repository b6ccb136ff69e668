"""community_digest.compiled: the manifest contract the sender builds on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from community_digest.compiled import CompiledIssue, Variant, load_compiled, variant_id
from generator.content.errors import HubError


def _variant(vid: str, language: str, topics: tuple[str, ...] = ()) -> Variant:
    base = Path("/out/2025-q3")
    return Variant(
        vid, language, topics, base / f"{vid}.html", base / f"{vid}.txt", base / f"{vid}.eml"
    )


ISSUE = CompiledIssue(
    issue="2025-q3",
    title="Perspectives",
    subject="Perspectives",
    period_label="2025-Q3",
    period_kind="quarter",
    web_url="https://hub.example.org/digests/2025-q3/",
    out_dir=Path("/out/2025-q3"),
    variants=(
        _variant("en-all", "en"),
        _variant("en-mentoring", "en", ("mentoring",)),
        _variant("fr-all", "fr"),
        _variant("fr-mentoring", "fr", ("mentoring",)),
    ),
    language="en",
    topics=("integration", "mentoring"),
    aliases={"en-integration": "en-all"},
)


def test_variant_ids_are_stable_and_sorted():
    assert variant_id("en", ()) == "en-all"
    assert variant_id("fr", ("mentoring", "integration")) == "fr-integration+mentoring"


@pytest.mark.parametrize(
    ("language", "topics", "expected"),
    [
        ("en", (), "en-all"),
        ("en", ("mentoring",), "en-mentoring"),
        ("en", ("mentoring", "repatriation"), "en-mentoring"),  # topics with nothing are ignored
        ("en", ("repatriation",), "en-all"),  # nothing matches: the full issue
        ("en", ("integration",), "en-all"),  # an alias: same e-mail as the full issue
        ("en", ("integration", "mentoring"), "en-all"),  # not rendered: full issue
        ("fr", ("mentoring",), "fr-mentoring"),
        ("de", ("mentoring",), "en-mentoring"),  # no German variant: the site language
        ("de", (), "en-all"),
        ("", (), "en-all"),
    ],
)
def test_variant_for_never_fails(language, topics, expected):
    assert ISSUE.variant_for(language, topics).id == expected


def test_load_compiled_absent_and_broken(tmp_path: Path):
    assert load_compiled(tmp_path, "2025-q3") is None
    (tmp_path / "2025-q3").mkdir()
    (tmp_path / "2025-q3" / "manifest.json").write_text(json.dumps({"issue": "2025-q3"}))
    with pytest.raises(HubError, match=r"rebuild it with `hub digest build 2025-q3` \(the frozen selection is kept\)"):
        load_compiled(tmp_path, "2025-q3")
