"""A small hub with mentors of every kind: public, private, not open, a draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hubkit import write_hub

MENTOR_FILES = {
    "people/ana.md": """\
        ---
        name: Ana Lima
        roles: [mentor]
        location: JP
        lived_in: [BR]
        languages: [pt, en]
        expertise: [partner-career]
        email: ana@example.org
        mentoring:
          mentees: [partners]
          capacity: 2
          formats: [virtual, in-person]
        ---
        Ana mentors partners in Osaka.
        """,
    "people/bo.md": """\
        ---
        name: Bo Berg
        roles: [mentor]
        location: DE
        languages: [de, en]
        mentoring: true
        ---
        Bo mentors from Hamburg.
        """,
    "people/hidden.md": """\
        ---
        name: Hidden Mentor
        roles: [mentor]
        location: JP
        languages: [pt]
        email: hidden@example.org
        mentoring: {capacity: 5}
        public: false
        ---
        Private.
        """,
    "people/drafted.md": """\
        ---
        name: Drafted Mentor
        roles: [mentor]
        languages: [pt]
        mentoring: true
        draft: true
        ---
        Not yet.
        """,
    "people/closed.md": """\
        ---
        name: Closed Door
        roles: [coach]
        location: JP
        languages: [pt]
        mentoring: false
        ---
        Not mentoring.
        """,
}


@pytest.fixture
def mentor_hub(tmp_path: Path) -> Path:
    """The folder of a hub whose only public mentors are ana (capacity 2) and bo (capacity 1)."""
    write_hub(tmp_path, MENTOR_FILES)
    return tmp_path
