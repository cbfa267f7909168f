"""Operator commands, registered on the app as click groups."""

from __future__ import annotations

from flask import Flask

from guessthatmovie.cli.catalog import catalog
from guessthatmovie.cli.league import league
from guessthatmovie.cli.puzzle import puzzle
from guessthatmovie.cli.review import review_command
from guessthatmovie.cli.stats import stats


def register_commands(app: Flask) -> None:
    """Add the operator command groups to `flask`."""
    app.cli.add_command(catalog)
    puzzle.add_command(review_command)
    app.cli.add_command(puzzle)
    app.cli.add_command(stats)
    app.cli.add_command(league)
