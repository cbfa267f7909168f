"""`flask league ...`: find a league and, on a report of abuse, delete it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from guessthatmovie.store import leagues as league_store

league = AppGroup("league", help="Find and delete players' leagues.")


@league.command("list")
@click.option("--name", "name_contains", default="", help="Only leagues whose name holds this.")
def list_command(name_contains: str) -> None:
    """List leagues, newest first: id, members, first day and name (tab-separated)."""
    found = league_store.listed(name_contains)
    for item in found:
        click.echo(f"{item.id}\t{item.members}\t{item.first_day.isoformat()}\t{item.name}")
    click.echo(f"{len(found)} league(s).", err=True)


@league.command("delete")
@click.argument("league_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--yes", is_flag=True, help="Delete without asking.")
def delete_command(league_id: int, yes: bool) -> None:
    """Delete a league and its memberships (the players' games stay theirs)."""
    if not yes:
        click.confirm(f"Delete league {league_id} for all its members?", abort=True)
    if not league_store.delete_league(league_id):
        raise click.ClickException(f"There is no league {league_id}.")
    click.echo(f"Deleted league {league_id}.")
