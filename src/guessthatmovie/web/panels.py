"""Panels several pages show: the finished-game panel beside the answer, the statistics, the
countdown and the share card. Not a blueprint: the blueprints that show them import them here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from guessthatmovie.board import Board
from guessthatmovie.clock import now, today
from guessthatmovie.game import countdown, result_link, rules, schedule, share, streaks
from guessthatmovie.store import leagues as leagues_store
from guessthatmovie.store import puzzles
from guessthatmovie.store import stats as stats_store
from guessthatmovie.store.day_puzzle import DayPuzzle
from guessthatmovie.web.edge import absolute_url
from guessthatmovie.web.player import current_player_id


@dataclass(frozen=True)
class ShareCard:
    """The result to share: the text for the box and the button, and the grid for the page."""

    text: str
    headline: str
    squares: tuple[share.Square, ...]


@dataclass(frozen=True)
class Countdown:
    """Time left until the next puzzle, as the page shows it and as the script ticks it."""

    seconds: int
    text: str
    at: datetime


def share_url(number: int, outcomes: Sequence[rules.Outcome]) -> str:
    """Return the link a shared result carries: its result page, spelt from outcomes only."""
    grid = result_link.spell_grid(outcomes)
    return absolute_url("results.result_page", number=number, grid=grid)


def share_card(board: Board, archive: bool) -> ShareCard:
    """Build the share text of a finished game from its outcomes only."""
    outcomes = [guess.outcome for guess in board.guesses]
    url = share_url(board.number, outcomes)
    return ShareCard(
        text=share.share_text(board.number, outcomes, board.attempts, url, archive),
        headline=share.headline(board.number, outcomes, board.attempts, archive),
        squares=share.grid(outcomes, board.attempts),
    )


def time_to_next_puzzle() -> Countdown:
    """Return the countdown to the next puzzle from the injected clock and GAME_TIMEZONE."""
    moment, zone = now(), current_app.config["GAME_TIMEZONE"]
    seconds = countdown.seconds_left(moment, zone)
    return Countdown(seconds, countdown.clock_text(seconds), countdown.next_puzzle_at(moment, zone))


def today_number() -> int:
    """Return the number today's puzzle has (or will have)."""
    return schedule.puzzle_number(today(), current_app.config["GAME_LAUNCH_DATE"])


def player_figures() -> tuple[list[streaks.Result], streaks.Stats]:
    """Return this player's finished games and the statistics they make."""
    results = stats_store.player_results(current_player_id())
    attempts = current_app.config["GAME_ATTEMPTS"]
    return results, streaks.player_stats(results, today_number(), attempts)


def result_context(puzzle: DayPuzzle, board: Board) -> dict[str, Any]:
    """Return what the finished-game panel shows besides the answer (nothing mid-game)."""
    if not board.finished:
        return {}
    results, player_stats = player_figures()
    this = next((r for r in results if r.number == board.number), None)
    archive = this.archive if this is not None else False
    used = len(board.guesses) if board.status is rules.Status.WON else 0
    attempts = current_app.config["GAME_ATTEMPTS"]
    figures = stats_store.puzzle_figures(puzzle.id, attempts)
    return {
        "share": share_card(board, archive),
        "stats": player_stats,
        "stats_bars": streaks.bars(player_stats.distribution, player_stats.losses, current=used),
        "figures": figures,
        "figures_bars": streaks.bars(figures.distribution, figures.lost),
        "countdown": time_to_next_puzzle(),
        "archive_play": archive,
    }


def stats_page_context() -> dict[str, Any]:
    """Return what the statistics page shows (also under a transfer form's answer)."""
    results, player_stats = player_figures()
    todays = puzzles.puzzle_on(today())
    figures = None
    if todays is not None and any(r.number == todays.number for r in results):
        figures = stats_store.puzzle_figures(todays.id, current_app.config["GAME_ATTEMPTS"])
    return {
        "stats": player_stats,
        "stats_bars": streaks.bars(player_stats.distribution, player_stats.losses),
        "figures": figures,
        "figures_bars": streaks.bars(figures.distribution, figures.lost) if figures else [],
        "todays_number": todays.number if todays is not None else None,
        "countdown": time_to_next_puzzle(),
        "joined": leagues_store.leagues_of(current_player_id()),
    }
