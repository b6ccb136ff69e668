"""Hostile partner feeds: each fails alone with one line naming it, and changes nothing but its own drafts."""

from __future__ import annotations

import time

import markdown

from tests.curation.conftest import ATOM_SAMPLE, Hub
from tests.curation.feedserver import Huge, NeverEnds, Redirect

ACTIVE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Active Content</title>
<item>
  <title>&lt;script&gt;alert("t")&lt;/script&gt; Moving &amp; settling</title>
  <link>https://active.example/a</link><guid>active-a</guid>
  <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>
  <category>Careers</category>
  <description><![CDATA[<script>alert(1)</script><style>body{display:none}</style>
    <iframe src="https://evil.example/"></iframe><p onclick="alert(2)">Plain words survive.</p>
    <img src=x onerror="alert(3)"> <a href="javascript:alert(4)">a link</a>
    <a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">data</a>
    &lt;b onmouseover=alert(6)&gt;escaped tag&lt;/b&gt; [md link](javascript:alert(7)) {: onclick=alert(8) }
    ![img](x.png) <!-- a comment --> TODO-free text]]></description>
</item>
<item>
  <title>Script link</title><link>javascript:alert(9)</link><guid>active-b</guid>
  <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>x</description>
</item>
<item>
  <title>Data link</title><link>data:text/html,hello</link><guid>active-c</guid>
  <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>x</description>
</item>
</channel></rss>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "lollollollollollollollollollollollollollollollollollollollollollollollollollollollollol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rss version="2.0"><channel><title>Laughs</title><item><title>&f;</title><link>https://laughs.example/1</link>
<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>&f;</description></item></channel></rss>
"""

NOT_UTF8 = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Broken</title><item>'
    b"<title>Caf\xe9 \xff\xfe</title><link>https://broken.example/1</link>"
    b"<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>d</description></item></channel></rss>"
)

HOSTILE_FEEDS = [
    ("Laughs", "/laughs", "is not well-formed XML (undefined entity at line"),
    ("Broken Bytes", "/bytes", "is not valid UTF-8 (byte 0xe9 on line 1)"),
    ("Fifty Megabytes", "/huge", "is larger than the 5000000-byte limit (feed_max_bytes)"),
    ("Never Ends", "/slow", "gave up after 1 s (feed_timeout)"),
    ("Loop", "/loop-a", "refused: more than 5 redirects"),
]


def _rendered(hub: Hub, name: str) -> str:
    """A draft's body as the site would render it (the hub's Markdown extensions)."""
    extensions = ["attr_list", "md_in_html", "tables", "toc", "admonition", "footnotes", "pymdownx.details",
                  "pymdownx.superfences"]  # fmt: skip
    return markdown.markdown(hub.body(name), extensions=extensions)


def test_each_hostile_feed_fails_alone_in_one_line_and_changes_nothing(curated_hub: Hub):
    server = curated_hub.server
    curated_hub.serve("/laughs", LAUGHS)
    curated_hub.serve("/bytes", NOT_UTF8)
    server.routes["/huge"] = Huge(50 * 1024 * 1024)
    server.routes["/slow"] = NeverEnds()
    server.routes["/loop-a"] = Redirect(server.url("/loop-b"))
    server.routes["/loop-b"] = Redirect("/loop-a")
    feeds = [{"url": path, "name": name, "topics": ["mentoring"]} for name, path, _ in HOSTILE_FEEDS]
    curated_hub.set_feeds([*feeds, {"url": "/atom", "name": "Global Mobility Review", "topics": ["integration"]}],
                          feed_max_bytes=5_000_000)  # fmt: skip
    before = curated_hub.snapshot()
    started = time.monotonic()

    result = curated_hub.curate()

    elapsed = time.monotonic() - started
    assert elapsed < 20, f"hostile feeds took {elapsed:.1f} s"
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(HOSTILE_FEEDS)
    for (name, path, reason), line in zip(HOSTILE_FEEDS, errors, strict=True):
        assert line.startswith(f"error: feed {name!r} ({server.url(path)}): ")
        assert reason in line
        assert f"  {name}: 0 new drafts, 0 duplicates skipped, 1 error" in result.stderr
    assert "Global Mobility Review: 2 new drafts, 0 duplicates skipped, 0 errors" in result.stderr
    after = curated_hub.snapshot()
    new = set(after) - set(before)
    assert new == {
        "content/.curation.yml",
        "content/articles/partner-support-budgets-what-employers-partners-say.md",
        "content/articles/returning-home-after-five-years-abroad.md",
    }
    assert all(after[path] == digest for path, digest in before.items())
    ledger = curated_hub.ledger.read_text(encoding="utf-8")
    assert "laughs" not in ledger and "broken.example" not in ledger
    assert server.url("/huge") not in ledger  # a failed feed has no last run: the next run reads it whole


def test_slow_feeds_are_fetched_side_by_side_and_reported_in_order(curated_hub: Hub):
    names = ["Slow A", "Slow B", "Slow C"]
    for index in range(3):
        curated_hub.server.routes[f"/slow-{index}"] = NeverEnds()
    curated_hub.set_feeds([{"url": f"/slow-{index}", "name": name, "topics": ["mentoring"]}
                           for index, name in enumerate(names)])  # fmt: skip

    result = curated_hub.curate()

    assert result.exit_code == 1
    assert curated_hub.server.most_in_flight == 3  # all three waited on at once, not one after another
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split("'")[1] for line in errors] == names  # the configured order, whoever answered first


def test_active_content_stays_text_and_never_reaches_the_markdown(curated_hub: Hub):
    curated_hub.serve("/active", ACTIVE)
    curated_hub.set_feeds([{"url": "/active", "name": "Active Content", "categories": {"Careers": "partner-career"}}])

    result = curated_hub.curate()

    assert result.exit_code == 0, result.output
    assert list(curated_hub.drafts()) == ["script-alert-t-script-moving-settling.md"]
    name = "script-alert-t-script-moving-settling.md"
    front = curated_hub.front(name)
    assert front["title"] == '<script>alert("t")</script> Moving & settling'  # plain text, as the contract says
    assert "<" not in front["summary"].replace("<b onmouseover=alert(6)>escaped tag</b>", "")
    assert "Plain words survive." in front["summary"]
    html = _rendered(curated_hub, name)
    for active in ("<script", "<style", "<iframe", "<img", "<a ", "<b ", "onclick=", "onmouseover=", "onerror=",
                   "javascript:alert(4)", "data:text/html", "<!--", 'id="'):  # fmt: skip
        assert active not in html.replace("javascript:alert(7)", "").replace("&lt;", "<x"), active
    assert "escaped tag" in html and "[md link](javascript:alert(7))" in html
    assert html.startswith("<blockquote>\n<p>") and html.count("<p>") == 2
    skipped = [line for line in result.stderr.splitlines() if line.startswith("warning: feed 'Active Content'")]
    assert len(skipped) == 2
    assert "'Script link' has no http(s) link; skipped" in skipped[0]
    assert "'Data link' has no http(s) link; skipped" in skipped[1]


def test_the_hub_checks_a_hostile_draft_only_for_its_placeholders(curated_hub: Hub):
    curated_hub.serve("/active", ACTIVE)
    curated_hub.set_feeds([{"url": "/active", "name": "Active Content"}])
    assert curated_hub.curate().exit_code == 0

    checked = curated_hub.check("--strict")

    lines = [line for line in checked.output.splitlines() if "content/" in line]
    assert lines, checked.output
    assert all("script-alert-t-script-moving-settling.md" in line for line in lines)
    assert all("expected your text, found the placeholder 'TODO:" in line or
               'expected your text, found the placeholder "TODO:' in line for line in lines), lines  # fmt: skip
    assert {line.split(": ")[1] for line in lines} == {"authors", "topics", "body"}


def test_a_feed_with_a_private_link_in_an_entry_skips_that_entry(curated_hub: Hub):
    text = ATOM_SAMPLE.read_text(encoding="utf-8").replace(
        "https://global-mobility-review.example/stories/returning-home", "http://10.0.0.7/stories/returning-home"
    )
    curated_hub.serve("/atom", text, "application/atom+xml")
    curated_hub.set_feeds([{"url": "/atom", "name": "Global Mobility Review", "topics": ["integration"]}])

    result = curated_hub.curate()

    assert result.exit_code == 0
    assert set(curated_hub.drafts()) == {"partner-support-budgets-what-employers-partners-say.md"}
    assert "links to a local or private address (http://10.0.0.7/stories/returning-home); skipped" in result.stderr
