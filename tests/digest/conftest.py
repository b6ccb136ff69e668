from __future__ import annotations

from pathlib import Path

import pytest

from community_digest.pipeline import BuildRequest, BuildResult, build_issue
from generator.content.project import Project, load_project

from .hubproject import CASES, make_project

PARTNERS = [str(CASES / "partner-no-guids.rss.xml"), str(CASES / "partner-script-form.atom.xml")]


@pytest.fixture
def q3_project(tmp_path: Path) -> Project:
    """The Q3 2025 sample issue: the hub's fixture feed plus two partner feeds."""
    return load_project(make_project(tmp_path, partners=PARTNERS))


@pytest.fixture
def built_q3(q3_project: Project) -> BuildResult:
    return build_issue(q3_project, BuildRequest(issue="2025-q3"))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Rewrite golden files: `UPDATE_GOLDEN=1 pytest tests/digest` (or --update-golden,
    when the suite's conftest defines that option)."""
    import os

    return bool(os.environ.get("UPDATE_GOLDEN")) or bool(
        request.config.getoption("--update-golden", default=False)
    )
