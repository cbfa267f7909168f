"""Catalogue queries: find movies by title, names for suggestions, where the clues come from."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Float, Row, bindparam, exists, literal, or_, select
from sqlalchemy.exc import SQLAlchemyError

from guessthatmovie import cache
from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.models import Movie, ReviewSnippet, TitleKey
from guessthatmovie.store import puzzles, reads
from guessthatmovie.store.plays import GuessedMovie


def movies_matching(guess: titles.ParsedGuess) -> list[Movie]:
    """Return catalogue movies whose names match a parsed guess (and its year, if typed)."""
    if not guess.key:
        return []
    query = select(Movie).join(TitleKey).where(TitleKey.key == guess.key)
    if guess.year is not None:
        query = query.where(Movie.year == guess.year)
    return list(db.session.scalars(query.order_by(Movie.year, Movie.id)).unique())


@dataclass(frozen=True)
class GuessCandidate:
    """A catalogue movie a guess names: its id, and what a guess line shows of it."""

    id: int
    movie: GuessedMovie

    @property
    def label(self) -> str:
        """Return the title with its year, as lists show it."""
        return self.movie.label


_MOVIES, _KEYS = Movie.__table__, TitleKey.__table__
# How well known a film is: the one column that says it, read wherever films sharing a name are
# ordered (titles.likely_first): about how many people rated it (the dump's audience count, or
# its equivalent from critics or box office, docs/importing.md#known-ness); NULL without a count.
KNOWN = _MOVIES.c.known_ratings.label("known")
_NAMED_BY = (
    select(
        _MOVIES.c.id,
        _MOVIES.c.title,
        _MOVIES.c.year,
        _MOVIES.c.genres,
        _MOVIES.c.critic_score,
        _MOVIES.c.audience_score,
        KNOWN,
    )
    .join(_KEYS, _KEYS.c.movie_id == _MOVIES.c.id)
    .where(_KEYS.c.key == bindparam("key"))
)
# Built once, in each shape a guess needs (a typeahead pick or not, a typed year or not).
_CANDIDATES = {
    (picked, dated): _NAMED_BY.where(
        *([_MOVIES.c.id == bindparam("movie_id")] if picked else []),
        *([_MOVIES.c.year == bindparam("year")] if dated else []),
    ).order_by(_MOVIES.c.id)
    for picked in (False, True)
    for dated in (False, True)
}


def guess_candidates(
    guess: titles.ParsedGuess, movie_id: int | None = None
) -> list[GuessCandidate]:
    """Return the movies a parsed guess names, in one Core statement; with `movie_id` (a pick
    from the typeahead), that movie alone if the guess still names it."""
    if not guess.key:
        return []
    # Many players guess the same films: each worker keeps what a name matched for a minute.
    key = f"{guess.key}|{guess.year}|{movie_id}"
    found = cache.kept(
        "candidates", CANDIDATES_KEPT, CANDIDATES_SECONDS, key, lambda: _candidates(guess, movie_id)
    )
    return list(found)


CANDIDATES_KEPT = 2000
CANDIDATES_SECONDS = 60


def _candidates(guess: titles.ParsedGuess, movie_id: int | None) -> list[GuessCandidate]:
    params = {"key": guess.key, "movie_id": movie_id, "year": guess.year}
    statement = _CANDIDATES[movie_id is not None, guess.year is not None]
    # The film a player more likely means first: "which one did you mean?" lists them so.
    rows = sorted(
        reads.reading().execute(statement, params),
        key=lambda row: titles.likely_first(row.known, row.year),
    )
    found: dict[int, GuessCandidate] = {}
    for row in rows:
        found.setdefault(
            row.id,
            GuessCandidate(
                row.id,
                GuessedMovie(
                    row.title,
                    row.year,
                    tuple(row.genres or ()),
                    row.critic_score,
                    row.audience_score,
                ),
            ),
        )
    return list(found.values())


def labels_of(movie_ids: Sequence[int]) -> dict[int, str]:
    """Return the list labels ("Title (year)") of these movies, by id."""
    if not movie_ids:
        return {}
    rows = db.session.execute(
        select(Movie.id, Movie.title, Movie.year).where(Movie.id.in_(movie_ids))
    )
    return {id_: f"{title} ({year})" if year else title for id_, title, year in rows}


# How many nearest names each trigram walk hands to the fuzzy ranking on PostgreSQL.
SUGGESTION_CANDIDATES = 40


# Each worker keeps the suggestions for a misspelling a minute: a typo is often made by many.
SUGGESTIONS_KEPT = 1000
SUGGESTIONS_SECONDS = 60
# How long a worker trusts its copy of where the snippets come from (the footer's line).
SOURCES_SECONDS = 10


def suggestions_for(text: str) -> list[titles.Suggestion]:
    """Return "did you mean" titles for a guess the catalogue does not know, best first."""
    key = titles.title_words(text)[: titles.MAX_GUESS_LENGTH]  # all that suggest() reads
    found = cache.kept(
        "suggestions",
        SUGGESTIONS_KEPT,
        SUGGESTIONS_SECONDS,
        key,
        lambda: titles.suggest(text, suggestion_entries(text)),
    )
    return list(found)


def suggestion_entries(text: str) -> list[titles.TitleEntry]:
    """Return the catalogue names that "did you mean" ranks for `text`.

    On PostgreSQL the trigram index picks the nearest few dozen names (as a whole title, and as
    words within a longer one), so a worker never holds the whole catalogue: that copy was 14 MB
    a worker for 16,000 movies and the costliest request the game had. SQLite, the embedded
    default with a small catalogue, has no trigram index and ranks every name.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return title_entries()
    words = titles.title_words(text)[:100]
    if not words:
        return []
    whole = TitleKey.words.op("<->", return_type=Float)(literal(words))
    within = literal(words).op("<<->", return_type=Float)(TitleKey.words)
    nearest = [
        select(TitleKey.movie_id).order_by(distance).limit(SUGGESTION_CANDIDATES)
        for distance in (whole, within)
    ]
    rows = reads.reading().execute(
        _ENTRY_COLUMNS.where(or_(*(Movie.id.in_(query) for query in nearest))).order_by(Movie.id)
    )
    return _title_entries(rows)


ENTRY_CACHE_SECONDS = 600
# A small token in the shared cache names the catalogue's current version; each worker keeps its
# own copy of the names and reloads it when the token changes, instead of fetching the whole list
# from Redis on every unknown guess. Only SQLite and its typeahead use it (see above).
_VERSION_KEY = "catalogue:version"
_MEMO = "guessthatmovie.title_entries"


def title_entries() -> list[titles.TitleEntry]:
    """Return every catalogue name for fuzzy suggestions, kept per worker while it is current."""
    memo: dict[str, Any] = current_app.extensions.setdefault(_MEMO, {})
    version = cache.get(_VERSION_KEY)
    if version is None:
        # The token expired, or the cache is away: a young copy stays good for its lifetime.
        if "entries" in memo and time.monotonic() - memo["loaded_at"] < ENTRY_CACHE_SECONDS:
            return list(memo["entries"])
        version = _new_version()
    elif version == memo.get("version"):
        return list(memo["entries"])
    entries = _load_title_entries()
    memo.update(version=version, entries=entries, loaded_at=time.monotonic())
    return list(entries)


def _new_version() -> str:
    version = secrets.token_hex(8)
    cache.put(_VERSION_KEY, version, ENTRY_CACHE_SECONDS)
    return version


def _load_title_entries() -> list[titles.TitleEntry]:
    # Streamed in chunks, so the rows never all sit in memory beside the entries made of them.
    return _title_entries(db.session.execute(_ENTRY_COLUMNS.execution_options(yield_per=2000)))


_ENTRY_COLUMNS = select(_MOVIES.c.id, _MOVIES.c.title, _MOVIES.c.alt_titles, _MOVIES.c.year, KNOWN)


def _title_entries(
    rows: Iterable[Row[tuple[int, str, list[str], int | None, int | None]]],
) -> list[titles.TitleEntry]:
    entries = []
    for movie_id, title, alternates, year, known in rows:
        label_suffix = f" ({year})" if year else ""
        for name in titles.title_variants(title, alternates or ()):
            words = titles.title_words(name)
            if words:
                label = f"{name}{label_suffix}"
                entries.append(titles.TitleEntry(movie_id, label, words, known, year))
    return entries


def forget_title_entries() -> None:
    """Drop everything cached from the catalogue (suggestions, puzzles) after it changes."""
    cache.forget_all()
    cache.forget_memos()
    current_app.extensions.pop(_MEMO, None)
    puzzles.forget_memo()
    _new_version()  # every worker sees a new token and reloads its names


def snippet_sources() -> str:
    """Say where the catalogue's review snippets come from: "critics", "sample", "both", "none".

    Imported snippets keep the key of the critic's review; the bundled sample's have none. Kept
    in the shared cache (a catalogue load forgets it), so the footer of a page costs no query.
    """

    key = "catalogue:snippet-sources"
    memo = cache.memo("snippet-sources", 1, SOURCES_SECONDS)  # before Redis: no trip a page
    kept = memo.get(key) or cache.get(key)
    if isinstance(kept, str):
        memo.set(key, kept)
        return kept
    try:
        imported, written = db.session.execute(
            select(
                exists().where(ReviewSnippet.source_key.is_not(None)),
                exists().where(ReviewSnippet.source_key.is_(None)),
            )
        ).one()
    except SQLAlchemyError:
        db.session.rollback()  # an error page must render with the database away
        return "none"
    found = {(True, True): "both", (True, False): "critics", (False, True): "sample"}.get(
        (bool(imported), bool(written)), "none"
    )
    cache.put(key, found, ENTRY_CACHE_SECONDS)
    memo.set(key, found)
    return found
