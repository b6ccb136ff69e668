"""Pages of the built hub load nothing from another host: every request goes to the site itself."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.hubpages import item_pages, wait_for_search

pytestmark = pytest.mark.browser


def _with_image(site: Path, section: str) -> str:
    pages = item_pages(site, section)
    return next((url for url in pages if 'class="hub-item__figure"' in (site / url / "index.html").read_text()),
                pages[0])  # fmt: skip


@pytest.mark.parametrize("kind", ["home", "article", "profile", "search"])
def test_every_request_stays_on_the_site(new_context, site_url: str, sample_site: Path, kind: str) -> None:
    context = new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    path = {
        "home": "",
        "article": _with_image(sample_site, "articles"),
        "profile": item_pages(sample_site, "people")[0],
        "search": "search/?q=partner",
    }[kind]
    page.goto(site_url + path, wait_until="networkidle")
    if kind == "search":
        wait_for_search(page, 0)
        page.click(".hub-result__title a")  # following a result stays on the site too
        page.wait_for_load_state("networkidle")

    own = urlparse(site_url).netloc
    assert len(requests) > 3
    elsewhere = [url for url in requests
                 if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != own]  # fmt: skip
    assert elsewhere == []
    # Material's bundle fetches sitemap.xml beside each <link rel="alternate">; main.html stops that.
    assert not [url for url in requests if url.endswith("sitemap.xml")]
