"""Statistics queries: a player's finished games, the archive list, and per-puzzle counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from guessthatmovie import cache
from guessthatmovie.extensions import db
from guessthatmovie.game import streaks
from guessthatmovie.game.rules import Status
from guessthatmovie.models import Guess, Movie, Play, Puzzle, PuzzleResultCount
from guessthatmovie.store import compiled

# The status column's values of a finished game: the enum's spelling stays at this edge.
FINISHED = (Status.WON.value, Status.LOST.value)


_COUNTS, _PLAYS, _GUESSES, _PUZZLES = (
    PuzzleResultCount.__table__,
    Play.__table__,
    Guess.__table__,
    Puzzle.__table__,
)


def count_finish_on(dialect: str, puzzle: str = "puzzle_id", solved_in: str = "solved_in") -> Any:
    """Build the upsert that adds one finished game to a puzzle's counters (its parameters'
    names given: a statement that holds it may bind those names to other tables' columns)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_COUNTS).values(
        puzzle_id=bindparam(puzzle), solved_in=bindparam(solved_in), players=1
    )
    # One atomic statement: concurrent finishers of the same puzzle never lose a count.
    return statement.on_conflict_do_update(
        index_elements=["puzzle_id", "solved_in"], set_={"players": _COUNTS.c.players + 1}
    )


# Core statements on the tables, built once (an ORM statement cost a finishing move more CPU
# than the database spent on it).
_COUNT_FINISH = {dialect: count_finish_on(dialect) for dialect in ("postgresql", "sqlite")}
_FIGURES = select(_COUNTS.c.solved_in, _COUNTS.c.players).where(
    _COUNTS.c.puzzle_id == bindparam("puzzle_id")
)
_PLAYER_RESULTS = (
    select(_PUZZLES.c.number, _PLAYS.c.status, _PLAYS.c.archive, func.count(_GUESSES.c.id))
    .join(_PUZZLES, _PLAYS.c.puzzle_id == _PUZZLES.c.id)
    .join(_GUESSES, _GUESSES.c.play_id == _PLAYS.c.id)
    .where(_PLAYS.c.player_id == bindparam("player_id"), _PLAYS.c.status.in_(FINISHED))
    .group_by(_PLAYS.c.id, _PUZZLES.c.number, _PLAYS.c.status, _PLAYS.c.archive)
    .order_by(_PUZZLES.c.number)
)


def count_finish(puzzle_id: int, solved_in: int) -> None:
    """Add a finished game to its puzzle's counters, in the caller's transaction (an upsert)."""
    dialect = db.session.get_bind().dialect.name
    statement = _COUNT_FINISH["postgresql" if dialect == "postgresql" else "sqlite"]
    compiled.run(db.session(), statement, {"puzzle_id": puzzle_id, "solved_in": solved_in})


# Every finished page shows the puzzle's figures. They are cached only in a shared cache
# (Redis), where a finish drops them, so a finisher always sees their own game counted and a
# reload on another worker shows the same numbers; in-process copies would disagree.
FIGURES_CACHE_SECONDS = 60


def _figures_key(puzzle_id: int) -> str:
    return f"puzzle:figures:{puzzle_id}"


def puzzle_figures(puzzle_id: int, attempts: int) -> streaks.Figures:
    """Return everyone's results of a puzzle from its counters (a primary-key range read)."""
    counts = cache.get(_figures_key(puzzle_id)) if cache.shared() else None
    if not isinstance(counts, dict):
        rows = db.session.execute(_FIGURES, {"puzzle_id": puzzle_id}).all()
        counts = {solved_in: players for solved_in, players in rows}
        if cache.shared():
            cache.put(_figures_key(puzzle_id), counts, FIGURES_CACHE_SECONDS)
    return streaks.figures(counts, attempts)


def keep_puzzle_figures(puzzle_id: int, counts: dict[int, int]) -> None:
    """Cache a puzzle's counters as a finish left them (read with it, in its statement)."""
    if cache.shared():
        cache.put(_figures_key(puzzle_id), counts, FIGURES_CACHE_SECONDS)


def forget_puzzle_figures(puzzle_id: int) -> None:
    """Drop a puzzle's cached figures after a game of it finished."""
    cache.forget(_figures_key(puzzle_id))


def player_results(player_id: str) -> list[streaks.Result]:
    """Return a player's finished games, oldest puzzle first."""
    rows = db.session.execute(_PLAYER_RESULTS, {"player_id": player_id}).all()
    return [
        streaks.Result(
            number=number, won=Status(status) is Status.WON, attempts_used=used, archive=archive
        )
        for number, status, archive, used in rows
    ]


@dataclass(frozen=True)
class ArchiveEntry:
    """A past puzzle as the archive lists it; the title only once this player finished it."""

    number: int
    day: date
    status: Status | None
    attempts_used: int
    archive: bool
    title: str | None
    year: int | None


def archive_entries(
    player_id: str, today: date, limit: int, before: int | None = None
) -> list[ArchiveEntry]:
    """Return up to `limit` puzzles up to today, newest first, with this player's results."""
    query = select(Puzzle.id, Puzzle.number, Puzzle.day).where(Puzzle.day <= today)
    if before is not None:
        query = query.where(Puzzle.number < before)
    puzzles = db.session.execute(query.order_by(Puzzle.number.desc()).limit(limit)).all()
    ids = [puzzle_id for puzzle_id, _, _ in puzzles]
    # Grouped after the player filter: only this player's guesses are counted, never a scan.
    plays = db.session.execute(
        select(
            Play.puzzle_id, Play.status, Play.archive, func.count(Guess.id), Movie.title, Movie.year
        )
        .join(Puzzle, Play.puzzle_id == Puzzle.id)
        .join(Movie, Puzzle.movie_id == Movie.id)
        .join(Guess, Guess.play_id == Play.id)
        .where(Play.player_id == player_id, Play.puzzle_id.in_(ids))
        .group_by(Play.id, Play.puzzle_id, Play.status, Play.archive, Movie.title, Movie.year)
    ).all()
    by_puzzle = {row[0]: row for row in plays}
    entries = []
    for puzzle_id, number, day in puzzles:
        play = by_puzzle.get(puzzle_id)
        status = Status(play[1]) if play else None
        finished = status in (Status.WON, Status.LOST)
        entries.append(
            ArchiveEntry(
                number=number,
                day=day,
                status=status,
                attempts_used=play[3] if play else 0,
                archive=bool(play and play[2]),
                # Never a title for a puzzle this player has not finished: it is the answer.
                title=play[4] if play and finished else None,
                year=play[5] if play and finished else None,
            )
        )
    return entries


def recount() -> int:
    """Rebuild every puzzle's counters from the stored plays; return how many games they hold."""
    solved_in = select(func.count(Guess.id)).where(Guess.play_id == Play.id).scalar_subquery()
    finished = (
        select(
            Play.puzzle_id.label("puzzle_id"),
            case((Play.status == Status.WON.value, solved_in), else_=0).label("solved_in"),
        )
        .where(Play.status.in_(FINISHED))
        .subquery()
    )
    rows = db.session.execute(
        select(finished.c.puzzle_id, finished.c.solved_in, func.count()).group_by(
            finished.c.puzzle_id, finished.c.solved_in
        )
    ).all()
    # One transaction: readers see the old counts or the new ones, never a half-built table.
    db.session.execute(delete(PuzzleResultCount))
    db.session.add_all(
        PuzzleResultCount(puzzle_id=puzzle_id, solved_in=used, players=players)
        for puzzle_id, used, players in rows
    )
    db.session.commit()
    cache.forget_all()  # the cached figures of every puzzle
    return sum(players for _, _, players in rows)
