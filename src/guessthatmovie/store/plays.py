"""Play queries: a player's game of a puzzle, and saving a move atomically."""

from __future__ import annotations

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
