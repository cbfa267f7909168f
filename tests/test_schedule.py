"""The daily calendar and the deterministic pick."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from guessthatmovie.game.schedule import date_of_number, pick_movie, puzzle_date, puzzle_number


def test_puzzle_date_follows_the_configured_timezone() -> None:
    instant = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert puzzle_date(instant, "UTC") == date(2026, 3, 10)
    assert puzzle_date(instant, "Europe/Berlin") == date(2026, 3, 11)
    assert puzzle_date(instant, "America/New_York") == date(2026, 3, 10)


def test_puzzle_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        puzzle_date(datetime(2026, 3, 10), "UTC")


def test_numbers_count_days_from_launch() -> None:
    launch = date(2026, 1, 1)
    assert puzzle_number(launch, launch) == 1
    assert puzzle_number(date(2026, 3, 10), launch) == 69
    assert date_of_number(69, launch) == date(2026, 3, 10)


def test_pick_is_deterministic_and_keyed() -> None:
    day = date(2026, 3, 10)
    eligible = list(range(1, 101))
    assert pick_movie(day, eligible, b"a") == pick_movie(day, list(reversed(eligible)), b"a")
    picks_a = {pick_movie(date(2026, 3, d), eligible, b"a") for d in range(1, 29)}
    picks_b = [pick_movie(date(2026, 3, d), eligible, b"b") for d in range(1, 29)]
    assert len(picks_a) > 10  # spread over the catalogue, not stuck on one movie
    assert picks_b != [pick_movie(date(2026, 3, d), eligible, b"a") for d in range(1, 29)]
    assert pick_movie(day, [], b"a") is None
