"""Lighthouse (mobile) on every page type of the sample hub, served compressed from 127.0.0.1.

Accessibility, best practices and SEO must each score 100 and the Cumulative Layout Shift
stay at most 0.02; a failure lists each page's failing audits. Performance depends on the
machine's load, so it is measured in bench/lighthouse.py instead.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.lighthouse_runner import LighthouseMissing, audit
from tests.browser.page_types import page_types
from tests.browser.static_host import served

pytestmark = pytest.mark.browser

CATEGORIES = ("accessibility", "best-practices", "seo")
MOST_SHIFT = 0.02


def _problems(result) -> list[str]:
    found = [f"  {a['category']}: {a['id']} ({a['title']}) {a['value']} {' '.join(a['nodes'])}".rstrip()
             for a in result.failing]  # fmt: skip
    if result.error:
        found.append(f"  error: {result.error}")
    if result.cls is None or result.cls > MOST_SHIFT:
        found.append(f"  cumulative-layout-shift: {result.cls} (at most {MOST_SHIFT})")
    found += [f"  {name}: {score}" for name, score in result.scores.items() if score != 1 and not result.failing]
    return found


def test_every_page_type_scores_100_without_layout_shift(sample_site: Path) -> None:
    pages = page_types(sample_site)
    started = time.monotonic()
    with served(sample_site) as base:
        try:
            results = audit([base + url for url in pages.values()], CATEGORIES)
        except LighthouseMissing as missing:
            pytest.fail(str(missing))
    seconds = time.monotonic() - started
    assert len(results) == len(pages)
    report = []
    for name, result in zip(pages, results, strict=True):
        problems = _problems(result)
        if problems:
            report.append(f"{name} ({result.url}):\n" + "\n".join(problems))
    assert not report, f"Lighthouse, {len(pages)} pages in {seconds:.0f} s:\n" + "\n".join(report)
