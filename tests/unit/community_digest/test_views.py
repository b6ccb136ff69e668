"""community_digest.views: links leave the e-mail absolute, hub links with campaign tags."""

from __future__ import annotations

from community_digest.views import Links, absolute_html

LINKS = Links(
    "https://hub.example.org/", {"utm_source": "digest", "utm_campaign": "{issue}"}, "2025-q3"
)


def test_hub_links_get_campaign_parameters_once():
    assert LINKS.tracked("https://hub.example.org/articles/x/") == (
        "https://hub.example.org/articles/x/?utm_source=digest&utm_campaign=2025-q3"
    )
    already = "https://hub.example.org/a/?utm_source=partner&page=2#top"
    assert (
        LINKS.tracked(already)
        == "https://hub.example.org/a/?utm_source=partner&page=2&utm_campaign=2025-q3#top"
    )


def test_other_sites_are_left_alone():
    assert LINKS.tracked("https://partner.example/post?id=1") == "https://partner.example/post?id=1"


def test_no_campaign_no_change():
    plain = Links("https://hub.example.org/", {}, "2025-q3")
    assert plain.tracked("articles/x/") == "https://hub.example.org/articles/x/"


def test_intro_links_become_absolute_from_the_web_copy():
    html = (
        '<p><a href="../../articles/x/">x</a> <img src="/media/a.png" alt="a"> '
        '<a href="#top">t</a></p>'
    )
    fixed = absolute_html(html, LINKS, "https://hub.example.org/digests/2025-q3/")
    assert (
        'href="https://hub.example.org/articles/x/?utm_source=digest&amp;utm_campaign=2025-q3"'
        in fixed
    )
    assert 'src="https://hub.example.org/media/a.png"' in fixed  # images are not links
    assert (
        'href="https://hub.example.org/digests/2025-q3/?utm_source=digest&amp;utm_campaign=2025-q3#top"'
        in fixed
    )


def test_escaped_ampersands_in_the_intro_stay_one_ampersand():
    fixed = absolute_html(
        '<a href="https://x.example/?a=1&amp;b=2">x</a>', LINKS, "https://hub.example.org/"
    )
    assert 'href="https://x.example/?a=1&amp;b=2"' in fixed
