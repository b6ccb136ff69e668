"""Build mechanics under attack: permissions, killed builds and previews, leftovers, reproducibility."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import cbor2
import pytest

from generator.build.search_bundle import SIGNATURE
from generator.engine.run import build_site
from tests.hardening.buildkit import (
    EPOCH,
    HUB,
    as_other_user,
    children_of,
    copy_sample,
    executable,
    files_of,
    give_away,
    hub_env,
    is_running,
    make_read_only,
    run_hub,
    shared_folder,
    small_hub,
    wait_until,
)
from tests.integration.test_serve import fetch, free_port


def _build_in_process(config: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_site(config, site_dir=site, strict=False)


# --- 11. Two clean builds are the same bytes, search index included -------------------------


def test_two_clean_builds_with_the_same_epoch_are_byte_identical(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Before, 13 files under pagefind/ differed: Pagefind writes filter values (and the languages
    of a multilingual index) in a random order."""
    sites = []
    for name in ("one", "two"):
        config = copy_sample(tmp_path / name)  # each its own project: no cache shared
        _build_in_process(config, tmp_path / name / "site", monkeypatch)
        sites.append(files_of(tmp_path / name / "site"))
    first, second = sites
    assert any(path.startswith("pagefind/filter/") for path in first)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []

    # The order is sorted, not merely the same twice by luck.
    site = tmp_path / "one" / "site"
    for path in (site / "pagefind" / "filter").iterdir():
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE)
        _, values = cbor2.loads(raw[len(SIGNATURE) :])
        assert [value[0] for value in values] == sorted(value[0] for value in values)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == sorted(entry["languages"])
    for details in entry["languages"].values():
        assert (site / "pagefind" / f"pagefind.{details['hash']}.pf_meta").is_file()


# --- 10a. Permissions: one clear line and a non-zero exit, never a traceback --------------------


def _can_run_as_other_user(tmp: Path) -> bool:
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        return False
    done = subprocess.run([*as_other_user(), str(HUB), "--version"], cwd=tmp, capture_output=True,  # noqa: S603
                          check=False, timeout=60)  # fmt: skip
    return done.returncode == 0


@pytest.fixture
def writable_hub(tmp_path: Path) -> Path:
    """A small hub in a folder the build's user may write (the build runs as nobody under root)."""
    root = shared_folder(Path("/tmp"))
    if not _can_run_as_other_user(root):
        pytest.skip("the unprivileged user cannot run this Python")
    small_hub(root)
    give_away(root)
    yield root
    subprocess.run(["rm", "-rf", "--", str(root)], check=False, timeout=60)  # noqa: S603, S607


def _assert_clean_failure(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0]


def test_a_read_only_project_folder_is_one_clear_line(writable_hub: Path) -> None:
    make_read_only(writable_hub)  # after give_away: root's again, 0755 (0555 when not root)
    if os.geteuid() == 0:
        os.chown(writable_hub, 0, 0)
    done = run_hub(["build"], writable_hub, prefix=as_other_user())
    _assert_clean_failure(done, "Permission denied", str(writable_hub))
    assert not (writable_hub / "site").exists()


def test_a_read_only_site_parent_is_one_clear_line(writable_hub: Path) -> None:
    parent = writable_hub / "public"
    parent.mkdir()
    make_read_only(parent)  # root's (under root) and not writable by the build
    done = run_hub(["build", "--site-dir", str(parent / "site")], writable_hub, prefix=as_other_user())
    _assert_clean_failure(done, "cannot write the site", "Permission denied", str(parent))
    assert list(parent.iterdir()) == []


def test_a_site_the_build_may_not_replace_stays_as_it_was(writable_hub: Path) -> None:
    site = writable_hub / "site"
    site.mkdir()
    (site / "index.html").write_text("the old site", encoding="utf-8")
    make_read_only(site)
    done = run_hub(["build"], writable_hub, prefix=as_other_user())
    _assert_clean_failure(done, "cannot write the site", "Permission denied", str(site))
    assert (site / "index.html").read_text(encoding="utf-8") == "the old site"
    assert [path.name for path in writable_hub.iterdir() if path.name.startswith(".site-")] == []


def test_an_unwritable_cache_folder_is_one_clear_line(writable_hub: Path) -> None:
    cache = writable_hub / ".cache" / "hub"
    cache.mkdir(parents=True)
    if os.geteuid() == 0:
        os.chown(cache, 0, 0)
    make_read_only(cache)
    done = run_hub(["build"], writable_hub, prefix=as_other_user())
    _assert_clean_failure(done, "build cache", "Permission denied", str(cache))
    assert not (writable_hub / "site").exists()


def test_a_file_where_the_site_folder_should_be_is_one_clear_line(tmp_path: Path) -> None:
    """Runs as any user: a file in the way fails a write for root too."""
    small_hub(tmp_path)
    (tmp_path / "site").write_text("not a folder", encoding="utf-8")  # site_dir: site in mkdocs.yml
    done = run_hub(["build"], tmp_path)
    _assert_clean_failure(done, "cannot write the site", str(tmp_path / "site"), "found a file")
    inside = run_hub(["build", "--site-dir", str(tmp_path / "site" / "public")], tmp_path)
    _assert_clean_failure(inside, "cannot write the site", str(tmp_path / "site"))
    assert (tmp_path / "site").read_text(encoding="utf-8") == "not a folder"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site-")] == []


# --- 10b. Killed builds: the next build removes their folders, never a running build's ---------


def _start_build(project: Path, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([str(HUB), "build"], cwd=project, env=hub_env(), text=True,  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip


def _build_folders(project: Path) -> set[str]:
    return {path.name for path in project.iterdir() if path.name.startswith(".site-build-")}


def _wait_for_new_build_folder(project: Path, process: subprocess.Popen[str], known: set[str]) -> str:
    assert wait_until(lambda: bool(_build_folders(project) - known) or process.poll() is not None, 60, 0.005)
    fresh = _build_folders(project) - known
    assert fresh, "the build ended before its folder was seen"
    return fresh.pop()


def test_the_next_build_removes_what_killed_builds_left_but_not_a_running_build(tmp_path: Path) -> None:
    project = tmp_path / "hub"
    copy_sample(project)
    killed = _start_build(project)
    left = _wait_for_new_build_folder(project, killed, set())
    killed.kill()
    killed.wait(timeout=30)
    assert (project / left).is_dir()  # what the attack left: a build folder nobody will finish
    # And what a removal killed half-way leaves: an old copy of the site.
    (project / ".site-old-0badf00d" / "site").mkdir(parents=True)
    (project / ".site-old-0badf00d" / "site" / "index.html").write_text("old", encoding="utf-8")

    running = _start_build(project)
    try:
        in_use = _wait_for_new_build_folder(project, running, {left})
        os.kill(running.pid, signal.SIGSTOP)  # alive and holding its folder, as a slow build would
        done = run_hub(["build"], project)
        assert done.returncode == 0, done.stderr
        assert wait_until(lambda: not (project / left).exists() and not (project / ".site-old-0badf00d").exists(),
                          30)  # fmt: skip
        assert (project / in_use).is_dir()  # the running build's folder was left alone
    finally:
        os.kill(running.pid, signal.SIGCONT)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    assert wait_until(lambda: _build_folders(project) == set(), 30)
    assert wait_until(lambda: [path.name for path in project.iterdir() if "-old-" in path.name] == [], 30)
    assert (project / "site" / "index.html").is_file()


def test_a_build_stopped_with_sigterm_removes_its_folder_at_once(tmp_path: Path) -> None:
    project = tmp_path / "hub"
    copy_sample(project)
    build = _start_build(project)
    _wait_for_new_build_folder(project, build, set())
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode != 0
    assert "Traceback" not in err
    assert _build_folders(project) == set()
    assert not (project / "site").exists()


# --- 10c. site/ is readable by others: the umask decides, not mkdtemp's 0700 -----------------


def test_the_site_folders_and_files_follow_the_umask(tmp_path: Path) -> None:
    project = tmp_path / "hub"
    copy_sample(project)  # with its search index, whose files Pagefind writes
    done = subprocess.run(["sh", "-c", f'umask 027 && exec "{HUB}" build'], cwd=project, env=hub_env(),  # noqa: S603, S607
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    wrong = [(str(path.relative_to(project)), oct(path.stat().st_mode & 0o777))
             for path in [site, *site.rglob("*")]
             if path.stat().st_mode & 0o777 != (0o750 if path.is_dir() else 0o640)]  # fmt: skip
    assert wrong == []


# --- 10d. Pagefind never outlives the build ----------------------------------------------------


def test_a_killed_build_takes_its_pagefind_with_it(tmp_path: Path) -> None:
    project = tmp_path / "hub"
    copy_sample(project)  # no cache: Pagefind runs
    build = _start_build(project)
    pagefind: list[int] = []

    def pagefind_started() -> bool:
        pagefind.extend(pid for pid in children_of(build.pid) if executable(pid).startswith("pagefind"))
        return bool(pagefind) or build.poll() is not None

    try:
        assert wait_until(pagefind_started, 120, 0.002)
        assert pagefind, "the build ended before Pagefind was seen"
        # Stopped, it cannot finish on its own: only being killed with the build ends it.
        os.kill(pagefind[0], signal.SIGSTOP)
        build.kill()
        build.wait(timeout=30)
        assert wait_until(lambda: not is_running(pagefind[0]), 10)
    finally:
        for pid in pagefind:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
    # What it was writing in the cache is removed by the next build, as its build folder is.
    # (Pagefind was stopped before it wrote: here is what it leaves when killed half-way.)
    search_cache = project / ".cache" / "hub" / "search"
    half_written = search_cache / f"{'0' * 32}.bundle.{build.pid}"
    half_written.mkdir(parents=True)
    (half_written / "pagefind.js").write_text("half", encoding="utf-8")
    done = run_hub(["build"], project)
    assert done.returncode == 0, done.stderr
    assert [path.name for path in search_cache.iterdir() if path.name.endswith(f".{build.pid}")] == []
    assert wait_until(lambda: _build_folders(project) == set(), 30)


# --- 10e. `hub serve` stopped with SIGTERM removes its temporary folder ------------------------


def test_serve_stopped_with_sigterm_removes_its_folder(tmp_path: Path) -> None:
    small_hub(tmp_path / "hub")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    serve = subprocess.Popen([str(HUB), "serve", "--port", str(port)], cwd=tmp_path / "hub",  # noqa: S603
                             env=hub_env(TMPDIR=str(temporary)), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    try:
        assert wait_until(lambda: fetch(f"http://127.0.0.1:{port}/") is not None or serve.poll() is not None, 120, 0.2)
        assert serve.poll() is None, serve.stderr.read() if serve.stderr else ""
        folders = [path for path in temporary.iterdir() if path.name.startswith("hub-serve-")]
        assert len(folders) == 1 and (folders[0] / "index.html").is_file()
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
        assert not folders[0].exists()
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=30)
