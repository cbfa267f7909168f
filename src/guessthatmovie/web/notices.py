"""The inline messages a player sees after a move."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import request, session

from guessthatmovie.board import Board
from guessthatmovie.game import rules, titles
from guessthatmovie.store import catalogue

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
    kind: str = "info"  # "info", "error", "choice" (which film?) or "question" (did you mean…?)
    suggestions: list[titles.Suggestion] = field(default_factory=list)
    spoken: str = ""  # read out after the text, not shown


def for_rejection(
    rejection: rules.Rejection, suggestions: list[titles.Suggestion] | None = None
) -> Notice:
    """Explain why a move cost nothing."""
    text = REJECTION_TEXT[rejection]
    if rejection is rules.Rejection.UNKNOWN and suggestions:
        # A misspelling is a question, not an error: the page asks "Did you mean <the first>?"
        # before this text (partials/notice.html), then lists every choice.
        return Notice(text="No attempt used.", kind="question", suggestions=suggestions)
    kind = "choice" if rejection is rules.Rejection.AMBIGUOUS else "error"
    return Notice(text=text, kind=kind, suggestions=suggestions or [])


def for_board(board: Board) -> Notice | None:
    """Sum up the last move in a sentence or two (the live region reads it out after a swap)."""
    if not board.guesses:
        return None
    if board.answer is not None:
        return None  # the result says it, once (after a swap, focus moves to it)
    last = board.guesses[-1]
    move = "Skipped." if last.outcome == rules.Outcome.SKIPPED else f"Wrong: {last.label}."
    left = "Last attempt." if board.attempts_left == 1 else f"{board.attempts_left} attempts left."
    # On screen the line stays short, so the new clue and the field fit one phone screen; a
    # screen reader hears the clue too.
    clue = f"New clue: “{board.clues[-1].text}”" if board.clues else ""
    return Notice(text=f"{move} {left}", spoken=clue)


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
# A form refused before its token was judged (another site's page posted it, or the browser sent
# no session): nothing changed. Its notice cannot wait in the session (the answer sets no
# cookie), so the redirect names it in its query: `?notice=foreign`.
FOREIGN_FORM = Notice(
    text=(
        "That form did not come from this page as you last saw it, so nothing was changed. "
        "Here is your game as it stands."
    ),
    kind="error",
)
QUERY_ARG = "notice"
FOREIGN_CODE = "foreign"
QUERY_NOTICES = {FOREIGN_CODE: FOREIGN_FORM}


def from_query() -> Notice | None:
    """Return the notice a redirect named in the page's query, if any."""
    return QUERY_NOTICES.get(request.args.get(QUERY_ARG, ""))


# A refused move without JavaScript is answered 303 like any other (Back and Reload never post
# again): its notice and the typed text wait in the signed session cookie for the next page.
# Suggestions travel as movie ids (the cookie is readable; names are looked up on the page).
KEPT = "refused"
KEPT_SUGGESTIONS = 8
# The cookie stays small whatever was typed (browsers and nginx refuse large headers, which would
# lock the player out): a title is never longer than 200 characters (a longer text is refused
# as too long, and says so), and its JSON in the cookie at most 600 bytes (escaped non-ASCII).
KEPT_TEXT = titles.MAX_GUESS_LENGTH
KEPT_TEXT_BYTES = 600
KEPT_NOTICE = 300


def keep(number: int, notice: Notice, text: str) -> None:
    """Keep a refusal's notice and typed text for the next page of puzzle `number`."""
    picks = [s.movie_id for s in notice.suggestions[:KEPT_SUGGESTIONS]]
    kept = {"n": number, "m": notice.text[:KEPT_NOTICE], "k": notice.kind, "s": picks}
    session[KEPT] = kept | {"t": bounded(text)}


def bounded(text: str) -> str:
    """Return the start of a typed text that the cookie keeps: 200 characters, 600 bytes."""
    kept = text[:KEPT_TEXT]
    while len(json.dumps(kept)) > KEPT_TEXT_BYTES:
        kept = kept[: len(kept) * 3 // 4]
    return kept


def take(number: int) -> tuple[Notice | None, str]:
    """Return (and forget) the notice and typed text kept for puzzle `number`, if any."""
    kept = session.pop(KEPT, None) if KEPT in session else None
    if not isinstance(kept, dict) or kept.get("n") != number:
        return None, ""
    try:
        ids = [int(i) for i in kept["s"]][:KEPT_SUGGESTIONS]
        labels = catalogue.labels_of(ids)
        suggestions = [titles.Suggestion(i, labels[i]) for i in ids if i in labels]
        return Notice(str(kept["m"]), str(kept["k"]), suggestions), str(kept["t"])
    except (KeyError, TypeError, ValueError):
        return None, ""
