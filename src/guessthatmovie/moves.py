"""Play one move: load the game, let the rules decide, store the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from guessthatmovie.game import rules, titles
from guessthatmovie.store import catalogue, plays
from guessthatmovie.store.day_puzzle import DayPuzzle


@dataclass(frozen=True)
class MoveResult:
    """What became of a move: recorded, refused (and why), or a replay of one already counted."""

    recorded: bool = False
    outcome: rules.Outcome | None = None
    rejection: rules.Rejection | None = None
    stale: bool = False
    suggestions: list[titles.Suggestion] = field(default_factory=list)
    # The play as it stands after the move, when the move knows it (it stored the move, or it
    # read the play and refused the move): the answer is rendered without reading it again.
    play: plays.StoredPlay | None = None
    play_known: bool = False


def make_move(
    player_id: str,
    puzzle: DayPuzzle,
    action: str,
    text: str,
    position: int,
    attempts: int,
    now: datetime,
    movie_id: int | None = None,
    archive: bool = False,
) -> MoveResult:
    """Play a guess or a skip at `position` for a player; idempotent for replays of a position.

    `movie_id` comes from a typeahead pick: when the text still names that movie, the guess is
    that movie alone, so a remake or namesake picked from the list is never taken for another.
    `archive` marks a play started now as an archive play (see game.streaks.is_archive_play).
    """
    # A first move needs no read: a play exists only once a move is stored, so the game is empty.
    # If one does exist (a double submit of the first move), storing a new one fails: stale.
    plays.start_move()
    read = position != 0
    play = plays.stored_play(player_id, puzzle.id, for_move=True) if read else None
    game = plays.game_of(play, attempts)
    if position != len(game.guesses):
        # A double submit, a second tab or the back button: that move was already counted.
        return MoveResult(stale=True)
    matches: list[catalogue.GuessCandidate] = []
    if action == "skip":
        verdict = rules.judge_skip(game)
    elif len(text) > titles.MAX_GUESS_LENGTH:
        # Refused before any parsing or query: a move costs the same whatever a client sends.
        verdict = rules.judge_guess(game, text, "", (), puzzle.movie_id)
    else:
        parsed = titles.parse_guess(text)
        picked = catalogue.guess_candidates(parsed, movie_id) if movie_id is not None else []
        matches = picked or catalogue.guess_candidates(parsed)
        candidates = [movie.id for movie in matches]
        verdict = rules.judge_guess(game, text, parsed.key, candidates, puzzle.movie_id)
    if not verdict.accepted:
        suggestions = []
        if verdict.rejection is rules.Rejection.UNKNOWN:
            suggestions = catalogue.suggestions_for(text)
        elif verdict.rejection is rules.Rejection.AMBIGUOUS:
            films = [(movie.id, movie.label, movie.movie.critic_score) for movie in matches]
            suggestions = titles.told_apart(films)
        return MoveResult(
            rejection=verdict.rejection, suggestions=suggestions, play=play, play_known=read
        )
    after = game.with_move(verdict)
    guessed = next((movie for movie in matches if movie.id == verdict.movie_id), None)
    stored = plays.record_move(
        play,
        player_id,
        puzzle,
        position,
        verdict,
        titles.clean_text(text),
        after.status,
        now,
        archive,
        movie=guessed.movie if guessed is not None else None,
    )
    if stored is None:
        return MoveResult(stale=True)
    return MoveResult(recorded=True, outcome=verdict.outcome, play=stored, play_known=True)
