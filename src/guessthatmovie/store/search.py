"""Title search for the typeahead: the whole catalogue, ranked the same for every puzzle."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, Row, Select, bindparam, case, func, literal, select

from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.models import Movie, TitleKey
from guessthatmovie.store import catalogue

MIN_QUERY = 2
LIMIT = 8
# The least pg_trgm similarity (or rapidfuzz's score / 100 on SQLite) of a near miss.
FUZZY_FLOOR = 0.3


@dataclass(frozen=True)
class Hit:
    """A catalogue movie offered by the typeahead."""

    movie_id: int
    title: str
    year: int | None

    @property
    def label(self) -> str:
        """Return the title as a guess would name it: "Heat (1995)"."""
        return f"{self.title} ({self.year})" if self.year else self.title


_KEYS, _MOVIES = TitleKey.__table__, Movie.__table__


def _ranked(limit: int) -> Select[tuple[int, str, int | None, int, int, str, int | None]]:
    """Build the prefix and word-start search: movie ids ranked on the title keys alone, then
    only the few movies shown."""
    starts = _KEYS.c.words.like(bindparam("starts"))
    word_starts = _KEYS.c.words.like(bindparam("word_starts"))
    tier = func.min(case((starts, 0), else_=1)).label("tier")
    length = func.min(func.length(_KEYS.c.words)).label("length")
    name = func.min(_KEYS.c.words).label("name")
    ranked = (
        select(_KEYS.c.movie_id, tier, length, name)
        .where(starts | word_starts)
        .group_by(_KEYS.c.movie_id)
        .order_by(tier, length, name, _KEYS.c.movie_id)
        .limit(limit)
        .subquery()
    )
    return (
        select(
            _MOVIES.c.id,
            _MOVIES.c.title,
            _MOVIES.c.year,
            ranked.c.tier,
            ranked.c.length,
            ranked.c.name,
            catalogue.KNOWN,
        )
        .join(ranked, ranked.c.movie_id == _MOVIES.c.id)
        .order_by(ranked.c.tier, ranked.c.length, ranked.c.name, _MOVIES.c.id)
    )


def _shown_order(
    row: Row[tuple[int, str, int | None, int, int, str, int | None]],
) -> tuple[object, ...]:
    # Films of one name (namesakes) in the order a player more likely means them.
    return (row.tier, row.length, row.name, titles.likely_first(row.known, row.year))


# Built once (with the typeahead's limit): building it on each search cost more CPU than the
# database spent answering it.
_RANKED = {LIMIT: _ranked(LIMIT)}


def search_titles(query: str, limit: int = LIMIT) -> list[Hit]:
    """Return up to `limit` movies for a typed query: prefix, then word-start, then fuzzy matches.

    Nothing about any puzzle enters the query or the ranking: the answer is one of thousands of
    catalogue movies and is offered exactly as any other.
    """
    words = titles.title_words(query)[:100]
    if len(words.replace(" ", "")) < MIN_QUERY:
        return []
    # title_words keeps only letters, digits and spaces, so LIKE's wildcards cannot occur in it.
    rows = db.session.execute(
        _RANKED[limit] if limit in _RANKED else _ranked(limit),
        {"starts": f"{words}%", "word_starts": f"% {words}%"},
    ).all()
    hits = [Hit(row.id, row.title, row.year) for row in sorted(rows, key=_shown_order)]
    if len(hits) < limit and len(words) >= 3:
        hits += _fuzzy(words, limit - len(hits), {hit.movie_id for hit in hits})
    year = titles.parse_guess(query).year
    if year is not None:
        # "Heat (1995)", as a pick from the list reads: that year's film first.
        hits.sort(key=lambda hit: hit.year != year)
    return hits


def _fuzzy(words: str, limit: int, seen: set[int]) -> list[Hit]:
    """Return near misses ("godfahter") not already found by prefix or word start."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Nearest names first by trigram distance (1 - similarity), walked along the GiST index.
        distance = TitleKey.words.op("<->", return_type=Float)(literal(words))
        nearest = (
            select(TitleKey.movie_id, distance.label("distance"))
            .order_by(distance)
            .limit(3 * (limit + len(seen)))
            .subquery()
        )
        closest = func.min(nearest.c.distance)
        query = (
            select(Movie.id, Movie.title, Movie.year)
            .join(nearest, nearest.c.movie_id == Movie.id)
            .where(nearest.c.distance <= 1 - FUZZY_FLOOR)
            .group_by(Movie.id, Movie.title, Movie.year)
            .order_by(closest, Movie.title, Movie.year, Movie.id)
            .limit(limit + len(seen))
        )
        found = [Hit(row.id, row.title, row.year) for row in db.session.execute(query)]
    else:
        # SQLite has no trigram index: rank the cached catalogue names with rapidfuzz instead.
        near = titles.near_starts(words, catalogue.title_entries(), limit + len(seen))
        ids = [movie_id for movie_id in near if movie_id not in seen]
        movies = {
            movie.id: movie for movie in db.session.scalars(select(Movie).where(Movie.id.in_(ids)))
        }
        found = [Hit(i, movies[i].title, movies[i].year) for i in ids if i in movies]
    return [hit for hit in found if hit.movie_id not in seen][:limit]
