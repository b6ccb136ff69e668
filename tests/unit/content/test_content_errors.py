"""`hub check` on broken content: each case file in tests/cases/content_errors carries its messages.

A case is dropped, byte for byte, into a small valid hub; `hub check` must print
exactly the `Expect:` lines (file:line: field: expected..., got ...), in order,
and exit with the expected code, without a traceback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import hub
from tests.hubkit import ROOT, write_hub

CASES = Path(__file__).resolve().parents[2] / "cases" / "content_errors"
HEADER = re.compile(r"^(?:#|<!--)\s*(Description|Path|Expect|Args|Exit):\s*(.*?)\s*(?:-->)?\s*$")

TOPICS = {
    topic: {"title": topic.replace("-", " ").capitalize(), "description": f"About {topic}."}
    for topic in (
        "partner-career", "integration", "mentoring", "intercultural-agility", "repatriation",
        "language-learning", "family-life", "wellbeing", "networks",
    )
}  # fmt: skip

VALID_HUB = {
    "people/ana.md": """\
        ---
        name: Ana Lima
        roles: [author, coach]
        location: NO
        ---
        Ana coaches partners.
        """,
    "people/bo.md": """\
        ---
        name: Bo Berg
        roles: [partner]
        ---
        Bo moved to Oslo.
        """,
    "articles/ok.md": """\
        ---
        title: Work permits for partners
        date: 2025-11-12
        authors: [ana]
        topics: [partner-career]
        countries: [NO, DE]
        ---
        What to ask before the move.
        """,
    "stories/ok.md": """\
        ---
        title: Bo in Oslo
        date: 2025-11-12T09:30:00+01:00
        partner: bo
        from: DE
        to: NO
        interviewer: ana
        topics: [integration]
        ---
        A first winter.
        """,
}


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    path: str
    expect: list[str]
    args: list[str]
    exit_code: int
    description: str


def read_case(file: Path) -> Case:
    raw = file.read_bytes()
    headers: dict[str, list[str]] = {}
    for line in raw.decode("utf-8", errors="replace").splitlines():
        match = HEADER.match(line)
        if match:
            headers.setdefault(match.group(1), []).append(match.group(2))
    expect = headers.get("Expect", [])
    errors = [line for line in expect if ": warning: " not in line]
    exit_code = int(headers["Exit"][0]) if "Exit" in headers else (1 if errors else 0)
    return Case(
        name=file.stem,
        raw=raw,
        path=headers["Path"][0],
        expect=expect,
        args=" ".join(headers.get("Args", [])).split(),
        exit_code=exit_code,
        description=headers.get("Description", [""])[0],
    )


ALL_CASES = [read_case(file) for file in sorted(CASES.glob("*.md")) if file.name != "README.md"]


def make_hub(root: Path) -> Path:
    return write_hub(root, VALID_HUB, topics=TOPICS)


def drop(root: Path, case: Case) -> None:
    target = root / "content" / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.raw)


def check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(root)
    return CliRunner().invoke(hub, ["check", *args])


def issue_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("content/")]


@pytest.fixture
def valid_hub(tmp_path: Path) -> Path:
    make_hub(tmp_path)
    (tmp_path / "content" / "media").mkdir()
    (tmp_path / "content" / "media" / "photo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return tmp_path


def test_every_case_has_a_path_and_an_expectation():
    assert len(ALL_CASES) >= 30
    for case in ALL_CASES:
        assert case.path and case.expect and case.description, case.name


def test_the_valid_hub_is_clean(valid_hub: Path, monkeypatch: pytest.MonkeyPatch):
    result = check(valid_hub, monkeypatch, "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "OK: 1 articles, 1 stories, 2 profiles, 9 topics\n"


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.name for case in ALL_CASES])
def test_content_error(case: Case, valid_hub: Path, monkeypatch: pytest.MonkeyPatch):
    drop(valid_hub, case)
    result = check(valid_hub, monkeypatch, *case.args)
    assert issue_lines(result.stderr) == case.expect
    assert result.exit_code == case.exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in case.expect if ": warning: " not in line]
    warnings = len(case.expect) - len(errors)
    if errors:
        assert result.stderr.splitlines()[-1] == f"{len(errors)} error(s) in the content"
    elif case.exit_code:
        assert result.stderr.splitlines()[-1] == f"{warnings} warning(s), failing in strict mode"
    else:
        assert result.stdout.startswith("OK: ")


def test_errors_are_collected_over_the_whole_tree(valid_hub: Path, monkeypatch: pytest.MonkeyPatch):
    cases = {case.name: case for case in ALL_CASES}
    chosen = [cases["story-country-uk"], cases["article-date-bad-month"], cases["profile-public-no"]]
    for case in chosen:
        drop(valid_hub, case)
    result = check(valid_hub, monkeypatch)
    # Sorted by file, then line: articles, people, stories.
    assert issue_lines(result.stderr) == [*chosen[1].expect, *chosen[2].expect, *chosen[0].expect]
    assert result.stderr.splitlines()[-1] == "3 error(s) in the content"
    assert result.exit_code == 1


def test_unknown_field_fails_a_strict_build(valid_hub: Path):
    from generator.content.errors import HubError
    from generator.engine.run import build_site

    drop(valid_hub, {case.name: case for case in ALL_CASES}["article-unknown-field"])
    with pytest.raises(HubError, match="Aborted with 2 warnings in strict mode!"):
        build_site(valid_hub / "mkdocs.yml", strict=True)
    build_site(valid_hub / "mkdocs.yml", strict=False)
    assert (valid_hub / "site" / "articles" / "unknown-field" / "index.html").is_file()


HUB = ROOT / ".venv" / "bin" / "hub"


def run_hub(root: Path, *commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run several `hub` commands at once (each is a fresh process, as an editor runs it)."""
    running = [(args, subprocess.Popen([str(HUB), *args], cwd=root, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)) for args in commands]  # fmt: skip
    done = []
    for args, process in running:
        stdout, stderr = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return done


def test_exit_codes_of_the_real_command(valid_hub: Path):
    clean, usage, missing = run_hub(valid_hub, ["check"], ["check", "--no-such-option"], ["-f", "nope.yml", "check"])
    assert (clean.returncode, clean.stderr) == (0, "")
    assert usage.returncode == 2
    assert "No such option '--no-such-option'" in usage.stderr
    assert (missing.returncode, missing.stderr) == (1, "nope.yml: no such configuration file\n")

    shutil.copy(CASES / "article-date-bad-month.md", valid_hub / "content" / "articles" / "bad.md")
    broken, build = run_hub(valid_hub, ["check"], ["build", "--no-strict"])
    assert broken.returncode == 1
    assert broken.stderr.splitlines() == [
        "content/articles/bad.md:6: date: expected an ISO date like 2025-11-12, got '2025-13-45'",
        "1 error(s) in the content",
    ]
    assert build.returncode == 1
    assert "content/articles/bad.md:6: date: expected an ISO date" in build.stderr
    for result in (usage, missing, broken, build):
        assert "Traceback" not in result.stderr + result.stdout
