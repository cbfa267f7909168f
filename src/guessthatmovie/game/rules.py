"""A game's state and the moves a player can make, decided from plain values."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from guessthatmovie.game.titles import MAX_GUESS_LENGTH, clean_text


class Outcome(StrEnum):
    """What an accepted move did."""

    WRONG = "wrong"
    SKIPPED = "skipped"
    RIGHT = "right"


class Status(StrEnum):
    """Where a game stands."""

    PLAYING = "playing"
    WON = "won"
    LOST = "lost"


class Rejection(StrEnum):
    """Why a move was refused without costing an attempt."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    REPEAT = "repeat"
    FINISHED = "finished"


@dataclass(frozen=True)
class PastGuess:
    """An accepted move as the rules need to see it."""

    outcome: Outcome
    movie_id: int | None = None


@dataclass(frozen=True)
class Verdict:
    """The rules' answer to a move: an outcome to record, or a rejection."""

    outcome: Outcome | None = None
    rejection: Rejection | None = None
    movie_id: int | None = None

    @property
    def accepted(self) -> bool:
        """Return whether the move costs an attempt and must be recorded."""
        return self.outcome is not None


@dataclass(frozen=True)
class Game:
    """One player's game of one puzzle."""

    attempts: int
    guesses: tuple[PastGuess, ...] = ()

    @property
    def status(self) -> Status:
        """Return whether the game is won, lost or still going."""
        if any(g.outcome is Outcome.RIGHT for g in self.guesses):
            return Status.WON
        if len(self.guesses) >= self.attempts:
            return Status.LOST
        return Status.PLAYING

    @property
    def finished(self) -> bool:
        """Return whether no more moves are possible."""
        return self.status is not Status.PLAYING

    @property
    def attempts_left(self) -> int:
        """Return how many moves remain."""
        return 0 if self.finished else self.attempts - len(self.guesses)

    @property
    def clues_revealed(self) -> int:
        """Return how many review clues the player has unlocked (one per wrong guess or skip)."""
        misses = sum(1 for g in self.guesses if g.outcome is not Outcome.RIGHT)
        return min(misses, self.attempts - 1)

    def with_move(self, verdict: Verdict) -> Game:
        """Return the game after an accepted move."""
        if verdict.outcome is None:
            return self
        move = PastGuess(outcome=verdict.outcome, movie_id=verdict.movie_id)
        return Game(attempts=self.attempts, guesses=(*self.guesses, move))


def clues_needed(attempts: int) -> int:
    """Return how many review snippets a puzzle needs so that every miss reveals a new one."""
    return max(attempts - 1, 0)


def judge_guess(
    game: Game, text: str, key: str, candidates: Collection[int], answer_id: int
) -> Verdict:
    """Decide a typed guess, given the catalogue movies its key (and year) matched."""
    if game.finished:
        return Verdict(rejection=Rejection.FINISHED)
    text = clean_text(text)
    if len(text) > MAX_GUESS_LENGTH:
        return Verdict(rejection=Rejection.TOO_LONG)
    if not text or not key:
        return Verdict(rejection=Rejection.EMPTY)
    if not candidates:
        return Verdict(rejection=Rejection.UNKNOWN)
    if len(candidates) > 1:
        # Remakes and namesakes: ask which one, whatever the answer is, so nothing leaks.
        return Verdict(rejection=Rejection.AMBIGUOUS)
    (movie_id,) = candidates
    # A repeat is the same movie again, by any of its names; a namesake of another year is not.
    earlier_movies = {g.movie_id for g in game.guesses if g.movie_id is not None}
    if movie_id in earlier_movies:
        return Verdict(rejection=Rejection.REPEAT)
    outcome = Outcome.RIGHT if movie_id == answer_id else Outcome.WRONG
    return Verdict(outcome=outcome, movie_id=movie_id)


def judge_skip(game: Game) -> Verdict:
    """Decide a skip: it costs an attempt and reveals the next clue."""
    if game.finished:
        return Verdict(rejection=Rejection.FINISHED)
    return Verdict(outcome=Outcome.SKIPPED)
