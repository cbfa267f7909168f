"""`flask catalog ...`: load movies and their review snippets."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from guessthatmovie.importers.sample import read_sample
from guessthatmovie.store import catalogue

catalog = AppGroup("catalog", help="Load and inspect the movie catalogue.")


@catalog.command("load-sample")
def load_sample() -> None:
    """Load the bundled sample catalogue (safe to run again: nothing is duplicated)."""
    summary = catalogue.load_movies(read_sample())
    click.echo(
        f"Sample catalogue: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.snippets_added} snippets added."
    )
