"""Write films: one path for every reader, a batch at a time, title keys kept in step.

A dump's film is found by its id in that dump (`movie_sources`), else by title and year; the
bundled sample's films have no id and are found by title and year alone. Facts a record leaves
empty never erase stored ones, and a film that players have seen keeps its facts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update

from guessthatmovie.extensions import db
from guessthatmovie.game import known, titles
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.models import Movie, MovieSource, Puzzle, TitleKey


@dataclass
class FilmsWritten:
    """What writing a batch did: films by outcome, rows skipped (line, reason), ids by line."""

    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    movie_ids: dict[int, int] = field(default_factory=dict)


@dataclass
class _Stored:
    """What the catalogue already holds for a batch's records."""

    by_id: dict[str, Movie]
    by_title: dict[tuple[str, int | None], Movie]
    claimed: set[int]  # films found by title that this source already names by another id
    played: set[int]


def played_movies(movie_ids: Iterable[int], today: date) -> set[int]:
    """Return the movies that were (or are today) a puzzle: players saw their facts and clues."""
    ids = list(movie_ids)
    if not ids:
        return set()
    query = select(Puzzle.movie_id).where(Puzzle.movie_id.in_(ids), Puzzle.day <= today)
    return set(db.session.scalars(query))


def known_ids(source: str, external_ids: Iterable[str]) -> dict[str, int]:
    """Return the catalogue ids of the films this source names by these ids."""
    rows = db.session.execute(
        select(MovieSource.external_id, MovieSource.movie_id).where(
            MovieSource.source == source, MovieSource.external_id.in_(set(external_ids))
        )
    )
    return {external_id: movie_id for external_id, movie_id in rows}


def _read(source: str | None, records: Sequence[MovieRecord], today: date) -> _Stored:
    known = known_ids(source, (r.external_id for r in records)) if source else {}
    query = select(Movie).where(Movie.id.in_(known.values()))
    movies = {movie.id: movie for movie in db.session.scalars(query)}
    by_id = {external_id: movies[movie_id] for external_id, movie_id in known.items()}
    wanted = {r.title for r in records if r.external_id not in by_id}
    by_title: dict[tuple[str, int | None], Movie] = {}
    if wanted:
        for movie in db.session.scalars(select(Movie).where(Movie.title.in_(wanted))):
            by_title[(movie.title, movie.year)] = movie
    claimed: set[int] = set()
    if source and by_title:
        claimed = set(
            db.session.scalars(
                select(MovieSource.movie_id).where(
                    MovieSource.source == source,
                    MovieSource.movie_id.in_([m.id for m in by_title.values()]),
                )
            )
        )
    played = played_movies([*movies, *(m.id for m in by_title.values())], today)
    return _Stored(by_id, by_title, claimed, played)


def _facts(record: MovieRecord) -> dict[str, Any]:
    # A value the record leaves empty never erases one the catalogue already has.
    facts: dict[str, Any] = {
        "alt_titles": list(record.alt_titles),
        "genres": list(record.genres),
        "critic_score": record.critic_score,
        "audience_score": record.audience_score,
        "critic_count": record.critic_count,
        "synopsis": record.synopsis,
        "consensus": record.consensus,
        "audience_count": record.audience_count,
        "box_office": record.box_office,
        "directors": record.directors,
    }
    return {name: value for name, value in facts.items() if value not in (None, "", [])}


def _find(stored: _Stored, source: str | None, record: MovieRecord) -> Movie | str | None:
    """Return the stored film a record is, None for a new one, or why the row is skipped."""
    movie = stored.by_id.get(record.external_id)
    if movie is not None:
        return movie
    # Yearless titles from a dump are not matched by name: two of them are rarely the same film.
    if record.year is None and record.external_id:
        return None
    found = stored.by_title.get((record.title, record.year))
    if found is not None and source and (found.id is None or found.id in stored.claimed):
        return f"same title and year as another movie: {record.title!r}"
    return found


def _create(record: MovieRecord) -> Movie:
    values: dict[str, Any] = {"alt_titles": [], "genres": [], "synopsis": "", **_facts(record)}
    movie = Movie(title=record.title, year=record.year, **values)
    db.session.add(movie)
    return movie


# Facts players never see: a played film's are still brought up to date.
_UNSEEN = {"critic_count", "audience_count", "box_office", "directors"}


def _update(movie: Movie, record: MovieRecord, played: bool) -> str:
    """Bring a stored film's facts up to date; return the outcome."""
    changes = {k: v for k, v in _facts(record).items() if getattr(movie, k) != v}
    if played and set(changes) - _UNSEEN:
        return "kept as played"
    for name, value in changes.items():
        setattr(movie, name, value)
    return "updated" if changes else "unchanged"


def write_films(
    source: str | None, batch: Sequence[tuple[int, MovieRecord]], today: date
) -> FilmsWritten:
    """Add or update a batch of films (source None: match by title and year only)."""
    stored = _read(source, [record for _line, record in batch], today)
    written = FilmsWritten()
    touched: list[tuple[int, Movie]] = []
    sourced: list[tuple[str, Movie]] = []  # films this source names from now on
    for line, record in batch:
        found = _find(stored, source, record)
        if isinstance(found, str):
            written.skipped.append((line, found))
            continue
        if found is None:
            movie = stored.by_title[(record.title, record.year)] = _create(record)
            written.outcomes["added"] += 1
        else:
            movie = found
            written.outcomes[_update(movie, record, movie.id in stored.played)] += 1
        if source and record.external_id not in stored.by_id:
            stored.by_id[record.external_id] = movie
            stored.claimed.add(movie.id)
            sourced.append((record.external_id, movie))
        touched.append((line, movie))
    db.session.flush()
    if source:
        for external_id, movie in sourced:
            db.session.add(MovieSource(source=source, external_id=external_id, movie_id=movie.id))
    sync_title_keys([movie for _line, movie in touched])
    db.session.flush()
    written.movie_ids = {line: movie.id for line, movie in touched}
    return written


def title_key_rows(movie: Movie) -> dict[str, str]:
    """Return the title_keys rows a movie needs: match key -> searchable words (column-sized)."""
    found = titles.title_search_words(movie.title, movie.alt_titles)
    return {key[:300]: words[:300] for key, words in found.items()}


def sync_title_keys(movies: Sequence[Movie]) -> None:
    """Make each film's title_keys rows match its titles (one read for the whole batch)."""
    by_id = {movie.id: movie for movie in movies}
    have: dict[int, dict[str, TitleKey]] = defaultdict(dict)
    for row in db.session.scalars(select(TitleKey).where(TitleKey.movie_id.in_(by_id))):
        have[row.movie_id][row.key] = row
    for movie_id, movie in by_id.items():
        wanted = title_key_rows(movie)
        rows = have[movie_id]
        for key, words in wanted.items():
            if key not in rows:
                db.session.add(TitleKey(key=key, movie_id=movie_id, words=words))
            elif rows[key].words != words:
                rows[key].words = words
        for key, row in rows.items():
            if key not in wanted:
                db.session.delete(row)


def refresh_known_ness(batch: int = 5000) -> int:
    """Recompute every film's known ratings and score (game/known.py); return films changed.

    Run after each catalogue load: a score is a percentile, so new films move the others."""
    rows = db.session.execute(
        select(
            Movie.id,
            Movie.audience_count,
            Movie.critic_count,
            Movie.box_office,
            Movie.known_ratings,
            Movie.known_score,
        )
    ).all()
    ratings = {row[0]: known.estimated_ratings(row[1], row[2], row[3]) for row in rows}
    counted = [(movie_id, value) for movie_id, value in ratings.items() if value is not None]
    scores = dict(
        zip(
            [movie_id for movie_id, _value in counted],
            known.percentiles([value for _movie_id, value in counted]),
            strict=True,
        )
    )
    changes = [
        {"movie_id": row[0], "ratings": ratings[row[0]], "score": scores.get(row[0])}
        for row in rows
        if (row[4], row[5]) != (ratings[row[0]], scores.get(row[0]))
    ]
    statement = (
        update(Movie.__table__)
        .where(Movie.__table__.c.id == bindparam("movie_id"))
        .values(known_ratings=bindparam("ratings"), known_score=bindparam("score"))
    )
    for start in range(0, len(changes), batch):
        db.session.execute(statement, changes[start : start + batch])
    return len(changes)
