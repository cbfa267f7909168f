"""The grid of a shared result link, `/r/<number>/<grid>`: spelt from outcomes, parsed strictly.

One lower-case letter per move made: `x` wrong, `s` skipped, `o` right. Unused attempts are not
spelt. A valid grid is either a win (a right answer last, nothing after it, at most `attempts`
letters) or a loss (exactly `attempts` letters, none of them right). The grid says how a game
went, never which movie it was; anyone can type one, so a forged grid is only a fake brag.
"""

from __future__ import annotations

from collections.abc import Sequence

from guessthatmovie.game import share
from guessthatmovie.game.rules import Outcome

LETTERS = {Outcome.WRONG: "x", Outcome.SKIPPED: "s", Outcome.RIGHT: "o"}
OUTCOMES = {letter: outcome for outcome, letter in LETTERS.items()}


def spell_grid(outcomes: Sequence[Outcome]) -> str:
    """Spell a finished game's outcomes as the grid of its result link."""
    return "".join(LETTERS[outcome] for outcome in outcomes)


def parse_grid(grid: str, attempts: int) -> tuple[Outcome, ...] | None:
    """Return the outcomes a grid spells, or None when no finished game could have it."""
    if not 1 <= len(grid) <= attempts or any(letter not in OUTCOMES for letter in grid):
        return None
    outcomes = tuple(OUTCOMES[letter] for letter in grid)
    if Outcome.RIGHT in outcomes[:-1]:
        return None  # a game ends at its right answer
    if outcomes[-1] is not Outcome.RIGHT and len(outcomes) != attempts:
        return None  # a game without a right answer ends only when every attempt is used
    return outcomes


def preview_title(number: int, outcomes: Sequence[Outcome], attempts: int) -> str:
    """Return the title a link preview shows: "Guess That Movie #12 — 3/6"."""
    return f"{share.BRAND} #{number} — {share.score(outcomes, attempts)}"


def summary(outcomes: Sequence[Outcome], attempts: int) -> str:
    """Say in words how the game went, from its outcomes only."""
    if share.won(outcomes):
        return f"A player found the movie in {len(outcomes)} of {attempts} attempts."
    return f"A player used all {attempts} attempts without finding the movie."


def preview_description(outcomes: Sequence[Outcome], attempts: int) -> str:
    """Return the spoiler-free description a link preview shows under its title."""
    return (
        f"{summary(outcomes, attempts)} The daily movie quiz: guess the film from its scores "
        "and critics' words. No spoilers here. Can you do better?"
    )
