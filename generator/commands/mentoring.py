"""`hub mentoring match` and `hub mentoring kit`: a coordinator pairs a cohort, then hands out kits."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click

from generator.commands.context import CliContext, pass_cli
from generator.content.errors import HubError
from generator.content.project import build_time
from generator.mentoring.answers import read_answers
from generator.mentoring.kit import file_stem, meetings_calendar, plan_markdown
from generator.mentoring.matching import assign
from generator.mentoring.pairs import pairs_csv, read_pairs
from generator.mentoring.scoring import Mentor
from generator.site.mentors import names_for, public_mentors
from generator.site.plan import load_checked


@click.group()
def mentoring() -> None:
    """Pair mentees with the hub's mentors, and give each pair its plan and calendar."""


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@mentoring.command()
@click.argument("answers_file", metavar="ANSWERS.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="PAIRS.csv",
              help="Write the pairs here (default: print them).")  # fmt: skip
@pass_cli
def match(cli: CliContext, answers_file: Path, out: Path | None) -> None:
    """Pair every mentee in ANSWERS.csv with a public mentor, for the highest total score within capacity.

    Columns: id, as, stage, to (required), name, email, from, languages, topics,
    format, commit; lists are ;-separated. Nothing is written while any row is bad.
    """
    project = cli.project()
    hub = load_checked(project.content_dir, project.settings, project.language).hub
    mentees = read_answers(answers_file, frozenset(hub.topics))
    mentors = [Mentor.of(person) for person in public_mentors(hub.public_people())]
    pairings = assign(mentees, mentors, names_for(mentors, hub.topics, project.language))
    text = pairs_csv(pairings)
    if out is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(out, text.encode("utf-8"))
    paired = [pairing for pairing in pairings if pairing.mentor is not None]
    total = sum(pairing.score for pairing in paired)
    click.echo(f"Paired {len(paired)} of {len(mentees)} mentees with {len(mentors)} mentors "
               f"(total score {total}); {len(mentees) - len(paired)} unmatched.", err=True)  # fmt: skip


def _start_date(ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected an ISO date like 2027-01-15, got {value!r}") from None


@mentoring.command()
@click.argument("pairs_file", metavar="PAIRS.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", required=True, callback=_start_date, metavar="DATE", help="The first meeting (ISO date).")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
def kit(pairs_file: Path, start: date, out: Path) -> None:
    """Write each pair's plan (Markdown) and a year of meetings (iCalendar) into DIR."""
    pairs, unmatched = read_pairs(pairs_file)
    if not pairs:
        raise HubError(f"{pairs_file}: no pairs to write a kit for")
    stamp = build_time()
    for pair in pairs:
        _write_atomically(out / f"{file_stem(pair)}.md", plan_markdown(pair, start).encode("utf-8"))
        _write_atomically(out / f"{file_stem(pair)}.ics", meetings_calendar(pair, start, stamp))
    skipped = f"; {unmatched} unmatched mentee(s) skipped" if unmatched else ""
    click.echo(f"Wrote the kits of {len(pairs)} pair(s) into {out}{skipped}.", err=True)
