"""The operator's hand in the pick: a curated list on the free days, a future day replaced."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from guessthatmovie.extensions import db
from guessthatmovie.game import schedule
from guessthatmovie.models import Movie, MovieSource, Play, Puzzle
from guessthatmovie.store.day_puzzle import DayPuzzle
from guessthatmovie.store.puzzles import (
    PickRules,
    ScheduleError,
    forget_puzzle,
    puzzle_on,
    puzzle_where,
    read_pool,
)


def movie_by_source_id(external_id: str) -> Movie | None:
    """Return the film a dump names by this id (in any dump), if the catalogue has it."""
    query = select(MovieSource.movie_id).where(MovieSource.external_id == external_id)
    movie_id = db.session.scalars(query).first()
    return None if movie_id is None else db.session.get(Movie, movie_id)


def puzzle_days(movie_ids: list[int]) -> dict[int, date]:
    """Return the day each of these films is (or was) the puzzle of, for those that are."""
    query = select(Puzzle.movie_id, Puzzle.day).where(Puzzle.movie_id.in_(movie_ids))
    return {movie_id: day for movie_id, day in db.session.execute(query)}


def set_free_days(
    first: date, movies: list[Movie], launch: date, now: datetime
) -> list[tuple[date, int, str]]:
    """Put films on the days from `first` that have no puzzle, in one transaction: all or none.

    Return (day, number, label) of each; raise ScheduleError if a film is already a puzzle."""
    used = puzzle_days([movie.id for movie in movies])
    if used:
        taken = "; ".join(
            f"{m.label} is the puzzle of {used[m.id]}" for m in movies if m.id in used
        )
        raise ScheduleError(f"{taken}. Nothing was scheduled.")
    taken_days = set(db.session.scalars(select(Puzzle.day).where(Puzzle.day >= first)))
    placed = []
    day = first
    for movie in movies:
        while day in taken_days:
            day += timedelta(days=1)
        number = schedule.puzzle_number(day, launch)
        db.session.add(Puzzle(day=day, number=number, movie_id=movie.id, created_at=now))
        placed.append((day, number, movie.label))
        day += timedelta(days=1)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ScheduleError(
            "Another change came first; nothing was scheduled. Run again."
        ) from error
    return placed


def replace_day(
    day: date, today: date, secret: bytes, now: datetime, rules: PickRules
) -> DayPuzzle:
    """Give a future day, seen by nobody yet, another pick by the rules (not its present film)."""
    existing = puzzle_where(Puzzle.day == day)
    if day <= today:
        raise ScheduleError(f"{day} is not in the future: players may have seen it.")
    if existing is None:
        raise ScheduleError(f"No puzzle is scheduled for {day}; run `flask puzzle schedule`.")
    played = db.session.scalar(select(func.count()).where(Play.puzzle_id == existing.id))
    if played:
        raise ScheduleError(f"{day} has already been played by {played} player(s).")
    pool = read_pool(day, day, rules)
    del pool.calendar[day]
    pool.candidates.pop(existing.movie_id, None)
    choice = schedule.choose(
        day, list(pool.candidates.values()), pool.calendar, secret, rules.curve
    )
    if choice.movie_id is None:
        raise ScheduleError(f"No other film is allowed on {day} by the rules.")
    existing.movie_id = choice.movie_id
    db.session.commit()
    forget_puzzle(existing)
    found = puzzle_on(day)
    assert found is not None
    return found
