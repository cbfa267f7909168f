"""Play queries: a player's game of a puzzle, and saving a move atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, titles
from guessthatmovie.models import Guess, Movie, Play
from guessthatmovie.store import stats
from guessthatmovie.store.day_puzzle import DayPuzzle


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
    outcome: rules.Outcome
    movie_id: int | None
    movie: GuessedMovie | None


@dataclass(frozen=True)
class StoredPlay:
    """A player's game of a puzzle, the one shape of a play: the store returns it, a move's
    result carries it and the board reads it (plain values, no ORM objects)."""

    id: int
    guesses: tuple[StoredGuess, ...]


# Core statements on the tables, built once: an ORM statement (or one built per call) cost a
# move and a page more CPU than the database spent answering it.
PLAYS, GUESSES, MOVIES = Play.__table__, Guess.__table__, Movie.__table__
_PLAY_ROWS = (
    select(
        PLAYS.c.id.label("play_id"),
        GUESSES.c.position,
        GUESSES.c.outcome,
        GUESSES.c.movie_id,
        MOVIES.c.title,
        MOVIES.c.year,
        MOVIES.c.genres,
        MOVIES.c.critic_score,
        MOVIES.c.audience_score,
    )
    .select_from(PLAYS)
    .outerjoin(GUESSES, GUESSES.c.play_id == PLAYS.c.id)
    .outerjoin(MOVIES, MOVIES.c.id == GUESSES.c.movie_id)
    .where(PLAYS.c.player_id == bindparam("player_id"), PLAYS.c.puzzle_id == bindparam("puzzle_id"))
    .order_by(GUESSES.c.position)
)
_NEW_PLAY = insert(PLAYS).returning(PLAYS.c.id)
_NEW_GUESS = insert(GUESSES)
_END_PLAY = (
    update(PLAYS)
    .where(PLAYS.c.id == bindparam("play_id"))
    .values(status=bindparam("status"), finished_at=bindparam("finished_at"))
)


def stored_play(player_id: str, puzzle_id: int, for_move: bool = False) -> StoredPlay | None:
    """Return a player's play of a puzzle with its moves in order, in one statement.

    Building ORM objects for it (identity map, joined-eager loading) cost a third of a returning
    player's page view and of a move.

    A page calls it first in a request and it leaves the connection outside any transaction:
    one SELECT needs no BEGIN and no ROLLBACK, two of a page's four round trips to the database.
    A move (`for_move`) reads in the transaction its write then commits.
    """
    session = db.session()
    if not for_move and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    rows = session.execute(_PLAY_ROWS, {"player_id": player_id, "puzzle_id": puzzle_id}).all()
    if not rows:
        return None
    return StoredPlay(
        rows[0].play_id,
        tuple(
            StoredGuess(
                row.position,
                rules.Outcome(row.outcome),
                row.movie_id,
                None
                if row.title is None
                else GuessedMovie(
                    row.title, row.year, row.genres, row.critic_score, row.audience_score
                ),
            )
            for row in rows
            if row.position is not None  # a play with no guess yet gives one row of NULLs
        ),
    )


def game_of(play: StoredPlay | None, attempts: int) -> rules.Game:
    """Turn a stored play into the rules' view of the game."""
    if play is None:
        return rules.Game(attempts=attempts)
    return rules.Game(
        attempts=attempts,
        guesses=tuple(
            rules.PastGuess(
                outcome=g.outcome,
                movie_id=g.movie_id,
            )
            for g in play.guesses
        ),
    )


def record_move(
    play: StoredPlay | None,
    player_id: str,
    puzzle: DayPuzzle,
    position: int,
    verdict: rules.Verdict,
    text: str,
    status_after: rules.Status,
    now: datetime,
    archive: bool = False,
    movie: GuessedMovie | None = None,
) -> StoredPlay | None:
    """Store an accepted move in `play` (None: start one); None if the position was taken.

    Written with Core statements in one transaction: the play (a new one, or its status when
    the move ends the game), the guess and, at the end, the puzzle's counters. `movie` is the
    guessed movie: the returned play is the one read plus this move, so the answer is rendered
    without reading the play again.
    """
    assert verdict.outcome is not None
    finished = status_after is not rules.Status.PLAYING
    session = db.session()
    try:
        if play is None:
            play_id = session.execute(
                _NEW_PLAY,
                {
                    "player_id": player_id,
                    "puzzle_id": puzzle.id,
                    "status": status_after.value,
                    "started_at": now,
                    "finished_at": now if finished else None,
                    "archive": archive,
                },
            ).scalar_one()
        else:
            play_id = play.id
        # The guess first: a raced position fails here, before anything else is written.
        session.execute(
            _NEW_GUESS,
            {
                "play_id": play_id,
                "position": position,
                "text": text[: titles.MAX_GUESS_LENGTH],
                "movie_id": verdict.movie_id,
                "outcome": verdict.outcome.value,
                "created_at": now,
            },
        )
        if finished:
            if play is not None:
                session.execute(
                    _END_PLAY,
                    {"play_id": play_id, "status": status_after.value, "finished_at": now},
                )
            # Same transaction as the move: a refused (raced) move is never counted.
            solved_in = position + 1 if status_after is rules.Status.WON else 0
            stats.count_finish(puzzle.id, solved_in)
        session.commit()
    except IntegrityError:
        # A double submit or a second tab raced us to this position: the first one stands.
        session.rollback()
        return None
    if finished:
        stats.forget_puzzle_figures(puzzle.id)
    shown = movie if movie is not None and verdict.movie_id is not None else None
    move = StoredGuess(position, verdict.outcome, verdict.movie_id, shown)
    return StoredPlay(play_id, (play.guesses if play is not None else ()) + (move,))
