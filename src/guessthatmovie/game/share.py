"""The spoiler-free result text players paste into chats: a stable prefix, a grid, a link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from guessthatmovie.game.rules import Outcome

BRAND = "Guess That Movie"
# A square is a move's outcome, or an attempt the game did not need.
Kind = Outcome | Literal["unused"]
UNUSED: Kind = "unused"
# One square per attempt; every outcome has its own shape of colour *and* its own word.
SQUARES: dict[Kind, str] = {
    Outcome.WRONG: "🟥",
    Outcome.SKIPPED: "⬛",
    Outcome.RIGHT: "🟩",
    UNUSED: "⬜",
}
WORDS: dict[Kind, str] = {
    Outcome.WRONG: "wrong",
    Outcome.SKIPPED: "skipped",
    Outcome.RIGHT: "right",
    UNUSED: "not needed",
}
# The page draws its squares with CSS and these marks (no emoji font needed, not colour alone).
MARKS: dict[Kind, str] = {Outcome.WRONG: "✗", Outcome.SKIPPED: "–", Outcome.RIGHT: "✓", UNUSED: ""}


@dataclass(frozen=True)
class Square:
    """One attempt of the grid: its symbol and what it means, for screen readers."""

    kind: Kind  # also the square's class and data-square on the page
    symbol: str
    word: str
    mark: str


def grid(outcomes: Sequence[Outcome], attempts: int) -> tuple[Square, ...]:
    """Return one square per attempt: the moves made, then the attempts left unused."""
    kinds: list[Kind] = [*outcomes, *[UNUSED] * max(attempts - len(outcomes), 0)]
    return tuple(Square(kind, SQUARES[kind], WORDS[kind], MARKS[kind]) for kind in kinds)


def won(outcomes: Sequence[Outcome]) -> bool:
    """Return whether a finished game's outcomes end in a right answer."""
    return bool(outcomes) and outcomes[-1] == Outcome.RIGHT


def score(outcomes: Sequence[Outcome], attempts: int) -> str:
    """Return the score part of the heading: "3/6" for a win in three, "X/6" for a loss."""
    return f"{len(outcomes) if won(outcomes) else 'X'}/{attempts}"


def headline(number: int, outcomes: Sequence[Outcome], attempts: int, archive: bool = False) -> str:
    """Return the first line, which chat bots parse: "Guess That Movie #N 3/6"."""
    line = f"{BRAND} #{number} {score(outcomes, attempts)}"
    return f"{line} (archive)" if archive else line


def share_text(
    number: int, outcomes: Sequence[Outcome], attempts: int, url: str, archive: bool = False
) -> str:
    """Return the whole text to share; built from outcomes only, it cannot name the movie."""
    squares = "".join(square.symbol for square in grid(outcomes, attempts))
    return f"{headline(number, outcomes, attempts, archive)}\n{squares}\n{url}"
