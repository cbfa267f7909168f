"""The inline messages a player sees after a move."""

from __future__ import annotations

from dataclasses import dataclass, field

from guessthatmovie.board import Board
from guessthatmovie.game import rules, titles

REJECTION_TEXT = {
    rules.Rejection.EMPTY: "Type a movie title first (or press Skip for the next clue).",
    rules.Rejection.TOO_LONG: (
        "That is longer than any title we know: "
        f"keep it under {titles.MAX_GUESS_LENGTH} characters."
    ),
    rules.Rejection.UNKNOWN: "That title is not in our catalogue. No attempt used.",
    rules.Rejection.AMBIGUOUS: "Several movies have that title. Which one did you mean?",
    rules.Rejection.REPEAT: "You already guessed that one. No attempt used.",
    rules.Rejection.FINISHED: "This game is over: come back tomorrow for a new movie.",
}


@dataclass(frozen=True)
class Notice:
    """A message for the notice area, with "did you mean" picks for unknown titles."""

    text: str
    kind: str = "info"  # "info" or "error"
    suggestions: list[titles.Suggestion] = field(default_factory=list)


def for_rejection(
    rejection: rules.Rejection, suggestions: list[titles.Suggestion] | None = None
) -> Notice:
    """Explain why a move cost nothing."""
    text = REJECTION_TEXT[rejection]
    if rejection is rules.Rejection.UNKNOWN and suggestions:
        text = "That title is not in our catalogue. Did you mean one of these? No attempt used."
    return Notice(text=text, kind="error", suggestions=suggestions or [])


def for_board(board: Board) -> Notice | None:
    """Sum up the last move in a sentence or two (the live region reads it out after a swap)."""
    if not board.guesses:
        return None
    if board.answer is not None:
        if board.status == rules.Status.WON:
            return Notice(text=f"Right! You got it in {len(board.guesses)}/{board.attempts}.")
        return Notice(text="Out of attempts. The answer is below.")
    last = board.guesses[-1]
    move = "Skipped." if last.outcome == rules.Outcome.SKIPPED else f"Wrong: {last.label}."
    clue = f" New clue: “{board.clues[-1].text}”" if board.clues else ""
    left = "1 attempt left" if board.attempts_left == 1 else f"{board.attempts_left} attempts left"
    return Notice(text=f"{move}{clue} {left}.")


STALE = Notice(text="That move was already counted; here is your game as it stands.")
EXPIRED = Notice(
    text="That form had expired, so your guess was not counted. Please send it again.",
    kind="error",
)
# The same for any other form (the stats page's, the display settings): no guess was involved.
FORM_EXPIRED = Notice(
    text="That form had expired, so nothing was changed. Please try again.", kind="error"
)
BAD_FORM = Notice(
    text="That form was incomplete, so nothing was counted. Please try again from this page.",
    kind="error",
)
