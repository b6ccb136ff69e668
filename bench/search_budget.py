"""Phone budget: bytes a partner's phone downloads for the home page and for a first search.

    python bench/search_budget.py [--items 5000] [--seed 1] [--no-material] [--no-gzip]
    python bench/search_budget.py --site DIR [--material-site DIR]      (already built sites)

Generates the synthetic hub with bench/generate_hub.py into bench/out/budget-hub-<N> and
builds it with `hub build` (reused when already built; --rebuild to redo), and the same
corpus as a plain mkdocs-material site with its lunr search (bench/out/budget-material-<N>,
built with bench/.venv-material if build_bench.py created it, else this project's venv,
which pins the same mkdocs and mkdocs-material). Each site is served on 127.0.0.1 as a
static host serves it (text types gzip-compressed; --no-gzip: files as they are on disk),
headless Chromium (Debian's) drives a phone-sized page, and the server counts every byte
it sends (headers and body as sent, per request):

  home    the home page and everything it loads, empty cache, until the network is idle
  search  what a first search adds after the home page, for one query: on the hub, opening
          /search/?q=QUERY (the header box's target) until results are shown: Pagefind's
          library, worker, WebAssembly, index entry, filter and index chunks and the
          fragments of the first ten results (the budget counts /pagefind/ files);
          on Material, typing QUERY into its search box: its worker and search_index.json

Counting on the server side also sees what the browser's network events miss (Pagefind's
web worker script). Budgets (issue 4): home page
at most 500 KB, first search at most 300 KB. Exit status 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate_hub import generate  # noqa: E402

HUB = REPO / ".venv" / "bin" / "hub"
MKDOCS = (BENCH / ".venv-material" / "bin" / "mkdocs", REPO / ".venv" / "bin" / "mkdocs")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
QUERIES = ("visa", "landlord", "Stavanger")  # common, medium, rare in the synthetic corpus
HOME_BUDGET = 500 * 1024
SEARCH_BUDGET = 300 * 1024
TIMEOUT_MS = 120_000
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Transfer:
    """Responses recorded during one step: URL path -> bytes on the wire."""

    sizes: dict[str, int] = field(default_factory=dict)

    def add(self, path: str, size: int) -> None:
        self.sizes[path] = self.sizes.get(path, 0) + size

    def total(self, prefix: str = "") -> int:
        return sum(size for path, size in self.sizes.items() if path.startswith(prefix))

    def count(self, prefix: str = "") -> int:
        return sum(1 for path in self.sizes if path.startswith(prefix))

    def largest(self, n: int = 4) -> str:
        top = sorted(self.sizes.items(), key=lambda item: -item[1])[:n]
        return ", ".join(f"{path.rsplit('/', 1)[-1] or path} {size / 1024:.0f}" for path, size in top)


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves a built site like a static host: index.html for folders, gzip for text types."""

    gzip_text = True
    server: SiteServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlparse(self.path).path.endswith("/"):
                return super().do_GET()  # the redirect to the folder URL
            path = path / "index.html"
        if not path.is_file():
            return self.send_error(404)
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if self.gzip_text and kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        headers = sum(len(line) for line in self._headers_buffer) + 2  # + the blank line
        self.end_headers()
        self.wfile.write(body)
        self.server.count(unquote(urlparse(self.path).path), headers + len(body))


class SiteServer(http.server.ThreadingHTTPServer):
    """Counts the bytes it sends into the current step."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.step = Transfer()
        self.lock = threading.Lock()

    def count(self, path: str, size: int) -> None:
        with self.lock:
            self.step.add(path, size)

    def start(self) -> Transfer:
        """Begin a new step; what is sent from now on is counted in the returned Transfer."""
        with self.lock:
            self.step = Transfer()
            return self.step


@contextmanager
def served(site: Path, gzip_text: bool) -> Iterator[tuple[str, SiteServer]]:
    handler = functools.partial(type("Host", (StaticHost,), {"gzip_text": gzip_text}), directory=str(site))
    server = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_site(kind: str, items: int, seed: int, rebuild: bool) -> Path:
    """Generate and build bench/out/budget-<kind>-<items>; return its built site folder."""
    root = BENCH / "out" / f"budget-{kind}-{items}"
    site = root / "site"
    ready = site / ("pagefind/pagefind-entry.json" if kind == "hub" else "search/search_index.json")
    if ready.is_file() and not rebuild:
        log(f"reusing {site}")
        return site
    log(f"generating {root} ({kind}, {items} items, seed {seed})")
    generate(items, root, seed, kind)
    shutil.rmtree(site, ignore_errors=True)
    if kind == "hub":
        command = [str(HUB), "-f", str(root / "mkdocs.yml"), "build", "--no-strict"]
    else:
        mkdocs = next(path for path in MKDOCS if path.is_file())
        command = [str(mkdocs), "build", "-q", "-f", str(root / "mkdocs.yml")]
    started = time.perf_counter()
    with (root / "build.log").open("wb") as output:
        done = subprocess.run(command, cwd=root, env=BUILD_ENV, stdout=output, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0 or not ready.is_file():
        raise SystemExit(f"search_budget.py: building {root} failed; see {root / 'build.log'}")
    log(f"built {site} in {time.perf_counter() - started:.0f} s")
    return site


def measure_hub(browser, base: str, server: SiteServer, query: str) -> tuple[Transfer, Transfer]:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        home = server.start()
        page.goto(base, wait_until="networkidle")
        search = server.start()
        page.goto(f"{base}search/?q={query}")
        page.wait_for_function("document.getElementById('hub-search').dataset.completed")
        page.wait_for_load_state("networkidle")
        if not page.locator(".hub-result").count():
            raise SystemExit(f"search_budget.py: no results for {query!r} on the hub")
        server.start()
        return home, search
    finally:
        context.close()


def measure_material(browser, base: str, server: SiteServer, query: str) -> tuple[Transfer, Transfer]:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        home = server.start()
        page.goto(base, wait_until="networkidle")
        search = server.start()
        page.click("label[for=__search]")
        page.fill("input.md-search__input", query)
        # Results appear once lunr has indexed everything in the worker; bounded by TIMEOUT_MS.
        page.wait_for_selector(".md-search-result__item")
        page.wait_for_load_state("networkidle")
        server.start()
        return home, search
    finally:
        context.close()


def first_search_bytes(site: Path) -> tuple[int, str]:
    """The largest first search over search_budget's queries: Pagefind bytes sent, gzip on."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with served(site, gzip_text=True) as (base, server):
                found = {query: measure_hub(browser, base, server, query)[1].total("/pagefind/")
                         for query in QUERIES}  # fmt: skip
        finally:
            browser.close()
    query = max(found, key=found.__getitem__)
    return found[query], query


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def report(items: int, gzip_text: bool, hub: dict[str, tuple[Transfer, Transfer]],
           material: dict[str, tuple[Transfer, Transfer]] | None, material_index: Path | None) -> bool:  # fmt: skip
    home = max((steps[0] for steps in hub.values()), key=lambda t: t.total())
    worst_query, (_, worst) = max(hub.items(), key=lambda item: item[1][1].total("/pagefind/"))
    home_ok = home.total() <= HOME_BUDGET
    search_ok = worst.total("/pagefind/") <= SEARCH_BUDGET
    lines = [
        f"Synthetic hub, {items} items; phone viewport; "
        f"{'text gzip-compressed by the server' if gzip_text else 'served uncompressed'}.",
        "",
        "| Step | Requests | Transferred | Budget | |",
        "|---|---:|---:|---:|---|",
        f"| Hub home page with its assets | {home.count()} | {kb(home.total())} | {kb(HOME_BUDGET)} | "
        f"{'within' if home_ok else '**over**'} |",
    ]
    for query, (_, search) in hub.items():
        lines.append(
            f"| Hub first search `{query}`: Pagefind files | {search.count('/pagefind/')} | "
            f"{kb(search.total('/pagefind/'))} | {kb(SEARCH_BUDGET)} | "
            f"{'within' if search.total('/pagefind/') <= SEARCH_BUDGET else '**over**'} |"
        )
    lines.append(f"| Hub first search `{worst_query}`: search page and Pagefind | {worst.count()} | "
                 f"{kb(worst.total())} | | |")  # fmt: skip
    if material:
        m_home = max((steps[0] for steps in material.values()), key=lambda t: t.total())
        m_query, (_, m_search) = max(material.items(), key=lambda item: item[1][1].total())
        upfront = any(path.endswith("search_index.json") for path in m_home.sizes)
        note = " (its search worker fetches search_index.json on every page load)" if upfront else ""
        lines.append(f"| Material home page with its assets{note} | {m_home.count()} | {kb(m_home.total())} | | |")
        lines.append(f"| Material first search `{m_query}`, on top of that | "
                     f"{m_search.count()} | {kb(m_search.total())} | | |")  # fmt: skip
    if material_index is not None:
        raw = material_index.read_bytes()
        lines.append(f"| Material `search_index.json` on disk / gzipped | | {kb(len(raw))} / "
                     f"{kb(len(gzip.compress(raw, 6)))} | | |")  # fmt: skip
    lines += ["", f"Largest hub files in the first search (KB): {worst.largest(6)}.",
              f"Largest hub files on the home page (KB): {home.largest(4)}."]  # fmt: skip
    print("\n".join(lines))
    return home_ok and search_ok


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000, help="size of the synthetic hub (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--site", type=Path, help="an already built hub site to measure instead")
    parser.add_argument("--material-site", type=Path, help="an already built mkdocs-material site")
    parser.add_argument("--no-material", action="store_true", help="skip the mkdocs-material comparison")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed")
    parser.add_argument("--rebuild", action="store_true", help="regenerate and rebuild the sites")
    parser.add_argument("--query", action="append", help="query to measure (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    queries = tuple(args.query or QUERIES)
    hub_site = args.site or prepare_site("hub", args.items, args.seed, args.rebuild)
    material_site = None
    if not args.no_material:
        material_site = args.material_site or prepare_site("material", args.items, args.seed, args.rebuild)
    from playwright.sync_api import sync_playwright

    gzip_text = not args.no_gzip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with served(hub_site, gzip_text) as (base, server):
                hub = {query: measure_hub(browser, base, server, query) for query in queries}
            material = None
            if material_site is not None:
                with served(material_site, gzip_text) as (base, server):
                    material = {queries[0]: measure_material(browser, base, server, queries[0])}
        finally:
            browser.close()
    index = material_site / "search" / "search_index.json" if material_site else None
    return 0 if report(args.items, gzip_text, hub, material, index) else 1


if __name__ == "__main__":
    sys.exit(main())
