"""Puzzle queries: the day's puzzle, scheduling (safe under races) and operator changes."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from guessthatmovie import cache
from guessthatmovie.extensions import db
from guessthatmovie.game import schedule
from guessthatmovie.models import Movie, Play, Puzzle, ReviewSnippet
from guessthatmovie.store import candidates, day_puzzle
from guessthatmovie.store.day_puzzle import DayPuzzle
from guessthatmovie.store.snippets import franchise_index


class ScheduleError(Exception):
    """Raised when a puzzle cannot be scheduled as asked."""


def puzzle_where(condition: ColumnElement[bool]) -> Puzzle | None:
    """Return the puzzle a condition finds, with its movie's snippets and sources, in session."""
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
        found = puzzle_where(condition())
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
# The known-ness floor (PUZZLE_MIN_RATINGS): films at least ~this many people rated, or the
# equivalent in critics or box office (game/known.py). Films without any count pass.
POPULAR_RATINGS = 20_000


def eligible_movie_ids(
    snippets_needed: int,
    min_critic_count: int = POPULAR_CRITIC_COUNT,
    since: int | None = None,
    min_ratings: int = POPULAR_RATINGS,
) -> list[int]:
    """Return movies that can be a puzzle: full facts, enough snippets, known, never used."""
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
        or_(Movie.known_ratings.is_(None), Movie.known_ratings >= min_ratings),
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
    snippets_needed: int,
    min_critic_count: int,
    since: int | None = None,
    min_ratings: int = POPULAR_RATINGS,
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
            Movie.known_ratings,
        ).outerjoin(clue_counts, clue_counts.c.movie_id == Movie.id)
    ).all()
    filters: list[tuple[str, Callable[[Row[Any]], bool]]] = [
        ("lack a year, scores or genres", lambda r: None in r[1:4] or not r[4]),
        (f"have fewer than {snippets_needed} clean review clues", lambda r: r[6] < snippets_needed),
        ("are already a puzzle", lambda r: r[0] in used),
    ]
    if since is not None:
        filters.append((f"are older than --since {since}", lambda r: r[1] < since))
    filters.append(
        (
            f"were rated by fewer than ~{min_ratings:,} people",
            lambda r: r[7] is not None and r[7] < min_ratings,
        )
    )
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
    ids = set(eligible_movie_ids(snippets_needed, min_critic_count=0, min_ratings=0))
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


@dataclass(frozen=True)
class PickRules:
    """What the pick may choose: clues a game needs, the floors, --since and the weekly curve."""

    snippets_needed: int
    min_critic_count: int = POPULAR_CRITIC_COUNT
    min_ratings: int = POPULAR_RATINGS
    since: int | None = None
    curve: bool = False
    # Players asking for today's page get a film even where variety leaves none (web/play.py).
    relax: bool = False


@dataclass
class Pool:
    """The films left to pick from and the calendar around the days being scheduled."""

    candidates: dict[int, schedule.Candidate]
    calendar: dict[date, schedule.Candidate]
    refused: Counter[str] = field(default_factory=Counter)  # candidate-days, by variety rule
    stuck: date | None = None  # the first day the variety rules left no film for


def read_pool(first: date, last: date, rules: PickRules) -> Pool:
    """Read the eligible films and the calendar around `first`..`last` (one franchise index)."""
    franchise = franchise_index()
    ids = eligible_movie_ids(rules.snippets_needed, rules.min_critic_count, rules.since,
                             rules.min_ratings)  # fmt: skip
    return Pool(
        candidates.candidates_of(ids, franchise),
        candidates.calendar_around(first, last, franchise),
    )


def _add_day(day: date, launch: date, movie_id: int, now: datetime) -> bool:
    """Write a day's puzzle; False when another worker took the day or the film first."""
    number = schedule.puzzle_number(day, launch)
    db.session.add(Puzzle(day=day, number=number, movie_id=movie_id, created_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def ensure_puzzle(
    day: date,
    launch: date,
    rules: PickRules,
    secret: bytes,
    now: datetime,
    pool: Pool | None = None,
) -> DayPuzzle | None:
    """Return the day's puzzle, choosing its movie now if nobody has yet (safe under races).

    `pool` lets a caller scheduling many days read the films once; it is read again after a
    race, and keeps what the variety rules refused.
    """
    for _attempt in range(5):
        puzzle = puzzle_on(day)
        if puzzle is not None:
            return puzzle
        if pool is None:
            pool = read_pool(day, day, rules)
        choice = schedule.choose(
            day, list(pool.candidates.values()), pool.calendar, secret, rules.curve, rules.relax
        )
        pool.refused.update(choice.refused)
        if choice.movie_id is None:
            pool.stuck = day if pool.candidates else None
            return None
        if _add_day(day, launch, choice.movie_id, now):
            pool.calendar[day] = pool.candidates.pop(choice.movie_id)
        else:
            # Another worker scheduled this day (or took this movie) first: read both again.
            fresh = read_pool(day, day, rules)
            pool.candidates = fresh.candidates
            pool.calendar.update(fresh.calendar)
    return puzzle_on(day)


def schedule_days(
    first: date,
    days: int,
    launch: date,
    secret: bytes,
    now: datetime,
    rules: PickRules,
) -> tuple[list[DayPuzzle], Pool]:
    """Make sure puzzles exist for `days` days from `first`; return those that exist."""
    puzzles = []
    # One read of the films for the whole run, not one per day: it scans the catalogue.
    last = first + timedelta(days=days - 1)
    pool = read_pool(first, last, rules)
    for offset in range(days):
        day = first + timedelta(days=offset)
        puzzle = ensure_puzzle(day, launch, rules, secret, now, pool)
        if puzzle is None:
            break
        puzzles.append(puzzle)
    return puzzles, pool


def set_puzzle(day: date, movie: Movie, launch: date, now: datetime) -> Puzzle:
    """Put a movie on a day, refusing a day already played or a movie already used."""
    existing = puzzle_where(Puzzle.day == day)  # in this session, to be changed
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
