"""Pages keep their place while images load: every page type at phone size, its images held
back until after the first paint, moves by no more than Lighthouse's "good" threshold allows.

Lighthouse (test_lighthouse.py) sees a shift only when an image happens to arrive late,
as on a loaded machine; here each image is made late on purpose.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.page_types import page_types

pytestmark = pytest.mark.browser

IMAGE_DELAY_S = 0.5
MOST_SHIFT = 0.02
OBSERVE = """
window.__hubShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__hubShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


def test_no_page_type_shifts_when_its_images_arrive_late(sample_site: Path, site_url: str, new_context) -> None:
    context = new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True,
                          device_scale_factor=2)  # fmt: skip
    context.add_init_script(OBSERVE)
    held: list[str] = []

    def late(route) -> None:
        held.append(route.request.url)
        time.sleep(IMAGE_DELAY_S)  # one image at a time: bounded by the page's few images
        route.continue_()

    context.route("**/*.{svg,png,jpg,jpeg,webp,avif,gif}", late)
    shifted = {}
    for name, url in page_types(sample_site).items():
        page = context.new_page()
        page.goto(site_url + url, wait_until="load")
        page.wait_for_timeout(300)
        shift = page.evaluate("window.__hubShift")
        if shift > MOST_SHIFT:
            shifted[name] = round(shift, 4)
        page.close()
    assert held, "no image was held back: the test would prove nothing"
    assert shifted == {}
