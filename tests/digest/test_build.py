"""`hub digest build` end to end on a tiny project: files, golden text, HTML checks, .eml."""

from __future__ import annotations

import email
import email.policy
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from community_digest.compiled import load_compiled
from community_digest.pipeline import BuildRequest, NothingNew, build_issue
from community_digest.rendering import MAX_HTML_BYTES
from generator.content.errors import HubError
from generator.content.project import load_project

from .conftest import PARTNERS
from .hubproject import INTRO_Q3, Entry, atom_feed, make_project

GOLDEN = Path(__file__).resolve().parent / "golden"


class Tags(HTMLParser):
    """Every <a>, <img>, <script> and <meta> of an HTML document, with attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def of(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def test_writes_html_text_eml_per_variant_and_a_manifest(built_q3):
    compiled = built_q3.compiled
    names = sorted(p.name for p in compiled.out_dir.iterdir())
    for variant in compiled.variants:
        assert {f"{variant.id}.html", f"{variant.id}.txt", f"{variant.id}.eml"} <= set(names)
    manifest = json.loads((compiled.out_dir / "manifest.json").read_text())
    assert manifest["issue"] == "2025-q3" and manifest["period"]["kind"] == "quarter"
    urls = [item["url"] for item in manifest["items"]]
    assert "https://hub.example.org/articles/salaries-after-the-move/" in urls
    assert "https://expat-partners.example/posts/coffee-mornings" in urls
    assert load_compiled(compiled.out_dir.parent, "2025-q3") == compiled


@pytest.mark.parametrize("variant", ["en-all", "en-mentoring"])
def test_plain_text_matches_golden(built_q3, update_golden, variant):
    text = (built_q3.compiled.out_dir / f"{variant}.txt").read_text(encoding="utf-8")
    golden = GOLDEN / f"2025-q3.{variant}.txt"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "regenerate with UPDATE_GOLDEN=1"


def test_html_email_parsed_back(built_q3):
    for variant in built_q3.compiled.variants:
        html = variant.html_path.read_text(encoding="utf-8")
        tags = Tags(html)
        assert len(html.encode("utf-8")) < MAX_HTML_BYTES
        assert (
            not tags.of("script") and "<script" not in html.lower() and "<form" not in html.lower()
        )
        for link in tags.of("a"):
            href = link["href"] or ""
            assert href.startswith("https://") or href == "%%unsubscribe_url%%", href
        for image in tags.of("img"):
            assert image.get("alt") and image.get("width"), image
        metas = {m.get("name"): m.get("content") for m in tags.of("meta")}
        assert metas.get("color-scheme") == "light dark"
        assert "prefers-color-scheme: dark" in html
        assert "%%name%%" in html and "%%unsubscribe_url%%" in html
        assert "https://hub.example.org/digests/2025-q3/?utm_source=digest" in html


def test_featured_image_has_its_alt_text(built_q3):
    tags = Tags((built_q3.compiled.out_dir / "en-all.html").read_text(encoding="utf-8"))
    [image] = tags.of("img")
    assert image["alt"] == "A partner at a laptop in a Singapore café"
    assert image["src"] == "https://hub.example.org/media/salaries.jpg"


def test_eml_is_multipart_alternative_with_both_parts(built_q3):
    raw = (built_q3.compiled.out_dir / "en-all.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["Subject"] == "Perspectives — Q3 2025"
    assert message["List-Id"] == "<digest.hub.example.org>"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP line ends
    assert text == (built_q3.compiled.out_dir / "en-all.txt").read_text(encoding="utf-8")
    assert message.get_body(("html",)).get_content().startswith("<!DOCTYPE html>")


def test_partner_html_is_plain_text_in_every_output(built_q3):
    for path in built_q3.compiled.out_dir.iterdir():
        data = path.read_text(encoding="utf-8") if path.suffix != ".eml" else ""
        assert "alert(" not in data and "steal()" not in data and "evil.example" not in data


def test_same_input_same_bytes(tmp_path):
    outputs = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        project = load_project(make_project(root, partners=PARTNERS))
        result = build_issue(project, BuildRequest(issue="2025-q3"))
        files = sorted(result.compiled.out_dir.iterdir())
        outputs.append({p.name: p.read_bytes() for p in files})
        outputs[-1]["selection"] = result.selection_file.read_bytes()
    assert outputs[0] == outputs[1]


def test_empty_period_writes_no_e_mail(q3_project):
    with pytest.raises(NothingNew) as caught:
        build_issue(q3_project, BuildRequest(period="2024-11"))
    assert str(caught.value) == (
        "digest 2024-11: nothing new was published in 2024-11 (Nov 1 – 30, 2024); "
        "no e-mail was written"
    )
    out = q3_project.resolve(q3_project.settings.digest.output_dir)
    assert not out.exists()
    assert not (q3_project.content_dir / "digests" / "2024-11.selection.yml").exists()


def test_window_edges_one_second_each_side(tmp_path):
    feed = atom_feed(
        [
            Entry("before", "2025-11-16T23:59:59+01:00"),
            Entry("first", "2025-11-17T00:00:00+01:00"),
            Entry("last", "2025-11-23T23:59:59+01:00"),
            Entry("after", "2025-11-24T00:00:00+01:00"),
            Entry("utc-late", "2025-11-23T22:59:59+00:00"),  # 23:59:59 in Amsterdam: inside
            Entry("utc-next", "2025-11-23T23:00:00+00:00"),  # midnight in Amsterdam: outside
        ]
    )
    project = load_project(make_project(tmp_path, intro=None, feed=feed))
    result = build_issue(project, BuildRequest(period="2025-W47"))
    assert result.compiled.issue == "2025-w47" and result.compiled.period_kind == "week"
    slugs = sorted(item.url.split("/")[-2] for item in result.selection.items())
    assert slugs == ["first", "last", "utc-late"]


def test_personalization_variants(built_q3):
    compiled = built_q3.compiled
    full = compiled.variant_for("en", ())
    assert full.id == "en-all"
    assert compiled.variant_for("en", ["repatriation"]).id == "en-all"
    mentoring = compiled.variant_for("en", ["mentoring"])
    assert mentoring.id == "en-mentoring"
    text = mentoring.text_path.read_text(encoding="utf-8")
    assert "Salaries < 50k" in text  # featured: always there
    assert "Mentoring that lasts a year" in text and "Jonas Weber" in text
    assert "A network before a job" not in text  # integration only
    assert "Picked for your topics: Mentoring." in text
    assert compiled.variant_for("fr", ["integration"]).id == "fr-integration"
    assert "Trouver sa place" in compiled.variant_for("fr", ()).text_path.read_text(
        encoding="utf-8"
    )
    assert "Trouver sa place" not in full.text_path.read_text(encoding="utf-8")


def test_subscriber_segments_render_combinations_once(q3_project):
    segments = (
        ("en", ("mentoring", "integration")),
        ("en", ("integration", "mentoring")),
        ("en", ("repatriation",)),
        ("de", ("mentoring",)),
    )
    result = build_issue(q3_project, BuildRequest(issue="2025-q3", segments=segments))
    compiled = result.compiled
    both = compiled.variant_for("en", ["integration", "mentoring"])
    assert both.id == "en-integration+mentoring"
    assert [v.id for v in compiled.variants].count("en-integration+mentoring") == 1
    assert compiled.variant_for("de", ["mentoring"]).id == "en-mentoring"


def test_frozen_selection_survives_rebuilds_until_force(q3_project, built_q3):
    path = built_q3.selection_file
    edited = path.read_text(encoding="utf-8").replace(
        "title: 'Salaries < 50k & rising: what partners earn after a move'",
        "title: What partners earn after a move",
    )
    path.write_text(edited, encoding="utf-8")
    again = build_issue(q3_project, BuildRequest(issue="2025-q3"))
    assert again.reused_selection and path.read_text(encoding="utf-8") == edited
    assert (
        "What partners earn after a move"
        in again.compiled.variant_for("en", ()).text_path.read_text()
    )
    forced = build_issue(q3_project, BuildRequest(issue="2025-q3", force=True))
    assert not forced.reused_selection and "Salaries &lt; 50k" not in path.read_text()
    assert "Salaries < 50k" in path.read_text(encoding="utf-8")


def test_since_last_starts_where_the_previous_issue_ended(q3_project, built_q3):
    result = build_issue(q3_project, BuildRequest(since_last=True, until="2025-10-31"))
    assert result.selection.period.start.isoformat() == "2025-10-01T00:00:00+02:00"
    assert [i.title for i in result.selection.items()] == ["The first article of the autumn"]


def test_first_issue_needs_an_explicit_period(tmp_path):
    project = load_project(make_project(tmp_path, intro=None))
    with pytest.raises(HubError) as caught:
        build_issue(project, BuildRequest(since_last=True))
    assert str(caught.value) == (
        "--since-last: there is no previous issue to start from; the first issue needs an explicit "
        "period: give --period 2025-Q3|2025-11|2025-W47, or --since DATE --until DATE"
    )


def test_missing_hub_feed_says_build_the_site_first(q3_project):
    (q3_project.site_dir / "feeds" / "all.atom.xml").unlink()
    with pytest.raises(HubError, match=r"no such feed; build the site first with `hub build`"):
        build_issue(q3_project, BuildRequest(issue="2025-q3"))


def test_unreachable_partner_feed_warns_or_fails_with_strict(tmp_path):
    project = load_project(make_project(tmp_path, partners=[str(tmp_path / "gone.xml"), *PARTNERS]))
    result = build_issue(project, BuildRequest(issue="2025-q3"))
    assert result.warnings == [
        f"partner feed {tmp_path / 'gone.xml'}: no such file: {tmp_path / 'gone.xml'}; "
        "its entries are left out of this issue"
    ]
    with pytest.raises(HubError, match=r"stopped by --strict \(1 warning\)"):
        build_issue(project, BuildRequest(issue="2025-q3", strict=True, force=True))


def test_full_sections_stay_under_the_size_limit(tmp_path):
    long = "A long summary that goes on about partners, careers and networks abroad. " * 4
    entries = [
        Entry(
            f"{kind}-{n}",
            f"2025-08-{n + 1:02d}T10:00:00+02:00",
            kind=kind,
            summary=long[:300],
            featured=n < 8 and kind == "article",
            title=f"A fairly long title for item {n} " * 2,
            image="https://hub.example.org/media/x.jpg" if n < 8 else None,
        )
        for kind in ("article", "story", "person")
        for n in range(14)
    ]
    project = load_project(make_project(tmp_path, feed=atom_feed(entries)))
    result = build_issue(project, BuildRequest(issue="2025-q3"))
    html = result.compiled.variant_for("en", ()).html_path.read_bytes()
    assert len(result.selection.items()) == 42
    assert len(html) < MAX_HTML_BYTES, len(html)
    assert b"6 more on the hub" in html or b"more on the hub" in html


def test_preheader_is_the_intro_summary_or_a_count(tmp_path):
    intro = INTRO_Q3.replace("period: 2025-Q3", "period: 2025-Q3\nsummary: Work, pay and mentors.")
    project = load_project(make_project(tmp_path, intro=intro))
    html = build_issue(project, BuildRequest(issue="2025-q3")).compiled.variants[0].html_path
    assert 'overflow:hidden;">Work, pay and mentors.</div>' in html.read_text(encoding="utf-8")


def test_preheader_without_summary_counts_the_items(built_q3):
    html = built_q3.compiled.variant_for("en", ()).html_path.read_text(encoding="utf-8")
    assert "9 new on Mobility Hub: Salaries &lt; 50k &amp; rising" in html


def test_without_an_intro_each_language_titles_the_issue_in_its_own_words(tmp_path):
    project = load_project(make_project(tmp_path, intro=None, partners=PARTNERS))
    compiled = build_issue(project, BuildRequest(period="2025-Q3", segments=(("de", ()), ("pt", ())))).compiled
    french = compiled.variant_for("fr", ())
    assert french.id == "fr-all" and french.subject == "La lettre de Mobility Hub — 1 juil. – 30 sept. 2025"
    assert compiled.variant_for("en", ()).subject == compiled.subject == "Mobility Hub digest — Jul 1 – Sep 30, 2025"
    assert "La lettre de Mobility Hub" in french.html_path.read_text(encoding="utf-8")
    assert french.text_path.read_text(encoding="utf-8").startswith("La lettre de Mobility Hub")
    eml = email.message_from_bytes(french.eml_path.read_bytes(), policy=email.policy.default)
    assert eml["Subject"] == french.subject
    # The languages without items of their own get the site language's e-mail, and its title.
    assert {variant.language for variant in compiled.variants} == {"en", "fr"}
    assert load_compiled(compiled.out_dir.parent, compiled.issue) == compiled


def test_the_intro_title_is_every_languages_subject(built_q3):
    compiled = built_q3.compiled
    assert {variant.subject for variant in compiled.variants} == {compiled.subject}
