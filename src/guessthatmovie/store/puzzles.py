"""Puzzle queries: the day's puzzle, scheduling (safe under races) and operator changes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from guessthatmovie import cache
from guessthatmovie.extensions import db
from guessthatmovie.game import schedule
from guessthatmovie.models import Movie, Play, Puzzle, ReviewSnippet
from guessthatmovie.store import day_puzzle
from guessthatmovie.store.day_puzzle import DayPuzzle


class ScheduleError(Exception):
    """Raised when a puzzle cannot be scheduled as asked."""


def _puzzle_where(condition: ColumnElement[bool]) -> Puzzle | None:
    return db.session.scalars(
        select(Puzzle)
        .where(condition)
        .options(
            joinedload(Puzzle.movie).selectinload(Movie.snippets),
            joinedload(Puzzle.movie).selectinload(Movie.sources),
        )
    ).first()


# Every player's page and move needs the day's puzzle, movie and snippets. Each worker keeps the
# puzzles it served as plain, immutable values (store/day_puzzle.py, clues already redacted) for
# MEMO_SECONDS: read as they are, with no query and no decoding. Behind the memo sits the shared
# cache (Redis), as a dict of plain values keyed by day_puzzle.SCHEMA, so a new worker does not
# query the database either and a deploy that changes the shape never reads an older entry.
# Changes through set_puzzle() and catalogue loads drop both here at once; other workers and
# instances drop their memo within MEMO_SECONDS, and the cache's timeout bounds anything else.
PUZZLE_CACHE_SECONDS = 600
MEMO_SECONDS = 10.0
MEMO_SIZE = 32
_MEMO = "guessthatmovie.puzzles"


def _day_key(day: date) -> str:
    return f"puzzle:v{day_puzzle.SCHEMA}:day:{day.isoformat()}"


def _number_key(number: int) -> str:
    return f"puzzle:v{day_puzzle.SCHEMA}:number:{number}"


def _memo() -> dict[str, tuple[float, DayPuzzle]]:
    memo: dict[str, tuple[float, DayPuzzle]] = current_app.extensions.setdefault(_MEMO, {})
    return memo


def _cached_puzzle(key: str, condition: Callable[[], ColumnElement[bool]]) -> DayPuzzle | None:
    """Return a puzzle from this worker's memo, else the shared cache, else the database.

    `condition` builds the WHERE clause only when the database is asked: building it on every
    call cost a page more than the memo's lookup."""
    memo = _memo()
    kept = memo.get(key)
    if kept is not None and time.monotonic() < kept[0]:
        return kept[1]
    puzzle = day_puzzle.from_plain(cache.get(key))
    if puzzle is None:
        found = _puzzle_where(condition())
        if found is None:
            return None
        puzzle = day_puzzle.from_model(found)
        cache.put(key, day_puzzle.to_plain(puzzle), PUZZLE_CACHE_SECONDS)
    now = time.monotonic()
    if len(memo) >= MEMO_SIZE:
        # Archive pages bring older puzzles in; only those of the last few seconds stay.
        for stale in [k for k, (until, _kept) in memo.items() if until <= now]:
            del memo[stale]
    memo[key] = (now + MEMO_SECONDS, puzzle)
    return puzzle


def forget_puzzle(puzzle: Puzzle | DayPuzzle) -> None:
    """Drop a puzzle from this worker's memo and the shared cache after it changed."""
    keys = (_day_key(puzzle.day), _number_key(puzzle.number))
    for key in keys:
        _memo().pop(key, None)
    cache.forget(*keys)


def forget_memo() -> None:
    """Drop every puzzle this worker keeps (after a catalogue change)."""
    _memo().clear()


def puzzle_on(day: date) -> DayPuzzle | None:
    """Return the puzzle of a day with its movie and snippets, if one is scheduled."""
    return _cached_puzzle(_day_key(day), lambda: Puzzle.day == day)


def puzzle_numbered(number: int) -> DayPuzzle | None:
    """Return the puzzle with a number, with its movie and snippets."""
    return _cached_puzzle(_number_key(number), lambda: Puzzle.number == number)


# Popularity rule: a puzzle is a movie at least this many critics reviewed, so players can know
# it. Movies without a count (hand-made catalogues such as the sample) are not held back.
POPULAR_CRITIC_COUNT = 50


def eligible_movie_ids(
    snippets_needed: int,
    min_critic_count: int = POPULAR_CRITIC_COUNT,
    since: int | None = None,
) -> list[int]:
    """Return movies that can be a puzzle: full facts, enough snippets, popular, never used."""
    used = select(Puzzle.movie_id)
    with_snippets = (
        select(ReviewSnippet.movie_id)
        .group_by(ReviewSnippet.movie_id)
        .having(func.count() >= snippets_needed)
    )
    query = select(Movie.id, Movie.genres).where(
        Movie.year.is_not(None),
        Movie.critic_score.is_not(None),
        Movie.audience_score.is_not(None),
        Movie.id.in_(with_snippets),
        Movie.id.not_in(used),
        or_(Movie.critic_count.is_(None), Movie.critic_count >= min_critic_count),
    )
    if since is not None:
        query = query.where(Movie.year >= since)
    rows = db.session.execute(query).all()
    return [movie_id for movie_id, genres in rows if genres]


@dataclass(frozen=True)
class Shortfall:
    """Why movies are not eligible: (filter, movies it removed) in order, and what is left."""

    total: int
    removed: list[tuple[str, int]]
    # Critic counts of the movies that pass every filter but popularity (None: no count).
    counts: list[int | None]


def eligibility_shortfall(
    snippets_needed: int, min_critic_count: int, since: int | None = None
) -> Shortfall:
    """Count the catalogue movies each eligibility filter removes, in the order they apply."""
    clue_counts = (
        select(ReviewSnippet.movie_id, func.count().label("clues"))
        .group_by(ReviewSnippet.movie_id)
        .subquery()
    )
    used = set(db.session.scalars(select(Puzzle.movie_id)))
    rows = db.session.execute(
        select(
            Movie.id,
            Movie.year,
            Movie.critic_score,
            Movie.audience_score,
            Movie.genres,
            Movie.critic_count,
            func.coalesce(clue_counts.c.clues, 0),
        ).outerjoin(clue_counts, clue_counts.c.movie_id == Movie.id)
    ).all()
    filters: list[tuple[str, Callable[[Row[Any]], bool]]] = [
        ("lack a year, scores or genres", lambda r: None in r[1:4] or not r[4]),
        (f"have fewer than {snippets_needed} clean review clues", lambda r: r[6] < snippets_needed),
        ("are already a puzzle", lambda r: r[0] in used),
    ]
    if since is not None:
        filters.append((f"are older than --since {since}", lambda r: r[1] < since))
    left = list(rows)
    removed = []
    for label, drop in filters:
        kept = [row for row in left if not drop(row)]
        removed.append((label, len(left) - len(kept)))
        left = kept
    popular = [r for r in left if r[5] is None or r[5] >= min_critic_count]
    removed.append(
        (f"were reviewed by fewer than {min_critic_count} critics", len(left) - len(popular))
    )
    return Shortfall(len(rows), removed, [r[5] for r in left])


def auditable_movies(snippets_needed: int, today: date, batch: int = 500) -> Iterator[Movie]:
    """Yield, with their snippets, every movie that can be a puzzle or is one from today on."""
    ids = set(eligible_movie_ids(snippets_needed, min_critic_count=0))
    ids.update(db.session.scalars(select(Puzzle.movie_id).where(Puzzle.day >= today)))
    ordered = sorted(ids)
    for start in range(0, len(ordered), batch):
        chunk = ordered[start : start + batch]
        yield from db.session.scalars(
            select(Movie)
            .where(Movie.id.in_(chunk))
            .options(selectinload(Movie.snippets))
            .order_by(Movie.title, Movie.id)
        )
        db.session.expunge_all()  # a big catalogue is audited in bounded memory


def ensure_puzzle(
    day: date,
    launch: date,
    snippets_needed: int,
    secret: bytes,
    now: datetime,
    eligible: list[int] | None = None,
    min_critic_count: int = POPULAR_CRITIC_COUNT,
    since: int | None = None,
) -> DayPuzzle | None:
    """Return the day's puzzle, choosing its movie now if nobody has yet (safe under races).

    `eligible` lets a caller scheduling many days pass the list once; it is refreshed after a race.
    """
    for _attempt in range(5):
        puzzle = puzzle_on(day)
        if puzzle is not None:
            return puzzle
        if eligible is None:
            eligible = eligible_movie_ids(snippets_needed, min_critic_count, since)
        movie_id = schedule.pick_movie(day, eligible, secret)
        if movie_id is None:
            return None
        db.session.add(
            Puzzle(
                day=day,
                number=schedule.puzzle_number(day, launch),
                movie_id=movie_id,
                created_at=now,
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            # Another worker scheduled this day (or took this movie for another day) first.
            db.session.rollback()
            eligible = None
        else:
            eligible.remove(movie_id)
    return puzzle_on(day)


def schedule_days(
    first: date,
    days: int,
    launch: date,
    snippets_needed: int,
    secret: bytes,
    now: datetime,
    min_critic_count: int = POPULAR_CRITIC_COUNT,
    since: int | None = None,
) -> list[DayPuzzle]:
    """Make sure puzzles exist for `days` days from `first`; return those that exist."""
    puzzles = []
    # One eligibility query for the whole run, not one per day: it scans the catalogue.
    eligible = eligible_movie_ids(snippets_needed, min_critic_count, since)
    for offset in range(days):
        day = date.fromordinal(first.toordinal() + offset)
        puzzle = ensure_puzzle(
            day,
            launch,
            snippets_needed,
            secret,
            now,
            eligible,
            min_critic_count=min_critic_count,
            since=since,
        )
        if puzzle is None:
            break
        puzzles.append(puzzle)
    return puzzles


def set_puzzle(day: date, movie: Movie, launch: date, now: datetime) -> Puzzle:
    """Put a movie on a day, refusing a day already played or a movie already used."""
    existing = _puzzle_where(Puzzle.day == day)  # in this session, to be changed
    if existing is not None:
        played = db.session.scalar(select(func.count()).where(Play.puzzle_id == existing.id))
        if played:
            raise ScheduleError(f"{day} has already been played by {played} player(s).")
    other = db.session.scalars(select(Puzzle).where(Puzzle.movie_id == movie.id)).first()
    if other is not None and other.day != day:
        raise ScheduleError(f"{movie.label} is already the puzzle of {other.day}.")
    if existing is None:
        existing = Puzzle(day=day, number=schedule.puzzle_number(day, launch), created_at=now)
        db.session.add(existing)
    existing.movie_id = movie.id
    db.session.commit()
    forget_puzzle(existing)
    return existing
