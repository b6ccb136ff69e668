"""Drafts from partner feeds are reviewable (`hub check` asks only for the placeholders) and never published."""

from __future__ import annotations

import pytest
import yaml

from tests.curation.conftest import Hub
from tests.curation.test_hostile import ACTIVE
from tests.golden.conftest import EPOCH as GOLDEN_EPOCH
from tests.golden.conftest import EXPECTED, BuiltSite, build_at
from tests.golden.test_golden_sites import normalized_paths

TITLES = (
    "Finding a first client after the move",
    "Weekend routines that helped our kids settle",
    "Partner support budgets",
    "Returning home after five years abroad",
)


def _curators(hub: Hub) -> None:
    """Who curates, filled in from `hub new`'s defaults (extra.hub.new.authors)."""
    config = yaml.safe_load(hub.config.read_text(encoding="utf-8"))
    config["extra"]["hub"]["new"] = {"authors": ["dan-okoro"]}
    hub.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _review_but_keep_drafts(hub: Hub) -> None:
    """What an editor does before approval: every placeholder filled in, `draft: true` kept."""
    for name, text in hub.drafts().items():
        lines = ["- integration" if line == "- 'TODO: 1-8 topic ids from topics.yml'" else
                 "In our words: a piece worth a partner's time." if line.startswith("TODO:") else line
                 for line in text.splitlines()]  # fmt: skip
        (hub.articles / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_hub_check_asks_only_for_the_placeholders(curated_hub: Hub):
    _curators(curated_hub)
    assert curated_hub.curate().exit_code == 0

    checked = curated_hub.check("--strict")

    assert checked.exit_code == 1
    lines = [line for line in checked.output.splitlines() if "content/" in line]
    drafts = set(curated_hub.drafts())
    assert len(drafts) == 5
    assert {line.split("content/articles/")[1].split(":")[0] for line in lines} == drafts
    assert all("expected your text, found the placeholder" in line for line in lines), lines
    fields = sorted(line.split(": ")[1] for line in lines)
    assert fields == ["body"] * 5 + ["topics"]  # the one entry whose category maps to no topic


def test_the_golden_site_leaves_out_every_draft(curated_hub: Hub, monkeypatch: pytest.MonkeyPatch):
    # Curated "as of" the golden build's own moment, so each draft's date is already due:
    # only draft: true keeps it out.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GOLDEN_EPOCH)
    _curators(curated_hub)
    assert curated_hub.curate().exit_code == 0
    assert len(curated_hub.drafts()) == 5
    assert curated_hub.front("returning-home-after-five-years-abroad.md")["date"] == "2026-01-01"
    _review_but_keep_drafts(curated_hub)
    assert curated_hub.check("--strict").exit_code == 0

    build_at(curated_hub.config)

    built = BuiltSite(curated_hub.root, curated_hub.config, curated_hub.root / "site")
    assert normalized_paths(built) == (EXPECTED / "minimal" / "paths.txt").read_text(encoding="utf-8").split()
    for path in built.files():
        text = path.read_bytes().decode("utf-8", "replace")
        for title in TITLES:
            assert title not in text, f"{path.relative_to(built.site)} shows the draft {title!r}"
        assert "relocation-weekly.example" not in text and "curation" not in text


def test_a_hostile_entry_once_approved_is_text_on_its_page_and_in_the_feed(
    curated_hub: Hub, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GOLDEN_EPOCH)
    curated_hub.serve("/active", ACTIVE)
    curated_hub.set_feeds([{"url": "/active", "name": "Active <i>Content</i>", "topics": ["integration"]}])
    _curators(curated_hub)
    assert curated_hub.curate().exit_code == 0
    _review_but_keep_drafts(curated_hub)
    name = "script-alert-t-script-moving-settling.md"
    path = curated_hub.articles / name
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")

    build_at(curated_hub.config)

    built = BuiltSite(curated_hub.root, curated_hub.config, curated_hub.root / "site")
    html = built.html("articles/script-alert-t-script-moving-settling/")
    page = built.page("articles/script-alert-t-script-moving-settling/")
    assert page.find("h1").text == '<script>alert("t")</script> Moving & settling'
    quote = page.find("blockquote").text
    assert "<b onmouseover=alert(6)>escaped tag</b> [md link](javascript:alert(7)) {: onclick=alert(8) }" in quote
    for node in page.iter():  # the parsed page: what a browser would run
        assert not [name for name in node.attrs if name.startswith("on")], node
        assert not node.attrs.get("href", "").startswith(("javascript:", "data:")), node
        data = node.attrs.get("type") == "application/ld+json"  # data, not code: its text is JSON-escaped
        assert node.tag not in ("script", "style", "iframe") or data or "alert" not in node.raw_text(), node
        assert node.tag not in ("b", "i", "img") or "escaped tag" not in node.text, node
    assert "<script>alert" not in html and "<i>Content" not in html
    atom = (built.site / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Moving &amp; settling" in atom or (
        '&lt;script&gt;alert("t")&lt;/script&gt; Moving &amp; settling' in atom
    )
    assert "<script>" not in atom
