"""Golden sites: small input hubs in sites/<name>/, built once per session with a frozen clock."""

from __future__ import annotations

import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.golden.htmlkit import Node, parse_html
from tests.hubkit import THEME_DIR

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
EXPECTED = HERE / "expected"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: what "now" is for every golden build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/golden/expected/ from the current build.")  # fmt: skip


@dataclass
class BuiltSite:
    root: Path
    config: Path
    site: Path
    _pages: dict[str, Node] = field(default_factory=dict)

    def file(self, url: str) -> Path:
        path = self.site / url.lstrip("/")
        return path / "index.html" if url.endswith("/") or url == "" else path

    def html(self, url: str) -> str:
        return self.file(url).read_text(encoding="utf-8")

    def page(self, url: str) -> Node:
        if url not in self._pages:
            self._pages[url] = parse_html(self.html(url))
        return self._pages[url]

    def files(self) -> list[Path]:
        return sorted(path for path in self.site.rglob("*") if path.is_file())

    @staticmethod
    def resolve(page_url: str, href: str) -> str:
        """A link's target as a site path ("people/ana/"), or the href itself when it leaves the site."""
        parts = urlsplit(href)
        if parts.scheme or href.startswith("#"):
            return href
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/x"), parts.path))
        target = "" if target == "." else target.lstrip("/")
        if parts.path.endswith("/") and target:
            target += "/"
        return target + (f"?{parts.query}" if parts.query else "")

    def links(self, url: str, node: Node | None = None) -> list[tuple[str, str]]:
        """(text, target) of every link in `node` (default: the page), targets resolved from the page."""
        node = node or self.page(url)
        return [(text, self.resolve(url, href)) for text, href in node.links()]


def copy_site(name: str, dest: Path) -> Path:
    """Copy sites/<name> to `dest` (builds write caches beside mkdocs.yml); return its mkdocs.yml."""
    shutil.copytree(SITES / name, dest)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("custom_dir: ../../../../themes/hub",
                                                      f"custom_dir: {THEME_DIR}")  # fmt: skip
    config.write_text(text, encoding="utf-8")
    return config


def build_at(config: Path, site_dir: Path | None = None, *, strict: bool = True, epoch: str = EPOCH) -> None:
    """`hub build` as of `epoch` (SOURCE_DATE_EPOCH), so drafts, schedules and dates are fixed."""
    from generator.engine.run import build_site

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        patch.delenv("CI", raising=False)
        build_site(config, site_dir=site_dir, strict=strict)


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("golden") / "minimal"
    config = copy_site("minimal", root)
    build_at(config)
    return BuiltSite(root, config, root / "site")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False))
