"""What the browser tests look for in the built sample hub, and how they drive its search page."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

WORD = re.compile(r"[^\W\d_]{9,}")
STEM = 6  # Pagefind stems words; words sharing this many first letters may match each other


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _IndexedText(HTMLParser):
    """Text inside a page's data-pagefind-body element, and the part of it in the item body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in indexed part, in item body)
        self.indexed: list[str] = []
        self.body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        indexed, body = self.stack[-1][1:] if self.stack else (False, False)
        names = dict(attrs)
        indexed = indexed or "data-pagefind-body" in names
        body = body or "hub-item__body" in (names.get("class") or "").split()
        self.stack.append((tag, indexed, body))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1]:
            self.indexed.append(data)
            if self.stack[-1][2]:
                self.body.append(data)


def indexed_text(html: str) -> tuple[str, str]:
    """(text Pagefind may index, the item body's text) of a built page."""
    parser = _IndexedText()
    parser.feed(html)
    return " ".join(parser.indexed), " ".join(parser.body)


def item_pages(site: Path, section: str) -> list[str]:
    """Site-relative URLs of the built pages of one section, e.g. articles/slug/."""
    return sorted(f"{section}/{path.parent.name}/" for path in (site / section).glob("*/index.html")
                  if path.parent.name != "page")  # fmt: skip


def distinctive_word(site: Path) -> tuple[str, str]:
    """A word found in exactly one article, and nowhere near it in any other indexed page.

    Returns (word, article URL). Candidates come from the built pages' indexed text;
    a candidate is dropped if another page has any word starting with its first
    letters, so stemming cannot make another page match.
    """
    words_by_page: dict[str, set[str]] = {}
    body_words: dict[str, set[str]] = {}
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        url = "/" + path.parent.relative_to(site).as_posix() + "/"
        text, body = indexed_text(html)
        words_by_page[url] = {word.lower() for word in WORD.findall(text)}
        body_words[url] = {word.lower() for word in WORD.findall(body)}
    pages_with = Counter(word for words in words_by_page.values() for word in words)
    stems = Counter(stem for words in words_by_page.values() for stem in {w[:STEM] for w in words})
    candidates = []
    for url, words in body_words.items():
        if url.startswith("/articles/"):
            candidates += [(word, url) for word in words if pages_with[word] == 1 and stems[word[:STEM]] == 1]
    if not candidates:
        raise AssertionError("no word occurs in exactly one article of the sample hub")
    return max(candidates, key=lambda pair: (len(pair[0]), pair[0]))


def completed(page) -> int:
    return int(page.get_attribute("#hub-search", "data-completed") or 0)


def wait_for_search(page, after: int) -> None:
    """Wait (bounded by the context timeout) until a search newer than `after` has finished."""
    page.wait_for_function(
        "n => Number(document.getElementById('hub-search').dataset.completed || 0) > n", arg=after
    )


def search(page, site_url: str, query: str, **filters: str) -> None:
    """Open /search/?q=... (the shareable URL) and wait for the results."""
    from urllib.parse import urlencode

    page.goto(site_url + "search/?" + urlencode({"q": query, **filters}))
    wait_for_search(page, 0)


def result_urls(page) -> list[str]:
    return page.eval_on_selector_all(".hub-result__title a", "links => links.map(a => a.pathname)")


def facet_counts(page, facet: str) -> dict[str, int]:
    """Visible values of one facet and their counts."""
    return page.eval_on_selector_all(
        f".hub-facet__value:not([hidden]) input[name='{facet}']",
        """boxes => Object.fromEntries(boxes.map(box =>
             [box.value, Number(box.closest('label').querySelector('.hub-facet__count').textContent)]))""",
    )


def status(page) -> str:
    return page.inner_text("#hub-search-status").strip()


def result_count(page) -> int:
    """The number in the status line ('12 results for ...'), 0 when nothing matched."""
    match = re.match(r"(\d+)", status(page))
    return int(match.group(1)) if match else 0


AXE_BLOCKING = ("serious", "critical")


def axe_violations(page, axe_script: str) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line and nodes each."""
    page.add_script_tag(content=axe_script)
    found = page.evaluate(
        """async () => {
             const result = await axe.run(document, { resultTypes: ["violations"] });
             return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary) }));
           }"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in found if v["impact"] in AXE_BLOCKING]  # fmt: skip
