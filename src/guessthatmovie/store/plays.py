"""Play queries: a player's game of a puzzle, and saving a move atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, titles
from guessthatmovie.models import Guess, Movie, Play, Puzzle
from guessthatmovie.store import stats


def play_of(player_id: str, puzzle: Puzzle) -> Play | None:
    """Return a player's play of a puzzle with its guesses and their movies, in one statement."""
    return (
        db.session.scalars(
            select(Play)
            .where(Play.player_id == player_id, Play.puzzle_id == puzzle.id)
            .options(joinedload(Play.guesses).joinedload(Guess.movie))
        )
        .unique()
        .one_or_none()
    )


@dataclass(frozen=True)
class GuessedMovie:
    """What a guess line shows of the movie guessed: its name and the facts hints compare."""

    title: str
    year: int | None
    genres: Sequence[str]
    critic_score: int | None
    audience_score: int | None

    @property
    def label(self) -> str:
        """Return the title with its year, as players see it in lists (as Movie.label does)."""
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class StoredGuess:
    """A stored move, read for showing: its position, outcome and the movie guessed."""

    position: int
    outcome: str
    movie_id: int | None
    movie: GuessedMovie | None


@dataclass(frozen=True)
class StoredPlay:
    """A player's game as a page shows it: the moves in order, read without ORM objects."""

    guesses: tuple[StoredGuess, ...]


def stored_play(player_id: str, puzzle_id: int) -> StoredPlay | None:
    """Return a player's moves of a puzzle for showing, in one statement and as plain values.

    A page only shows the game; building ORM objects for it (identity map, joined-eager loading)
    cost a third of a returning player's page view. Moves still load the ORM play (play_of).

    Called first in a request (a page view), it leaves the request's connection outside any
    transaction: one SELECT needs no BEGIN and no ROLLBACK, two of a page's four round trips to
    the database. Nothing a page does later needs a transaction (scheduling the day's puzzle is
    one INSERT); moves load their play in a transaction (play_of) before they write.
    """
    session = db.session()
    if not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    rows = session.execute(
        select(
            Guess.position,
            Guess.outcome,
            Guess.movie_id,
            Movie.title,
            Movie.year,
            Movie.genres,
            Movie.critic_score,
            Movie.audience_score,
        )
        .select_from(Play)
        .outerjoin(Guess, Guess.play_id == Play.id)
        .outerjoin(Movie, Movie.id == Guess.movie_id)
        .where(Play.player_id == player_id, Play.puzzle_id == puzzle_id)
        .order_by(Guess.position)
    ).all()
    if not rows:
        return None
    return StoredPlay(
        tuple(
            StoredGuess(
                row.position,
                row.outcome,
                row.movie_id,
                None
                if row.title is None
                else GuessedMovie(
                    row.title, row.year, row.genres, row.critic_score, row.audience_score
                ),
            )
            for row in rows
            if row.position is not None  # a play with no guess yet gives one row of NULLs
        )
    )


def game_of(play: Play | StoredPlay | None, attempts: int) -> rules.Game:
    """Turn a stored play into the rules' view of the game."""
    if play is None:
        return rules.Game(attempts=attempts)
    return rules.Game(
        attempts=attempts,
        guesses=tuple(
            rules.PastGuess(
                outcome=rules.Outcome(g.outcome),
                movie_id=g.movie_id,
            )
            for g in play.guesses
        ),
    )


def record_move(
    play: Play | None,
    player_id: str,
    puzzle: Puzzle,
    position: int,
    verdict: rules.Verdict,
    text: str,
    status_after: rules.Status,
    now: datetime,
    archive: bool = False,
    movie: Movie | None = None,
) -> Play | None:
    """Store an accepted move in `play` (None: start one); None if the position was taken.

    `movie` is the guessed movie, already loaded: the returned play, its guesses and their
    movies stay loaded after the commit, so the answer is rendered without reading them again.
    """
    assert verdict.outcome is not None
    if play is None:
        play = Play(
            player_id=player_id,
            puzzle_id=puzzle.id,
            status="playing",
            started_at=now,
            archive=archive,
        )
        db.session.add(play)
    play.guesses.append(
        Guess(
            position=position,
            text=text[: titles.MAX_GUESS_LENGTH],
            movie_id=verdict.movie_id,
            movie=movie if movie is not None and movie.id == verdict.movie_id else None,
            outcome=verdict.outcome.value,
            created_at=now,
        )
    )
    play.status = status_after.value
    if status_after is not rules.Status.PLAYING:
        play.finished_at = now
    finished = status_after is not rules.Status.PLAYING
    session = db.session()
    try:
        if finished:
            # Same transaction as the move: a refused (raced) move is never counted.
            solved_in = position + 1 if status_after is rules.Status.WON else 0
            stats.count_finish(puzzle.id, solved_in)
        # Everything in the session is what was just written (or read in this request): keep it
        # loaded instead of reading the play, the puzzle and its snippets again to render.
        session.expire_on_commit = False
        session.commit()
    except IntegrityError:
        # A double submit or a second tab raced us to this position: the first one stands.
        session.rollback()
        return None
    finally:
        session.expire_on_commit = True
    if finished:
        stats.forget_puzzle_figures(puzzle.id)
    return play
