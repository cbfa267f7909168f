"""Past days for the operator's review: each day's film, its known-ness and its counters."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from guessthatmovie.extensions import db
from guessthatmovie.game import review
from guessthatmovie.models import Movie, Play, Puzzle, PuzzleResultCount


def past_days(first: date, last: date) -> list[review.DayReview]:
    """Return the figures of each scheduled day from `first` to `last` (three statements)."""
    puzzles = db.session.execute(
        select(
            Puzzle.id,
            Puzzle.day,
            Puzzle.number,
            Movie.title,
            Movie.year,
            Movie.known_score,
            Movie.known_ratings,
        )
        .join(Movie, Puzzle.movie_id == Movie.id)
        .where(Puzzle.day >= first, Puzzle.day <= last)
        .order_by(Puzzle.day)
    ).all()
    ids = [row[0] for row in puzzles]
    started = select(Play.puzzle_id, func.count()).where(Play.puzzle_id.in_(ids))
    players: dict[int, int] = {
        puzzle_id: n for puzzle_id, n in db.session.execute(started.group_by(Play.puzzle_id))
    }
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(
            PuzzleResultCount.puzzle_id, PuzzleResultCount.solved_in, PuzzleResultCount.players
        ).where(PuzzleResultCount.puzzle_id.in_(ids))
    )
    for puzzle_id, solved_in, n in rows:
        counts[puzzle_id][solved_in] = n
    found = []
    for puzzle_id, day, number, title, year, score, ratings in puzzles:
        finished, solved, mean = review.results(counts[puzzle_id])
        label = f"{title} ({year})" if year else title
        found.append(
            review.DayReview(
                day,
                number,
                label,
                score,
                ratings,
                players.get(puzzle_id, 0),
                finished,
                solved,
                mean,
            )
        )
    return found
