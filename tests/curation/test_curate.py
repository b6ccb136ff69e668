"""`hub curate` against real feeds on 127.0.0.1: formats, fields, duplicates, the ledger, reruns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.curation.conftest import Hub

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://coaches.example/">
    <title>Coaches' Notebook</title>
    <link>https://coaches.example/</link>
    <description>Short notes from career coaches.</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://coaches.example/notes/cv-gaps"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://coaches.example/notes/cv-gaps">
    <title>Explaining a career gap abroad</title>
    <link>https://coaches.example/notes/cv-gaps?mc_cid=42&amp;mc_eid=7&amp;page=2</link>
    <description>Name the move, name what you learned, and keep it to two lines on the CV.</description>
    <dc:date>2026-11-30T12:00:00+01:00</dc:date>
    <dc:creator>Alex Moreau</dc:creator>
    <dc:subject>Careers</dc:subject>
  </item>
</rdf:RDF>
"""

JSON_FEED = """{"version": "https://jsonfeed.org/version/1.1", "title": "J",
 "items": [{"id": "1", "url": "https://j.example/1", "title": "T", "content_text": "x",
            "date_published": "2026-12-01T10:00:00Z"}]}"""

RSS_NAMES = {
    "finding-a-first-client-after-the-move.md",
    "weekend-routines-that-helped-our-kids-settle.md",
    "language-exchanges-what-to-bring-to-the-first-evening.md",
}
ATOM_NAMES = {
    "partner-support-budgets-what-employers-partners-say.md",
    "returning-home-after-five-years-abroad.md",
}


def rss(items: list[tuple[str, str, str]], title: str = "Test Partner") -> str:
    """An RSS 2.0 feed of (guid, link, title) items, all published on 2026-12-01."""
    entries = "".join(
        f'<item><title>{name}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>About {name}.</description></item>"
        for guid, link, name in items
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
    return f"{head}<channel><title>{title}</title>{entries}</channel></rss>"


def test_rss_and_atom_entries_become_drafts_with_every_field(curated_hub: Hub):
    result = curated_hub.curate()

    assert result.exit_code == 0, result.output
    assert set(curated_hub.drafts()) == RSS_NAMES | ATOM_NAMES
    first = curated_hub.front("finding-a-first-client-after-the-move.md")
    assert first["title"] == "Finding a first client after the move"
    assert first["draft"] is True
    assert first["date"] == "2026-12-05"  # the curation day (site zone), read as the hub reads it
    assert first["topics"] == ["partner-career"]  # the category "Careers" mapped, case aside
    assert first["audience"] == ["partners"]
    assert first["source"] == {
        "name": "Relocation Weekly",
        "url": "https://relocation-weekly.example/2026/11/first-client",  # utm_* dropped
        "published": "2026-11-23T08:00:00+01:00",
        "author": "Noor Haddad",
    }
    assert first["summary"].startswith("Freelancers who follow a partner abroad often lose their network")
    assert "<" not in first["summary"] and "first local client within six months" in first["summary"]
    assert first["authors"] == ["TODO: profile ids from people/ of who curates this, e.g. ana-lima"]
    budgets = curated_hub.front("partner-support-budgets-what-employers-partners-say.md")
    assert budgets["title"] == "Partner support budgets: what employers & partners say"
    assert budgets["topics"] == ["integration"]  # no category mapped: the feed's own topics
    assert budgets["countries"] == ["PT"]
    assert budgets["source"]["url"] == "https://global-mobility-review.example/research/partner-support-budgets"
    assert budgets["source"]["author"] == "Ines Carvalho"
    body = curated_hub.body("partner-support-budgets-what-employers-partners-say.md")
    assert body.startswith("> A survey of 140 employers compares")
    assert "\nTODO: in the hub's own words" in body
    weekend = curated_hub.front("weekend-routines-that-helped-our-kids-settle.md")
    assert weekend["topics"] == ["TODO: 1-8 topic ids from topics.yml"]  # "Family" is mapped to nothing
    assert "Relocation Weekly: 3 new drafts, 0 duplicates skipped, 0 errors" in result.stderr
    assert "Global Mobility Review: 2 new drafts, 0 duplicates skipped, 0 errors" in result.stderr
    assert "content/articles/finding-a-first-client-after-the-move.md  'Finding a first client" in result.stdout


def test_an_rss_1_0_feed_is_read_too(curated_hub: Hub):
    curated_hub.serve("/rdf", RSS1, "application/rdf+xml")
    curated_hub.set_feeds([{"url": "/rdf", "name": "Coaches' Notebook", "categories": {"Careers": "partner-career"}}])

    result = curated_hub.curate()

    assert result.exit_code == 0, result.output
    front = curated_hub.front("explaining-a-career-gap-abroad.md")
    assert front["source"]["url"] == "https://coaches.example/notes/cv-gaps?page=2"  # mc_cid, mc_eid dropped
    assert front["source"]["author"] == "Alex Moreau"
    assert front["source"]["published"] == "2026-11-30T12:00:00+01:00"
    assert front["topics"] == ["partner-career"]


def test_a_json_feed_is_refused_with_one_line_naming_the_feed(curated_hub: Hub):
    # feedparser 6 reads RSS and Atom only: say so, rather than a parse error about XML.
    curated_hub.serve("/json", JSON_FEED, "application/feed+json")
    curated_hub.set_feeds([{"url": "/json", "name": "Json Partner"},
                           {"url": "/atom", "name": "Global Mobility Review"}])  # fmt: skip

    result = curated_hub.curate()

    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: feed 'Json Partner' ({curated_hub.server.url('/json')}): is JSON (a JSON Feed?), "
                      "which hub curate does not read: give the partner's RSS or Atom feed"]  # fmt: skip
    assert set(curated_hub.drafts()) == ATOM_NAMES


def test_a_second_run_writes_nothing(curated_hub: Hub):
    assert curated_hub.curate().exit_code == 0
    before = curated_hub.snapshot()

    again = curated_hub.curate()
    everything = curated_hub.curate("--since", "2000-01-01")

    assert again.exit_code == 0 and everything.exit_code == 0
    after = curated_hub.snapshot()
    assert {path for path in after if path != "content/.curation.yml"} == {
        path for path in before if path != "content/.curation.yml"
    }
    assert all(after[path] == before[path] for path in before if path != "content/.curation.yml")
    assert "Relocation Weekly: 0 new drafts, 3 duplicates skipped, 0 errors" in everything.stderr
    assert "Relocation Weekly: 0 new drafts, 0 duplicates skipped, 3 published before" in again.stderr


def test_a_deleted_draft_does_not_come_back(curated_hub: Hub):
    assert curated_hub.curate().exit_code == 0
    rejected = curated_hub.articles / "weekend-routines-that-helped-our-kids-settle.md"
    rejected.unlink()

    result = curated_hub.curate("--since", "2026-01-01")

    assert result.exit_code == 0
    assert not rejected.exists()
    assert "Relocation Weekly: 0 new drafts, 3 duplicates skipped" in result.stderr
    ledger = yaml.safe_load(curated_hub.ledger.read_text(encoding="utf-8"))
    urls = [entry["url"] for entry in ledger["seen"]]
    assert urls.count("https://relocation-weekly.example/2026/11/weekend-routines") == 1


def test_duplicates_by_url_variant_of_an_existing_article(curated_hub: Hub):
    (curated_hub.articles / "credited.md").write_text(
        "---\ntitle: Credited\ndate: 2025-10-01\nauthors: [dan-okoro]\ntopics: [mentoring]\n"
        "source:\n  name: Test Partner\n  url: https://Partner.example/read/a?utm_campaign=x&id=7#part-2\n"
        "---\nOur words.\n",
        encoding="utf-8",
    )
    curated_hub.serve("/p", rss([
        ("g1", "HTTPS://partner.EXAMPLE:443/read/a?id=7&amp;fbclid=abc&amp;gclid=def", "Same page, other spelling"),
        ("g2", "https://partner.example/read/a?id=8", "Another page"),
    ]))  # fmt: skip
    curated_hub.set_feeds([{"url": "/p", "name": "Test Partner", "topics": ["mentoring"]}])

    result = curated_hub.curate()

    assert result.exit_code == 0, result.output
    assert set(curated_hub.drafts()) == {"another-page.md"}
    assert "Test Partner: 1 new draft, 1 duplicate skipped, 0 errors" in result.stderr


def test_duplicates_by_feed_id_when_the_link_changed(curated_hub: Hub):
    curated_hub.serve("/p", rss([("entry-17", "https://partner.example/a", "First spelling")]))
    curated_hub.set_feeds([{"url": "/p", "name": "Test Partner", "topics": ["mentoring"]}])
    assert curated_hub.curate().exit_code == 0
    curated_hub.serve("/p", rss([
        ("entry-17", "https://partner.example/moved/a", "First spelling, moved"),
        ("https://partner.example/a", "https://partner.example/b", "Its id is an old link"),
    ]))  # fmt: skip

    result = curated_hub.curate("--since", "2026-01-01")

    assert result.exit_code == 0
    assert set(curated_hub.drafts()) == {"first-spelling.md"}
    assert "Test Partner: 0 new drafts, 2 duplicates skipped" in result.stderr


def test_slugs_never_overwrite_a_file(curated_hub: Hub):
    taken = curated_hub.articles / "returning-home-after-five-years-abroad.md"
    taken.write_text("an editor's file\n", encoding="utf-8")
    same = [("a", "https://p.example/1", "Same title"), ("b", "https://p.example/2", "Same title")]
    curated_hub.serve("/p", rss(same))
    curated_hub.set_feeds([{"url": "/p", "name": "Test Partner"}, {"url": "/atom", "name": "Global Mobility Review"}])

    assert curated_hub.curate().exit_code == 0

    assert taken.read_text(encoding="utf-8") == "an editor's file\n"
    assert {"same-title.md", "same-title-2.md", "returning-home-after-five-years-abroad-2.md"} <= set(
        curated_hub.drafts()
    )


def test_dry_run_writes_nothing_and_names_what_it_would(curated_hub: Hub):
    before = curated_hub.snapshot()

    result = curated_hub.curate("--dry-run", "--feed", "Global Mobility Review")

    assert result.exit_code == 0
    assert curated_hub.snapshot() == before
    assert "content/articles/returning-home-after-five-years-abroad.md" in result.stdout
    assert "Global Mobility Review: 2 drafts to write" in result.stderr
    assert "Relocation Weekly" not in result.output


def test_since_keeps_only_newer_entries(curated_hub: Hub):
    result = curated_hub.curate("--since", "2026-11-27")

    assert result.exit_code == 0
    assert set(curated_hub.drafts()) == {
        "weekend-routines-that-helped-our-kids-settle.md",
        "language-exchanges-what-to-bring-to-the-first-evening.md",
        "returning-home-after-five-years-abroad.md",
    }


def test_loopback_feeds_are_refused_without_allow_private(curated_hub: Hub):
    result = curated_hub.curate(private=False)

    assert result.exit_code == 1
    assert curated_hub.drafts() == {}
    assert not curated_hub.ledger.exists()
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 2
    assert all("refused: 127.0.0.1 is a loopback, private or reserved address" in line for line in lines)


def test_a_broken_ledger_is_named_with_its_line_and_nothing_is_written(curated_hub: Hub):
    curated_hub.ledger.write_text("feeds: {}\nseen:\n  - url: https://a.example/\n    id: a\n", encoding="utf-8")

    result = curated_hub.curate()

    assert result.exit_code != 0
    assert str(result.exception).endswith(
        ".curation.yml:3: seen: expected url, id, feed and day on each entry (the file `hub curate` keeps; "
        "fix or delete it)"
    )
    assert curated_hub.drafts() == {}


def test_the_installed_command_reports_a_mistake_in_one_line_without_a_traceback(curated_hub: Hub):
    command = [str(Path(sys.executable).parent / "hub"), "-f", str(curated_hub.config), "curate"]
    curated_hub.set_feeds([])
    nothing = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    curated_hub.set_feeds([{"url": "/rss", "name": "Relocation Weekly"}])
    unknown = subprocess.run([*command, "--feed", "Nobody"], capture_output=True, text=True, timeout=60, check=False)

    assert (nothing.returncode, unknown.returncode) == (1, 1)
    assert nothing.stderr == (
        "mkdocs.yml: no partner feeds to curate: list them under extra.hub.curation.feeds, "
        "each with a url and a name (see the README)\n"
    )
    assert unknown.stderr == (
        "--feed: expected the name of a feed in extra.hub.curation.feeds ('Relocation Weekly'), got 'Nobody'\n"
    )
    assert curated_hub.drafts() == {} and not curated_hub.ledger.exists()
