"""The queries: load what a view needs in one go, and save moves atomically."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, schedule, titles
from guessthatmovie.models import Guess, Movie, Play, Puzzle, ReviewSnippet, TitleKey


class ScheduleError(Exception):
    """Raised when a puzzle cannot be scheduled as asked."""


# --- puzzles -------------------------------------------------------------------------------


def _puzzle_where(condition: ColumnElement[bool]) -> Puzzle | None:
    return db.session.scalars(
        select(Puzzle)
        .where(condition)
        .options(joinedload(Puzzle.movie).selectinload(Movie.snippets))
    ).first()


def puzzle_on(day: date) -> Puzzle | None:
    """Return the puzzle of a day with its movie and snippets, if one is scheduled."""
    return _puzzle_where(Puzzle.day == day)


def puzzle_numbered(number: int) -> Puzzle | None:
    """Return the puzzle with a number, with its movie and snippets."""
    return _puzzle_where(Puzzle.number == number)


def eligible_movie_ids(snippets_needed: int) -> list[int]:
    """Return movies that can be a puzzle: full facts, enough snippets, never used before."""
    used = select(Puzzle.movie_id)
    with_snippets = (
        select(ReviewSnippet.movie_id)
        .group_by(ReviewSnippet.movie_id)
        .having(func.count() >= snippets_needed)
    )
    rows = db.session.execute(
        select(Movie.id, Movie.genres).where(
            Movie.year.is_not(None),
            Movie.critic_score.is_not(None),
            Movie.audience_score.is_not(None),
            Movie.id.in_(with_snippets),
            Movie.id.not_in(used),
        )
    ).all()
    return [movie_id for movie_id, genres in rows if genres]


def ensure_puzzle(
    day: date, launch: date, snippets_needed: int, secret: bytes, now: datetime
) -> Puzzle | None:
    """Return the day's puzzle, choosing its movie now if nobody has yet (safe under races)."""
    for _attempt in range(5):
        puzzle = puzzle_on(day)
        if puzzle is not None:
            return puzzle
        movie_id = schedule.pick_movie(day, eligible_movie_ids(snippets_needed), secret)
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
    return puzzle_on(day)


def schedule_days(
    first: date, days: int, launch: date, snippets_needed: int, secret: bytes, now: datetime
) -> list[Puzzle]:
    """Make sure puzzles exist for `days` days from `first`; return those that exist."""
    puzzles = []
    for offset in range(days):
        day = date.fromordinal(first.toordinal() + offset)
        puzzle = ensure_puzzle(day, launch, snippets_needed, secret, now)
        if puzzle is None:
            break
        puzzles.append(puzzle)
    return puzzles


def set_puzzle(day: date, movie: Movie, launch: date, now: datetime) -> Puzzle:
    """Put a movie on a day, refusing a day already played or a movie already used."""
    existing = puzzle_on(day)
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
    return existing


# --- catalogue ------------------------------------------------------------------------------


def movies_matching(guess: titles.ParsedGuess) -> list[Movie]:
    """Return catalogue movies whose names match a parsed guess (and its year, if typed)."""
    if not guess.key:
        return []
    query = select(Movie).join(TitleKey).where(TitleKey.key == guess.key)
    if guess.year is not None:
        query = query.where(Movie.year == guess.year)
    return list(db.session.scalars(query.order_by(Movie.year, Movie.id)).unique())


@dataclass
class _EntryCache:
    entries: list[titles.TitleEntry]
    loaded_at: float


_entry_cache: dict[str, _EntryCache] = {}
ENTRY_CACHE_SECONDS = 300.0


def title_entries() -> list[titles.TitleEntry]:
    """Return every catalogue name for fuzzy suggestions, cached per process for a few minutes."""
    url = str(db.engine.url)
    cached = _entry_cache.get(url)
    if cached and time.monotonic() - cached.loaded_at < ENTRY_CACHE_SECONDS:
        return cached.entries
    entries = []
    for movie_id, title, alternates, year in db.session.execute(
        select(Movie.id, Movie.title, Movie.alt_titles, Movie.year)
    ):
        label_suffix = f" ({year})" if year else ""
        for name in titles.title_variants(title, alternates or ()):
            words = titles.title_words(name)
            if words:
                entries.append(titles.TitleEntry(movie_id, f"{name}{label_suffix}", words))
    _entry_cache[url] = _EntryCache(entries, time.monotonic())
    return entries


def forget_title_entries() -> None:
    """Drop the cached suggestion list (after the catalogue changes)."""
    _entry_cache.clear()


@dataclass(frozen=True)
class MovieRecord:
    """A catalogue movie as an importer hands it over."""

    title: str
    year: int | None
    genres: Sequence[str]
    critic_score: int | None
    audience_score: int | None
    synopsis: str = ""
    alt_titles: Sequence[str] = ()
    snippets: Sequence[SnippetRecord] = ()


@dataclass(frozen=True)
class SnippetRecord:
    """A review snippet as an importer hands it over."""

    text: str
    critic: str
    publication: str
    fresh: bool


@dataclass
class LoadSummary:
    """What a catalogue load changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    snippets_added: int = 0


def load_movies(records: Iterable[MovieRecord]) -> LoadSummary:
    """Insert or update movies by (title, year), adding snippets that are new; idempotent."""
    summary = LoadSummary()
    for record in records:
        movie = db.session.scalars(
            select(Movie)
            .where(Movie.title == record.title, Movie.year == record.year)
            .options(selectinload(Movie.snippets))
        ).first()
        facts = {
            "alt_titles": list(record.alt_titles),
            "genres": list(record.genres),
            "critic_score": record.critic_score,
            "audience_score": record.audience_score,
            "synopsis": record.synopsis,
        }
        if movie is None:
            movie = Movie(title=record.title, year=record.year, **facts)
            db.session.add(movie)
            summary.added += 1
        elif any(getattr(movie, name) != value for name, value in facts.items()):
            for name, value in facts.items():
                setattr(movie, name, value)
            summary.updated += 1
        else:
            summary.unchanged += 1
        db.session.flush()
        _sync_keys(movie)
        known = {snippet.text for snippet in movie.snippets}
        position = max((s.position for s in movie.snippets), default=-1) + 1
        for snippet in record.snippets:
            if snippet.text in known:
                continue
            movie.snippets.append(ReviewSnippet(position=position, **snippet.__dict__))
            known.add(snippet.text)
            position += 1
            summary.snippets_added += 1
    db.session.commit()
    forget_title_entries()
    return summary


def _sync_keys(movie: Movie) -> None:
    wanted = titles.title_keys(movie.title, movie.alt_titles)
    have = set(db.session.scalars(select(TitleKey.key).where(TitleKey.movie_id == movie.id)))
    for key in wanted - have:
        db.session.add(TitleKey(key=key[:300], movie_id=movie.id))
    for key in have - wanted:
        db.session.delete(db.session.get(TitleKey, (key, movie.id)))


# --- plays ----------------------------------------------------------------------------------


def play_of(player_id: str, puzzle: Puzzle) -> Play | None:
    """Return a player's play of a puzzle with its guesses and their movies."""
    return db.session.scalars(
        select(Play)
        .where(Play.player_id == player_id, Play.puzzle_id == puzzle.id)
        .options(selectinload(Play.guesses).joinedload(Guess.movie))
    ).first()


def game_of(play: Play | None, attempts: int) -> rules.Game:
    """Turn a stored play into the rules' view of the game."""
    if play is None:
        return rules.Game(attempts=attempts)
    return rules.Game(
        attempts=attempts,
        guesses=tuple(
            rules.PastGuess(
                outcome=rules.Outcome(g.outcome),
                movie_id=g.movie_id,
                key=titles.parse_guess(g.text).key if g.outcome != "skipped" else "",
            )
            for g in play.guesses
        ),
    )


def record_move(
    player_id: str,
    puzzle: Puzzle,
    position: int,
    verdict: rules.Verdict,
    text: str,
    status_after: rules.Status,
    now: datetime,
) -> bool:
    """Store an accepted move at `position`; return False if that position was already taken."""
    assert verdict.outcome is not None
    play = play_of(player_id, puzzle)
    if play is None:
        play = Play(player_id=player_id, puzzle_id=puzzle.id, status="playing", started_at=now)
        db.session.add(play)
    play.guesses.append(
        Guess(
            position=position,
            text=text[: titles.MAX_GUESS_LENGTH],
            movie_id=verdict.movie_id,
            outcome=verdict.outcome.value,
            created_at=now,
        )
    )
    play.status = status_after.value
    if status_after is not rules.Status.PLAYING:
        play.finished_at = now
    try:
        db.session.commit()
    except IntegrityError:
        # A double submit or a second tab raced us to this position: the first one stands.
        db.session.rollback()
        return False
    return True
