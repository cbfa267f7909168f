"""Play queries: a player's game of a puzzle, and saving a move atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, titles
from guessthatmovie.models import Guess, Movie, Play, PuzzleResultCount
from guessthatmovie.store import compiled, reads, stats
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
COUNTS = PuzzleResultCount.__table__
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


def _one_statement_moves() -> dict[tuple[bool, bool], Any]:
    """Build PostgreSQL's statements for a move, one per (new play?, game ends?).

    Each is a single statement, atomic on its own, so a move runs outside a transaction: no
    BEGIN and no COMMIT, two of a move's round trips to the database. A new play and its first
    guess, or a guess with its play's end and the puzzle's counters, go in as data-modifying
    CTEs; a raced position fails the whole statement on the guesses' unique key, as before.
    """

    def typed(name: str, column: Any) -> Any:
        return bindparam(name, type_=column.type)

    guess_values = (
        typed("at", GUESSES.c.position),
        typed("typed", GUESSES.c.text),
        typed("movie", GUESSES.c.movie_id),
        typed("verdict", GUESSES.c.outcome),
        typed("moment", GUESSES.c.created_at),
    )
    guess_columns = ["play_id", "position", "text", "movie_id", "outcome", "created_at"]
    new_play = (
        insert(PLAYS)
        .values(
            player_id=bindparam("player"),
            puzzle_id=bindparam("puzzle"),
            status=bindparam("ending"),
            started_at=bindparam("moment"),
            finished_at=bindparam("ended_at"),
            archive=bindparam("archive_play"),
        )
        .returning(PLAYS.c.id)
        .cte("new_play")
    )
    first_guess = insert(GUESSES).from_select(guess_columns, select(new_play.c.id, *guess_values))
    next_guess = insert(GUESSES).from_select(
        guess_columns, select(typed("play", GUESSES.c.play_id), *guess_values)
    )
    ended = (
        update(PLAYS)
        .where(PLAYS.c.id == bindparam("play"))
        .values(status=bindparam("ending"), finished_at=bindparam("ended_at"))
        .returning(PLAYS.c.id)
        .cte("ended")
    )
    counted = (
        stats.count_finish_on("postgresql", puzzle="puzzle", solved_in="solved")
        .returning(COUNTS.c.puzzle_id)
        .cte("counted")
    )

    def then_count(guess: Any, *ctes: Any) -> Any:
        # The guess's play id, and the puzzle's counters as they stood before this finish (the
        # statement's snapshot does not see its own CTEs' writes): the finish is added in Python.
        stored = guess.returning(GUESSES.c.play_id).cte("stored")
        return (
            select(stored.c.play_id, COUNTS.c.solved_in, COUNTS.c.players)
            .select_from(stored)
            .outerjoin(COUNTS, COUNTS.c.puzzle_id == bindparam("puzzle"))
            .add_cte(*ctes, counted)
        )

    return {
        (True, False): first_guess.add_cte(new_play).returning(GUESSES.c.play_id),
        (False, False): next_guess.returning(GUESSES.c.play_id),
        (True, True): then_count(first_guess, new_play),
        (False, True): then_count(next_guess, ended),
    }


_MOVES_IN_ONE_STATEMENT = _one_statement_moves()


def _in_one_statement(session: Session) -> bool:
    """Tell whether moves are written as one statement each, outside a transaction (PostgreSQL).

    SQLite has no data-modifying CTEs (and its round trips cost nothing): it writes a move's
    statements in one transaction.
    """
    return session.get_bind().dialect.name == "postgresql"


def start_move() -> None:
    """Begin a move: on PostgreSQL its reads (the title, the play) and its one-statement write
    all run outside a transaction, so that no BEGIN and COMMIT are sent for it."""
    if _in_one_statement(db.session()):
        reads.outside_transactions()


def stored_play(player_id: str, puzzle_id: int, for_move: bool = False) -> StoredPlay | None:
    """Return a player's play of a puzzle with its moves in order, in one statement.

    Building ORM objects for it (identity map, joined-eager loading) cost a third of a returning
    player's page view and of a move.

    A page calls it first in a request and it leaves the connection outside any transaction:
    one SELECT needs no BEGIN and no ROLLBACK, two of a page's four round trips to the database.
    A move (`for_move`) on SQLite reads in the transaction its write then commits; on
    PostgreSQL its write is one statement, outside a transaction too (see record_move).
    """
    if not for_move:
        reads.outside_transactions()
    session = reads.reading()
    outside = _in_one_statement(session)
    params = {"player_id": player_id, "puzzle_id": puzzle_id}
    # Its genres are JSON, which only SQLAlchemy decodes on SQLite: SQLite runs it as a statement.
    rows: Sequence[Any]
    if outside:
        rows = compiled.run(session, _PLAY_ROWS, params)
    else:
        rows = session.execute(_PLAY_ROWS, params).all()
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

    Written with Core: the play (a new one, or its status when the move ends the game), the
    guess and, at the end, the puzzle's counters, as one statement on PostgreSQL (outside a
    transaction) and in one transaction on SQLite. `movie` is the
    guessed movie: the returned play is the one read plus this move, so the answer is rendered
    without reading the play again.
    """
    assert verdict.outcome is not None
    finished = status_after is not rules.Status.PLAYING
    solved_in = position + 1 if status_after is rules.Status.WON else 0
    # Named apart from the columns: a key naming a column would be SET by the statements' UPDATE.
    params = {
        "player": player_id,
        "puzzle": puzzle.id,
        "play": play.id if play is not None else None,
        "ending": status_after.value,
        "moment": now,
        "ended_at": now if finished else None,
        "archive_play": archive,
        "at": position,
        "typed": text[: titles.MAX_GUESS_LENGTH],
        "movie": verdict.movie_id,
        "verdict": verdict.outcome.value,
        "solved": solved_in,
    }
    session = reads.reading()  # outside a transaction on PostgreSQL (start_move)
    one_statement = _in_one_statement(session)
    rows: list[Any] = []
    try:
        if one_statement:
            statement = _MOVES_IN_ONE_STATEMENT[play is None, finished]
            rows = compiled.run(session, statement, params)
            play_id = rows[0].play_id
            if not reads.outside(session):
                session.commit()  # something read before in a transaction: end it
        else:
            play_id = _record_in_transaction(session, params, play, finished)
    except IntegrityError:
        # A double submit or a second tab raced us to this position: the first one stands.
        session.rollback()
        return None
    if finished:
        if one_statement:
            # The counters as the statement found them, plus this finish: kept for every worker,
            # so a finisher sees their own game counted without the counters being read again.
            counts = {row.solved_in: row.players for row in rows if row.solved_in is not None}
            counts[solved_in] = counts.get(solved_in, 0) + 1
            stats.keep_puzzle_figures(puzzle.id, counts)
        else:
            stats.forget_puzzle_figures(puzzle.id)
    shown = movie if movie is not None and verdict.movie_id is not None else None
    move = StoredGuess(position, verdict.outcome, verdict.movie_id, shown)
    return StoredPlay(play_id, (play.guesses if play is not None else ()) + (move,))


def _record_in_transaction(
    session: Session, params: dict[str, Any], play: StoredPlay | None, finished: bool
) -> int:
    """Write a move's statements in one transaction and commit it; return the play's id."""
    if play is None:
        new_play = {
            "player_id": params["player"],
            "puzzle_id": params["puzzle"],
            "status": params["ending"],
            "started_at": params["moment"],
            "finished_at": params["ended_at"],
            "archive": params["archive_play"],
        }
        play_id: int = session.execute(_NEW_PLAY, new_play).scalar_one()
    else:
        play_id = play.id
    # The guess first: a raced position fails here, before anything else is written.
    guess = {
        "play_id": play_id,
        "position": params["at"],
        "text": params["typed"],
        "movie_id": params["movie"],
        "outcome": params["verdict"],
        "created_at": params["moment"],
    }
    session.execute(_NEW_GUESS, guess)
    if finished:
        if play is not None:
            ending = {
                "play_id": play_id,
                "status": params["ending"],
                "finished_at": params["moment"],
            }
            session.execute(_END_PLAY, ending)
        # Same transaction as the move: a refused (raced) move is never counted.
        stats.count_finish(params["puzzle"], params["solved"])
    session.commit()
    return play_id
