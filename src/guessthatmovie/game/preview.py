"""The operator's preview of a day: its clues as players will meet them, and what is wrong.

The clues themselves come from the game's own code (the board a player sees once every clue is
revealed, redacted by `redact.redact_title`); this module only words them and checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guessthatmovie.game import clues, leaks, redact


@dataclass(frozen=True)
class ReviewClue:
    """A review clue as the preview checks it: the stored text and what players are shown."""

    original: str
    shown: str
    critic: str
    publication: str


def clue_label(index: int) -> str:
    """Return the heading players see on the review clue at `index` (the facts card is clue 1)."""
    return f"Clue {index + 2}"


def facts_line(
    year: int | None,
    genres: Sequence[str],
    critic_score: int | None,
    audience_score: int | None,
    critics_fresh: bool | None,
    audience_upright: bool | None,
) -> str:
    """Word the facts card on one line, as partials/facts.html shows it."""
    critics = "no score"
    if critic_score is not None:
        critics = f"{critic_score}% {'fresh' if critics_fresh else 'rotten'}"
    audience = "no score"
    if audience_score is not None:
        popcorn = "upright" if audience_upright else "spilled"
        audience = f"{audience_score}% {popcorn} popcorn"
    return (
        f"Released {year or 'unknown'}; genres {', '.join(genres) or 'unknown'}; "
        f"critics {critics}; audience {audience}"
    )


def clue_line(index: int, clue: ReviewClue) -> str:
    """Word a review clue on one line: its heading, the text players see, critic and paper."""
    return f"{clue_label(index)}: “{clue.shown}” ({clue.critic}, {clue.publication})"


def problems(review_clues: Sequence[ReviewClue], names: leaks.FilmNames, needed: int) -> list[str]:
    """List what would spoil or break the day: clues that name the film, unusable or missing."""
    found: list[str] = []
    usable = 0
    for index, clue in enumerate(review_clues):
        label = clue_label(index)
        giveaways = leaks.giveaways(clue.shown, names)
        if giveaways:
            found.append(f"{label} names the film: {'; '.join(map(str, giveaways))}")
        reason = clues.unusable_reason(clue.original)
        if reason is None and not clues.says_enough(clue.shown):
            reason = "mostly the title"
        if reason is None:
            usable += 1
        else:
            found.append(f"{label} is not a usable clue ({reason})")
    if usable < needed:
        found.append(f"only {usable} usable review clues, but the game reveals {needed}")
    return found


def shown_clues(
    snippets: Sequence[tuple[str, str, str]], names: leaks.FilmNames, count: int
) -> list[ReviewClue]:
    """Return the first `count` (text, critic, publication) snippets as the board shows them."""
    return [
        ReviewClue(text, redact.redact_title(text, names.title, names.alternates), critic, paper)
        for text, critic, paper in snippets[:count]
    ]


def is_clean(clue: ReviewClue, names: leaks.FilmNames) -> bool:
    """Return whether a clue can be shown: usable, saying enough, and naming nothing."""
    return (
        clues.unusable_reason(clue.original) is None
        and clues.says_enough(clue.shown)
        and not leaks.giveaways(clue.shown, names)
    )
