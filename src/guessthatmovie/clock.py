"""The app's one clock, for the web and the CLI alike: injectable through config["CLOCK"]."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import current_app

from guessthatmovie.game import schedule


def system_clock() -> datetime:
    """Return the current instant in UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """Return the current instant from the configured clock."""
    clock: Callable[[], datetime] = current_app.config["CLOCK"]
    return clock()


def today() -> date:
    """Return today's puzzle day in the configured timezone."""
    return schedule.puzzle_date(now(), current_app.config["GAME_TIMEZONE"])
