"""The pick's plain records: films that may be a puzzle, and the calendar around some days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select

from guessthatmovie.extensions import db
from guessthatmovie.game import known, leaks, schedule
from guessthatmovie.models import Movie, Puzzle
from guessthatmovie.store.snippets import franchise_index

CHUNK = 1000  # ids per IN list


def candidates_of(
    movie_ids: Iterable[int], franchise: leaks.FranchiseIndex | None = None
) -> dict[int, schedule.Candidate]:
    """Return the films with these ids as the pick's records (franchise read if not given)."""
    ordered = sorted(set(movie_ids))
    index = franchise if franchise is not None else franchise_index()
    found: dict[int, schedule.Candidate] = {}
    for start in range(0, len(ordered), CHUNK):
        rows = db.session.execute(
            select(
                Movie.id,
                Movie.title,
                Movie.alt_titles,
                Movie.year,
                Movie.genres,
                Movie.directors,
                Movie.known_ratings,
                Movie.known_score,
            ).where(Movie.id.in_(ordered[start : start + CHUNK]))
        )
        for movie_id, title, alternates, year, genres, directors, ratings, score in rows:
            found[movie_id] = schedule.Candidate(
                movie_id=movie_id,
                title=title,
                year=year,
                genres=tuple(genres or ()),
                directors=known.director_names(directors or ""),
                relatives=frozenset(index.relatives(title, alternates or ())),
                known_ratings=ratings,
                known_score=score,
                credits=directors or "",
            )
    return found


def calendar_around(
    first: date, last: date, franchise: leaks.FranchiseIndex | None = None
) -> dict[date, schedule.Candidate]:
    """Return the films scheduled from a franchise window before `first` to one after `last`."""
    reach = timedelta(days=schedule.FRANCHISE_DAYS)
    rows = db.session.execute(
        select(Puzzle.day, Puzzle.movie_id).where(
            Puzzle.day >= first - reach, Puzzle.day <= last + reach
        )
    ).all()
    films = candidates_of((movie_id for _day, movie_id in rows), franchise)
    return {day: films[movie_id] for day, movie_id in rows}
