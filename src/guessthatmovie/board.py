"""The player's view of a game: only what may be shown at this point of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guessthatmovie.game import compare, rules
from guessthatmovie.store.day_puzzle import DayPuzzle, PuzzleMovie
from guessthatmovie.store.plays import GuessedMovie, StoredPlay


@dataclass(frozen=True)
class Facts:
    """The first clue card: facts about the hidden movie that never name it."""

    year: int | None
    genres: tuple[str, ...]
    critic_score: int | None
    audience_score: int | None
    critics_fresh: bool | None
    audience_upright: bool | None


@dataclass(frozen=True)
class Clue:
    """A review snippet card, with the title blanked out while the game is on."""

    number: int
    text: str
    critic: str
    publication: str
    fresh: bool


@dataclass(frozen=True)
class GuessLine:
    """An entry of the previous-guesses list."""

    number: int
    label: str
    outcome: rules.Outcome
    comparison: compare.Comparison | None = None


@dataclass(frozen=True)
class Answer:
    """The hidden movie, which only a finished game may see."""

    title: str
    year: int | None
    synopsis: str
    clues: tuple[Clue, ...]
    page_url: str | None = None  # the film's Rotten Tomatoes page, where the catalogue knows it
    consensus: str = ""  # the critics' consensus, where the catalogue has one


@dataclass(frozen=True)
class Board:
    """Everything a page or fragment shows about one player's game of one puzzle."""

    number: int
    day: date
    facts: Facts
    clues: tuple[Clue, ...]
    guesses: tuple[GuessLine, ...]
    attempts: int
    attempts_left: int
    status: rules.Status
    answer: Answer | None

    @property
    def finished(self) -> bool:
        """Return whether the game is over."""
        return self.answer is not None

    @property
    def next_position(self) -> int:
        """Return the position the next move will take (the form echoes it to spot replays)."""
        return len(self.guesses)


def build_board(puzzle: DayPuzzle, play: StoredPlay | None, game: rules.Game) -> Board:
    """Build the board of a game; the answer's names never leave here before the end."""
    movie = puzzle.movie
    shown = movie.snippets[: game.clues_revealed]
    # Each clue's blanked text was decided when the puzzle was read (store/day_puzzle.py).
    clues = tuple(
        Clue(i + 1, s.shown, s.critic, s.publication, s.fresh) for i, s in enumerate(shown)
    )
    answer = None
    if game.finished:
        used = tuple(
            Clue(i + 1, s.text, s.critic, s.publication, s.fresh) for i, s in enumerate(shown)
        )
        answer = Answer(
            movie.title, movie.year, movie.synopsis, used, movie.page_url, movie.consensus
        )
    answer_facts = facts_of(movie)
    guesses = tuple(
        GuessLine(
            number=g.position + 1,
            label=g.movie.label if g.movie is not None else "Skipped",
            outcome=g.outcome,
            comparison=(
                compare.compare(facts_of(g.movie), answer_facts)
                if g.movie is not None and g.outcome == rules.Outcome.WRONG
                else None
            ),
        )
        for g in (play.guesses if play else [])
    )
    return Board(
        number=puzzle.number,
        day=puzzle.day,
        facts=Facts(
            year=movie.year,
            genres=tuple(movie.genres),
            critic_score=movie.critic_score,
            audience_score=movie.audience_score,
            critics_fresh=movie.critics_fresh,
            audience_upright=movie.audience_upright,
        ),
        clues=clues,
        guesses=guesses,
        attempts=game.attempts,
        attempts_left=game.attempts_left,
        status=game.status,
        answer=answer,
    )


def facts_of(movie: PuzzleMovie | GuessedMovie) -> compare.MovieFacts:
    """Return the facts of a movie that comparison hints look at."""
    return compare.MovieFacts(movie.year, movie.genres, movie.critic_score, movie.audience_score)


def last_attempt_board(puzzle: DayPuzzle, attempts: int) -> Board:
    """Build the board of a player who missed every attempt but the last: every clue shown."""
    misses = (rules.PastGuess(rules.Outcome.SKIPPED),) * rules.clues_needed(attempts)
    return build_board(puzzle, None, rules.Game(attempts, misses))
