"""The spoiler-free result text players paste into chats: a stable prefix, a grid, a link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BRAND = "Guess That Movie"
# One square per attempt; every outcome has its own shape of colour *and* its own word.
SQUARES = {"wrong": "🟥", "skipped": "⬛", "right": "🟩", "unused": "⬜"}
WORDS = {"wrong": "wrong", "skipped": "skipped", "right": "right", "unused": "not needed"}
# The page draws its squares with CSS and these marks (no emoji font needed, not colour alone).
MARKS = {"wrong": "✗", "skipped": "–", "right": "✓", "unused": ""}


@dataclass(frozen=True)
class Square:
    """One attempt of the grid: its symbol and what it means, for screen readers."""

    kind: str
    symbol: str
    word: str
    mark: str


def grid(outcomes: Sequence[str], attempts: int) -> tuple[Square, ...]:
    """Return one square per attempt: the moves made, then the attempts left unused."""
    kinds = [*outcomes, *["unused"] * max(attempts - len(outcomes), 0)]
    return tuple(Square(kind, SQUARES[kind], WORDS[kind], MARKS[kind]) for kind in kinds)


def score(outcomes: Sequence[str], attempts: int) -> str:
    """Return the score part of the heading: "3/6" for a win in three, "X/6" for a loss."""
    won = bool(outcomes) and outcomes[-1] == "right"
    return f"{len(outcomes) if won else 'X'}/{attempts}"


def headline(number: int, outcomes: Sequence[str], attempts: int, archive: bool = False) -> str:
    """Return the first line, which chat bots parse: "Guess That Movie #N 3/6"."""
    line = f"{BRAND} #{number} {score(outcomes, attempts)}"
    return f"{line} (archive)" if archive else line


def share_text(
    number: int, outcomes: Sequence[str], attempts: int, url: str, archive: bool = False
) -> str:
    """Return the whole text to share; built from outcomes only, it cannot name the movie."""
    squares = "".join(square.symbol for square in grid(outcomes, attempts))
    return f"{headline(number, outcomes, attempts, archive)}\n{squares}\n{url}"
