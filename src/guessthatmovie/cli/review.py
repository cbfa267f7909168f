"""`flask puzzle review`: past days' figures beside each film's known-ness."""

from __future__ import annotations

import json
from datetime import timedelta

import click
from flask.cli import with_appcontext

from guessthatmovie.clock import today
from guessthatmovie.game import review
from guessthatmovie.store.review import past_days


@click.command("review")
@click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The same figures as JSON, for a dashboard.")
@with_appcontext
def review_command(days: int, as_json: bool) -> None:
    """Show each of the last DAYS days: players, solved share, mean attempts, known-ness."""
    last = today() - timedelta(days=1)
    found = past_days(last - timedelta(days=days - 1), last)
    if as_json:
        click.echo(json.dumps([day.as_plain() for day in found], indent=2))
        return
    for day in found:
        click.echo(review.line(day))
    click.echo(f"{len(found)} past day(s) with a puzzle in the last {days}.")
