"""`hub new`: create a content file to fill in."""

from __future__ import annotations

import os
from datetime import datetime

import click

from generator.commands.context import CliContext, pass_cli
from generator.content import fields as f
from generator.content.new import KINDS, plan, unknown_topics, write


def _topic_ids(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--topics a,b --topics c` -> (a, b, c)."""
    ids = (part.strip() for value in values for part in value.split(","))
    return tuple(dict.fromkeys(topic for topic in ids if topic))


def _check_slug(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not f.SLUG.match(value):
        raise click.BadParameter(f"expected lowercase letters, digits and hyphens, got {value!r}")
    return value


@click.command("new")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("title")
@click.option(
    "-t",
    "--topics",
    multiple=True,
    metavar="IDS",
    help="Topic ids from topics.yml, comma-separated or repeated (a person: expertise).",
)
@click.option("--slug", callback=_check_slug, help="File name (without .md) instead of one made from TITLE.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date instead of today (a person: joined; a digest: the day it goes out).",
)
@click.option("--draft", is_flag=True, help="Write draft: true: never published as it is.")
@pass_cli
def new(cli: CliContext, kind: str, title: str, topics: tuple[str, ...], slug: str | None,
        day: datetime | None, draft: bool) -> None:  # fmt: skip
    """Create content/<section>/<slug>.md with placeholders to fill in.

    \b
    hub new article "Zürich: a first winter" --topics integration
        -> content/articles/zurich-a-first-winter.md
    hub new story "Ana's first year in Lisbon"      -> content/stories/anas-first-year-in-lisbon.md
    hub new person "Ana Lima"  (TITLE is the name)  -> content/people/ana-lima.md
    hub new digest 2026-Q4     (TITLE is the period: 2026-Q4, 2026-11 or 2026-W47)
        -> content/digests/2026-q4.md, titled "Perspectives — Q4 2026"
           (extra.hub.new.digest_title), dated the day after the period, or today if later

    The slug is ASCII ("Zürich" -> zurich); the date is today in extra.hub.timezone.
    Defaults come from extra.hub.new in mkdocs.yml (authors, topics, audience,
    interviewer). Every text still to write holds "TODO:", and required ids are left
    empty: `hub check` reports each of them until it is filled in. An existing file is
    never overwritten.
    """
    project = cli.project()
    ids = _topic_ids(topics)
    unknown = unknown_topics(project, ids or project.settings.new.topics)
    if unknown:
        where = "--topics" if ids else "extra.hub.new.topics"
        found = ", ".join(map(repr, unknown))
        raise click.BadParameter(f"expected topic ids from topics.yml, got {found}",
                                 param_hint=f"'{where}'")  # fmt: skip
    path = write(project, plan(project, kind, title, topics=ids, slug=slug,
                               day=day.date() if day else None, draft=draft))  # fmt: skip
    click.echo(os.path.relpath(path).replace(os.sep, "/"))
    click.echo('Fill in each "TODO:" and empty required field, then run `hub check`.', err=True)
