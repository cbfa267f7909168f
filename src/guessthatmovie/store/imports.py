"""Write one batch of an imported dump: upsert movies by their dump id, choose and store clues."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update

from guessthatmovie.extensions import db
from guessthatmovie.game import leaks
from guessthatmovie.game.clues import Candidate, Judge, review_key, select_clues
from guessthatmovie.importers.rt import MovieRow, ReviewRow
from guessthatmovie.models import Movie, MovieSource, Puzzle, ReviewSnippet, TitleKey
from guessthatmovie.store import catalogue

_FACTS = ("genres", "critic_score", "audience_score", "critic_count", "synopsis")


@dataclass
class Tally:
    """What an import did so far: movies by outcome, reviews by outcome, skipped rows by reason."""

    movies: Counter[str] = field(default_factory=Counter)
    reviews: Counter[str] = field(default_factory=Counter)
    bad_rows: Counter[str] = field(default_factory=Counter)


@dataclass
class ReviewGroup:
    """Consecutive reviews of one movie in the reviews file (usable ones kept, all counted)."""

    external_id: str
    reviews: list[ReviewRow] = field(default_factory=list)
    rows: int = 0


def _played(movie_ids: Iterable[int], today: date) -> set[int]:
    """Return the movies that were (or are today) a puzzle: players saw their facts and clues."""
    ids = list(movie_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Puzzle.movie_id).where(Puzzle.movie_id.in_(ids), Puzzle.day <= today)
        )
    )


def _known(source: str, external_ids: Iterable[str]) -> dict[str, int]:
    rows = db.session.execute(
        select(MovieSource.external_id, MovieSource.movie_id).where(
            MovieSource.source == source, MovieSource.external_id.in_(set(external_ids))
        )
    )
    return {external_id: movie_id for external_id, movie_id in rows}


def _facts(row: MovieRow) -> dict[str, Any]:
    # A value the dump leaves empty never erases one the catalogue already has.
    facts: dict[str, Any] = {
        "genres": list(row.genres),
        "critic_score": row.critic_score,
        "audience_score": row.audience_score,
        "critic_count": row.critic_count,
        "synopsis": row.synopsis,
        "consensus": row.consensus,
    }
    return {name: value for name, value in facts.items() if value not in (None, "", [])}


def id_hash(external_id: str) -> int:
    """Return a small fingerprint of a dump id, to spot repeats without keeping the ids."""
    return int.from_bytes(hashlib.blake2b(external_id.encode(), digest_size=8).digest(), "big")


def upsert_movies(
    source: str,
    rows: Sequence[tuple[int, MovieRow]],
    today: date,
    tally: Tally,
    seen: set[int],
) -> list[tuple[int, str]]:
    """Add or update a batch of movies; return (line, reason) for the rows skipped.

    `seen` holds fingerprints of the ids met so far in this run: a later row with the same id
    (dumps have a few) is skipped rather than overwriting the first.
    """
    skipped: list[tuple[int, str]] = []
    known = _known(source, (row.external_id for _line, row in rows))
    movies = {
        m.id: m for m in db.session.scalars(select(Movie).where(Movie.id.in_(known.values())))
    }
    wanted_titles = {row.title for _line, row in rows if row.external_id not in known}
    by_title: dict[tuple[str, int | None], Movie] = {}
    if wanted_titles:
        for found_movie in db.session.scalars(select(Movie).where(Movie.title.in_(wanted_titles))):
            by_title[(found_movie.title, found_movie.year)] = found_movie
    claimed = set(
        db.session.scalars(
            select(MovieSource.movie_id).where(
                MovieSource.source == source,
                MovieSource.movie_id.in_([m.id for m in by_title.values()]),
            )
        )
    )
    played = _played([*movies, *(m.id for m in by_title.values())], today)
    created: list[tuple[str, Movie]] = []
    for line, row in rows:
        fingerprint = id_hash(row.external_id)
        if fingerprint in seen:
            skipped.append((line, f"repeats movie id {row.external_id!r}"))
            continue
        seen.add(fingerprint)
        movie = movies.get(known.get(row.external_id, -1))
        if movie is None:
            # Yearless titles are not matched by name: two of them are rarely the same film.
            found = by_title.get((row.title, row.year)) if row.year is not None else None
            if found is not None and (found.id in claimed or found.id is None):
                skipped.append((line, f"same title and year as another movie: {row.title!r}"))
                continue
            if found is None:
                movie = Movie(title=row.title, year=row.year, alt_titles=[], **_facts(row))
                movie.genres = movie.genres or []
                movie.synopsis = movie.synopsis or ""
                db.session.add(movie)
                by_title[(row.title, row.year)] = movie
                created.append((row.external_id, movie))
                tally.movies["added"] += 1
                continue
            movie = found
            claimed.add(movie.id)
            db.session.add(
                MovieSource(source=source, external_id=row.external_id, movie_id=movie.id)
            )
        changes = {k: v for k, v in _facts(row).items() if getattr(movie, k) != v}
        if movie.id in played and set(changes) - {"critic_count"}:
            tally.movies["kept as played"] += 1
        elif changes:
            for name, value in changes.items():
                setattr(movie, name, value)
            tally.movies["updated"] += 1
        else:
            tally.movies["unchanged"] += 1
    if created:
        db.session.flush()
        for external_id, movie in created:
            db.session.add(MovieSource(source=source, external_id=external_id, movie_id=movie.id))
            for key, words in catalogue.title_key_rows(movie).items():
                db.session.add(TitleKey(key=key, movie_id=movie.id, words=words))
    db.session.flush()
    return skipped


def _existing_snippets(movie_ids: Sequence[int]) -> dict[int, list[Candidate]]:
    stored: dict[int, list[Candidate]] = defaultdict(list)
    rows = db.session.execute(
        select(
            ReviewSnippet.movie_id,
            ReviewSnippet.text,
            ReviewSnippet.critic,
            ReviewSnippet.publication,
            ReviewSnippet.fresh,
            ReviewSnippet.top_critic,
            ReviewSnippet.source_key,
        )
        .where(ReviewSnippet.movie_id.in_(movie_ids))
        .order_by(ReviewSnippet.movie_id, ReviewSnippet.position)
    )
    for movie_id, text, critic, publication, fresh, top, key in rows:
        stored[movie_id].append(
            Candidate(text, critic, publication, fresh, top, key or review_key(critic, text))
        )
    return stored


def franchise_index() -> leaks.FranchiseIndex:
    """Index every catalogue title by what a franchise shares (read once per import)."""
    rows = db.session.execute(select(Movie.title, Movie.alt_titles))
    return leaks.FranchiseIndex((title, alternates or ()) for title, alternates in rows)


def store_clues(
    source: str,
    groups: Sequence[ReviewGroup],
    keep: int,
    today: date,
    count_reviews: bool,
    tally: Tally,
    franchise: leaks.FranchiseIndex,
    judge: Judge | None = None,
) -> None:
    """Choose each movie's clues from its stored snippets and these reviews; store any change."""
    known = _known(source, (group.external_id for group in groups))
    by_movie: dict[int, list[ReviewGroup]] = defaultdict(list)
    for group in groups:
        movie_id = known.get(group.external_id)
        if movie_id is None:
            tally.reviews["movie not in the catalogue"] += len(group.reviews)
        else:
            by_movie[movie_id].append(group)
    if not by_movie:
        return
    facts = {
        movie_id: (title, alternates or [], count, synopsis or "")
        for movie_id, title, alternates, count, synopsis in db.session.execute(
            select(
                Movie.id, Movie.title, Movie.alt_titles, Movie.critic_count, Movie.synopsis
            ).where(Movie.id.in_(by_movie))
        )
    }
    played = _played(by_movie, today)
    stored = _existing_snippets([m for m in by_movie if m not in played])
    replaced: list[int] = []
    inserts: list[dict[str, Any]] = []
    for movie_id, movie_groups in by_movie.items():
        title, alternates, critic_count, synopsis = facts[movie_id]
        rows = sum(group.rows for group in movie_groups)
        if count_reviews and (critic_count or 0) < rows:
            db.session.execute(update(Movie).where(Movie.id == movie_id).values(critic_count=rows))
        new = [review for group in movie_groups for review in group.reviews]
        if movie_id in played:
            tally.reviews["movie already played"] += len(new)
            continue
        current = stored.get(movie_id, [])
        pool = {c.key: c for c in current}
        fresh_keys = []
        for review in new:
            key = review_key(review.critic, review.text)
            fresh_keys.append(key)
            pool.setdefault(
                key,
                Candidate(
                    review.text,
                    review.critic,
                    review.publication,
                    review.fresh,
                    review.top_critic,
                    key,
                ),
            )
        names = leaks.film_names(title, alternates, synopsis, franchise)
        selection = select_clues(pool.values(), names, keep, judge)
        chosen = [c.key for c in selection.clues]
        for key in fresh_keys:
            tally.reviews["kept" if key in chosen else selection.dropped.get(key, "duplicate")] += 1
        if chosen == [c.key for c in current]:
            continue
        replaced.append(movie_id)
        for position, clue in enumerate(selection.clues):
            inserts.append(
                {
                    "movie_id": movie_id,
                    "position": position,
                    "text": clue.text,
                    "critic": clue.critic[:200],
                    "publication": clue.publication[:200],
                    "fresh": clue.fresh,
                    "top_critic": clue.top_critic,
                    "source_key": clue.key,
                }
            )
        tally.movies["clues changed"] += 1
    if replaced:
        db.session.execute(delete(ReviewSnippet).where(ReviewSnippet.movie_id.in_(replaced)))
    if inserts:
        db.session.execute(insert(ReviewSnippet), inserts)
