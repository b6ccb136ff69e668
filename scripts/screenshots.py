"""Screenshots of every page type of the sample hub, at phone and desktop width, light and dark.

    python scripts/screenshots.py [--site DIR] [--out screenshots] [--only home,article]

Builds the sample hub (content/) into a temporary folder unless --site names a built one,
serves it on 127.0.0.1, and has Debian's Chromium (through Playwright) write one full-page
PNG per page type, width and colour scheme: `<page>-<width>-<scheme>.png`, e.g.
`home-390-dark.png`. The names stay the same from run to run, so two sets can be compared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.page_types import page_types  # noqa: E402
from tests.browser.static_host import served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
WIDTHS = {390: 844, 1280: 900}  # width -> viewport height
SCHEMES = ("light", "dark")
TIMEOUT_MS = 20_000


def build_sample(folder: Path) -> Path:
    from generator.engine.run import build_site

    site = folder / "site"
    build_site(REPO / "mkdocs.yml", site_dir=site, strict=False)
    return site


def shoot(site: Path, out: Path, only: set[str]) -> list[Path]:
    """Write the PNGs; returns their paths."""
    from playwright.sync_api import sync_playwright

    pages = {name: url for name, url in page_types(site).items() if not only or name in only}
    written = []
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            for width, height in WIDTHS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  color_scheme=scheme, is_mobile=width < 600,
                                                  has_touch=width < 600, device_scale_factor=1)  # fmt: skip
                    context.set_default_timeout(TIMEOUT_MS)
                    page = context.new_page()
                    for name, url in pages.items():
                        page.goto(base + url, wait_until="networkidle")
                        if name == "search":
                            page.wait_for_selector(".hub-result", timeout=TIMEOUT_MS)
                        path = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=True)
                        written.append(path)
                    context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build content/)")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page types (default: all)")
    args = parser.parse_args()
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    only = {name for name in args.only.split(",") if name}
    with tempfile.TemporaryDirectory(prefix="hub-shots-") as folder:
        site = args.site or build_sample(Path(folder))
        written = shoot(site, args.out, only)
    print(f"{len(written)} screenshots in {args.out} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
