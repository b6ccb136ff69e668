"""The built /mentors/ page and its JSON: public mentors only, no address, the rule as data."""

from __future__ import annotations

import json
from pathlib import Path

from generator.engine.run import build_site
from generator.mentoring.scoring import RULE
from generator.site.mentors import mentor_from_data


def test_only_public_mentors_reach_the_page_and_its_data(mentor_hub: Path) -> None:
    build_site(mentor_hub / "mkdocs.yml", strict=True)
    site = mentor_hub / "site"
    raw = (site / "mentors" / "mentors.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert [mentor["id"] for mentor in data["mentors"]] == ["ana", "bo"]
    assert data["rule"] == RULE.as_data()
    assert data["mentors"][0] == {
        "id": "ana", "name": "Ana Lima", "url": "people/ana/", "location": "JP", "lived_in": ["BR"],
        "languages": ["pt", "en"], "expertise": ["partner-career"], "mentees": ["partners"],
        "stages": ["before-move", "first-year", "returning"], "formats": ["virtual", "in-person"],
    }  # fmt: skip
    assert mentor_from_data(data["mentors"][1]).mentoring.formats == ("virtual",)  # `mentoring: true`
    assert data["names"]["countries"] == {"BR": "Brazil", "DE": "Germany", "JP": "Japan"}
    assert data["names"]["topics"] == {"partner-career": "partner career"}
    page = (site / "mentors" / "index.html").read_text(encoding="utf-8")
    for text in (raw, page):
        for hidden in ("Hidden Mentor", "Drafted Mentor", "Closed Door", "people/hidden", "people/closed"):
            assert hidden not in text
        assert "@example.org" not in text and "capacity" not in text
    assert 'href="../people/ana/"' in page and 'href="../people/bo/"' in page
    assert '<option value="JP">Japan</option>' in page


def test_the_page_is_linked_from_home_directory_and_each_mentor(mentor_hub: Path) -> None:
    build_site(mentor_hub / "mkdocs.yml", strict=True)
    site = mentor_hub / "site"
    assert 'href="mentors/"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../mentors/"' in (site / "people" / "index.html").read_text(encoding="utf-8")
    ana = (site / "people" / "ana" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../mentors/"' in ana and "is open to mentoring relocating partners." in ana
    assert 'href="../../mentors/"' not in (site / "people" / "closed" / "index.html").read_text(encoding="utf-8")
