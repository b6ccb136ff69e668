"""The sample hub is the same site on both supported engines: MkDocs 1.6 and ProperDocs 1.6.

ProperDocs lives in its own virtual environment, without MkDocs (as a user who
switched would have it); `make test` makes it and names its `properdocs` command in
HUB_PROPERDOCS. Each engine builds a copy of the sample hub with its own command and
with `hub build`; the four sites must be byte-identical, apart from the search index's
content-hashed file names.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.golden.conftest import EPOCH
from tests.hubkit import ROOT

MKDOCS_BIN = ROOT / ".venv" / "bin"
PROPERDOCS = str(ROOT / os.environ["HUB_PROPERDOCS"]) if os.environ.get("HUB_PROPERDOCS") else None
HASHED = re.compile(r"^pagefind/.*[.-][0-9a-f]{6,}\.[a-z_]+$")

pytestmark = pytest.mark.skipif(not PROPERDOCS, reason="HUB_PROPERDOCS names ProperDocs' command (make test sets it)")


def _sample_copy(root: Path) -> Path:
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CI", None)
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert PROPERDOCS is not None
    properdocs_bin = Path(PROPERDOCS).parent
    commands = {
        "mkdocs build": [str(MKDOCS_BIN / "mkdocs"), "build"],
        "hub build (MkDocs)": [str(MKDOCS_BIN / "hub"), "build"],
        "properdocs build": [PROPERDOCS, "build"],
        "hub build (ProperDocs)": [str(properdocs_bin / "hub"), "build"],
    }
    built = {}
    for name, command in commands.items():
        root = tmp_path_factory.mktemp("engine")
        _sample_copy(root)
        _run(command, root)
        built[name] = root / "site"
    return built


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_properdocs_has_no_mkdocs_beside_it() -> None:
    """The environment is what a switched user has: ProperDocs answers for `mkdocs`, and the
    cache's software fingerprint names ProperDocs."""
    python = str(Path(PROPERDOCS or "").parent / "python")
    probe = ("import importlib.metadata as m, generator.engine, mkdocs; from generator.software import SOFTWARE; "
             "print(mkdocs.__name__, [d.metadata['Name'] for d in m.distributions()].count('mkdocs'), SOFTWARE[0])")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120, check=True).stdout.split()
    assert out[:2] == ["properdocs", "0"]
    assert out[2].startswith("properdocs=1.6.")


def test_every_engine_and_command_builds_the_same_site(sites: dict[str, Path]) -> None:
    reference_name, reference = next(iter(sites.items()))
    expected = _files(reference)
    assert "index.html" in expected and "feeds/all.atom.xml" in expected
    for name, site in list(sites.items())[1:]:
        found = _files(site)
        plain = sorted(rel for rel in expected if not HASHED.match(rel))
        assert sorted(rel for rel in found if not HASHED.match(rel)) == plain, name
        different = [rel for rel in plain if found[rel] != expected[rel]]
        assert different == [], f"{name} differs from {reference_name}"
        hashed = sum(1 for rel in found if HASHED.match(rel))
        assert hashed == sum(1 for rel in expected if HASHED.match(rel)), name


def test_hub_serve_previews_and_updates_on_properdocs(tmp_path: Path) -> None:
    """`hub serve` where only ProperDocs is installed: the first build is served, a save shows."""
    from tests.integration.test_serve import free_port, wait_for

    assert PROPERDOCS is not None
    config = _sample_copy(tmp_path)
    article = tmp_path / "content" / "articles" / "mentoring-programme-basics.md"
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CI", None)
    process = subprocess.Popen([str(Path(PROPERDOCS).parent / "hub"), "-f", str(config), "serve", "--port", str(port)],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for(base, lambda page: "<html" in page, seconds=120)
        page_url = base + f"articles/{article.stem}/"
        text = article.read_text(encoding="utf-8")
        article.write_text(f"{text}\nA closing line, zqxproperdocs.\n", encoding="utf-8")
        wait_for(page_url, lambda page: "zqxproperdocs" in page, seconds=60)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]
    assert "Traceback" not in output
