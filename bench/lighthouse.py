"""Lighthouse performance (mobile) of every page type of the sample hub, served compressed.

    python bench/lighthouse.py [--site DIR]

Builds the sample hub (content/) unless --site names a built one, serves it on 127.0.0.1
with gzip (tests/browser/static_host.py) and runs Lighthouse 12 from tests/browser (`make
browser` installs it) with Debian's Chromium, one page after another. Prints each page
type's performance score, its Largest Contentful Paint and Total Blocking Time and its
layout shift. Target: 95 or more on every page type. The score depends on the machine's
load (Lighthouse simulates a slow phone from what it measures), so it is a benchmark,
not a test; tests/browser/test_lighthouse.py holds the other categories to 100.
Exit status 1 when a page type is under the target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.lighthouse_runner import audit  # noqa: E402
from tests.browser.page_types import page_types  # noqa: E402
from tests.browser.static_host import served  # noqa: E402

TARGET = 95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build content/)")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hub-lighthouse-") as folder:
        site = args.site
        if site is None:
            from generator.engine.run import build_site

            site = Path(folder) / "site"
            build_site(REPO / "mkdocs.yml", site_dir=site, strict=False)
        pages = page_types(site)
        with served(site) as base:
            results = audit([base + url for url in pages.values()], ("performance",))
    print(f"{'page':<11} {'score':>5}  {'LCP':>7}  {'TBT':>7}  {'CLS':>6}")
    under = []
    for name, result in zip(pages, results, strict=True):
        score = round((result.scores["performance"] or 0) * 100)
        metrics = {a["id"]: a["value"] for a in result.failing}
        print(f"{name:<11} {score:>5}  {metrics.get('largest-contentful-paint', 'ok'):>7}  "
              f"{metrics.get('total-blocking-time', 'ok'):>7}  {result.cls or 0:>6.3f}"
              + (f"  error: {result.error}" if result.error else ""))  # fmt: skip
        if score < TARGET:
            under.append(name)
    print(f"{len(results)} pages in {time.monotonic() - started:.0f} s; under {TARGET}: {', '.join(under) or 'none'}")
    return 1 if under else 0


if __name__ == "__main__":
    sys.exit(main())
