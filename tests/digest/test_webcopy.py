"""The web copy (/digests/<issue>/) and the issues feed, from the frozen selection."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import feedparser
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

from community_digest.issuesfeed import write_issues_feed
from community_digest.webcopy import issue_sections, published_issues
from generator.site.messages import install

THEME = Path(__file__).resolve().parents[2] / "themes" / "hub"


def test_nothing_before_the_issue_is_built(q3_project):
    assert issue_sections(q3_project.content_dir, "2025-q3") is None
    assert published_issues(q3_project.content_dir) == []


def test_web_copy_lists_the_same_items_as_the_e_mail(q3_project, built_q3):
    copy = issue_sections(q3_project.content_dir, "2025-q3", q3_project.site_url)
    manifest = json.loads((built_q3.compiled.out_dir / "manifest.json").read_text())
    [full] = [v for v in manifest["variants"] if v["id"] == "en-all"]
    assert [item.url for item in copy.items()] == full["items"]
    assert [s.id for s in copy.sections] == [
        "featured",
        "articles",
        "stories",
        "people",
        "partners",
    ]
    assert copy.title == "Perspectives — Q3 2025" and copy.period_text == "Jul 1 – Sep 30, 2025"
    first = copy.sections[0].items[0]
    assert first.path == "articles/salaries-after-the-move/" and first.type == "article"
    assert first.meta == "Article · September 18, 2025 · by Ana Lima"
    partner = copy.sections[-1].items[0]
    assert partner.path is None and partner.url.startswith("https://welcome-club.example/")


def test_the_intro_title_wins_over_the_frozen_one(q3_project, built_q3):
    intro = q3_project.content_dir / "digests" / "2025-q3.md"
    intro.write_text(intro.read_text().replace("Perspectives — Q3 2025", "Perspectives, Q3"))
    assert issue_sections(q3_project.content_dir, "2025-q3").title == "Perspectives, Q3"


def test_drafts_and_future_issues_are_not_published(q3_project, built_q3):
    assert [c.issue for c in published_issues(q3_project.content_dir)] == ["2025-q3"]
    before = datetime.fromisoformat("2025-10-01T00:00:00+02:00")
    assert published_issues(q3_project.content_dir, now=before) == []
    intro = q3_project.content_dir / "digests" / "2025-q3.md"
    intro.write_text(intro.read_text().replace("period: 2025-Q3", "period: 2025-Q3\ndraft: true"))
    assert published_issues(q3_project.content_dir) == []


def test_issues_feed_is_atom_and_reproducible(q3_project, built_q3, tmp_path):
    args = (q3_project.content_dir, tmp_path / "site", q3_project.site_url, q3_project.site_name)
    path = write_issues_feed(*args)
    first = path.read_bytes()
    assert write_issues_feed(*args).read_bytes() == first
    parsed = feedparser.parse(first)
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.title == "Mobility Hub — digest"
    [entry] = parsed.entries
    assert entry.id == entry.link == "https://hub.example.org/digests/2025-q3/"
    assert entry.title == "Perspectives — Q3 2025"
    assert entry.published == "2025-10-02T09:00:00+02:00"
    assert "Salaries &lt; 50k" in entry.content[0].value


def test_digest_template_renders_the_web_copy(q3_project, built_q3):
    env = Environment(
        loader=ChoiceLoader(
            [
                DictLoader({"main.html": "{% block content %}{% endblock %}"}),
                FileSystemLoader(str(THEME)),
            ]
        ),
        autoescape=True,
    )
    env.filters["url"] = lambda value: f"../../{value}"
    install(env, "en")

    class Page:
        content = "<p>The intro.</p>"
        meta = {"title": "Perspectives — Q3 2025"}
        title = "Perspectives — Q3 2025"

    copy = issue_sections(q3_project.content_dir, "2025-q3", q3_project.site_url)
    html = env.get_template("digest.html").render(
        digest=copy, page=Page(), config={"site_name": "Mobility Hub"}
    )
    assert "<p>The intro.</p>" in html
    assert 'href="../../articles/salaries-after-the-move/"' in html
    assert "Salaries &lt; 50k &amp; rising" in html
    assert 'id="partners"' in html and "https://welcome-club.example/events/welcome-evening" in html
    assert html.count('class="hub-card ') == len(copy.items())
    assert "Mobility Hub digest" in html and ">All issues</a>" in html
    french = env.get_template("digest.html").render(
        digest=copy, page=Page(), config={"site_name": "Mobility Hub"}, page_lang="fr"
    )
    assert "Lettre de Mobility Hub" in french and ">Tous les numéros</a>" in french


def test_web_copy_caps_sections_like_the_e_mail(tmp_path):
    from community_digest.pipeline import BuildRequest, build_issue
    from generator.content.project import load_project

    from .hubproject import make_project

    project = load_project(make_project(tmp_path, cap=1))
    build_issue(project, BuildRequest(issue="2025-q3"))
    copy = issue_sections(project.content_dir, "2025-q3", project.site_url)
    articles = next(s for s in copy.sections if s.id == "articles")
    assert len(articles.items) == 1
    assert articles.more_text == "1 more on the hub" and articles.more_path == "articles/"
