"""`flask stats ...`: look after the per-puzzle result counters."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from guessthatmovie.store import stats as stats_store

stats = AppGroup("stats", help="Look after the players' result counters.")


@stats.command("recount")
def recount_command() -> None:
    """Rebuild the global figures' counters from the stored plays (after restoring or pruning)."""
    games = stats_store.recount()
    click.echo(f"Counted {games} finished game(s).")
