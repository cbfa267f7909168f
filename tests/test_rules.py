"""The game rules as a pure unit."""

from __future__ import annotations

from guessthatmovie.game.rules import (
    Game,
    Outcome,
    PastGuess,
    Rejection,
    Status,
    clues_needed,
    judge_guess,
    judge_skip,
)

ANSWER = 7


def play(game: Game, text: str, candidates: list[int], key: str | None = None) -> Game:
    verdict = judge_guess(game, text, key or text.lower(), candidates, ANSWER)
    assert verdict.accepted, verdict.rejection
    return game.with_move(verdict)


def test_right_guess_wins() -> None:
    game = play(Game(attempts=6), "answer", [ANSWER])
    assert game.status is Status.WON
    assert game.attempts_left == 0
    assert game.finished


def test_wrong_guesses_reveal_clues_then_lose() -> None:
    game = Game(attempts=3)
    game = play(game, "one", [1])
    assert (game.status, game.attempts_left, game.clues_revealed) == (Status.PLAYING, 2, 1)
    game = play(game, "two", [2])
    assert (game.status, game.attempts_left, game.clues_revealed) == (Status.PLAYING, 1, 2)
    game = play(game, "three", [3])
    assert game.status is Status.LOST
    assert game.clues_revealed == 2  # the last miss ends the game instead of revealing a clue


def test_skip_costs_an_attempt_and_reveals_a_clue() -> None:
    game = Game(attempts=6)
    verdict = judge_skip(game)
    assert verdict.outcome is Outcome.SKIPPED
    game = game.with_move(verdict)
    assert (game.attempts_left, game.clues_revealed) == (5, 1)


def test_unknown_empty_and_long_guesses_cost_nothing() -> None:
    game = Game(attempts=6)
    assert judge_guess(game, "zzz", "zzz", [], ANSWER).rejection is Rejection.UNKNOWN
    assert judge_guess(game, "   ", "", [], ANSWER).rejection is Rejection.EMPTY
    long_text = "x" * 201
    assert judge_guess(game, long_text, long_text, [1], ANSWER).rejection is Rejection.TOO_LONG


def test_repeating_a_movie_by_any_name_costs_nothing() -> None:
    game = play(Game(attempts=6), "one", [1], key="one")
    assert judge_guess(game, "One", "one", [1], ANSWER).rejection is Rejection.REPEAT
    # Another name of the same movie is a repeat too.
    assert judge_guess(game, "Uno", "uno", [1], ANSWER).rejection is Rejection.REPEAT
    assert len(game.guesses) == 1


def test_a_namesake_of_a_guessed_movie_is_a_new_guess() -> None:
    """ "Psycho (1960)" wrong does not make "Psycho (1998)" a repeat: it may be the answer."""
    game = play(Game(attempts=6), "psycho (1960)", [1], key="psycho")
    verdict = judge_guess(game, "psycho (1998)", "psycho", [ANSWER], ANSWER)
    assert verdict.outcome is Outcome.RIGHT


def test_shared_title_asks_which_film_whatever_the_answer() -> None:
    with_answer = judge_guess(Game(attempts=6), "remake", "remake", [3, ANSWER], ANSWER)
    without = judge_guess(Game(attempts=6), "other", "other", [9, 3], ANSWER)
    assert with_answer.rejection is without.rejection is Rejection.AMBIGUOUS
    picked = judge_guess(Game(attempts=6), "remake (1960)", "remake", [ANSWER], ANSWER)
    assert (picked.outcome, picked.movie_id) == (Outcome.RIGHT, ANSWER)


def test_no_moves_after_the_end() -> None:
    won = play(Game(attempts=6), "answer", [ANSWER])
    assert judge_guess(won, "two", "two", [2], ANSWER).rejection is Rejection.FINISHED
    assert judge_skip(won).rejection is Rejection.FINISHED
    lost = Game(attempts=2, guesses=(PastGuess(Outcome.SKIPPED), PastGuess(Outcome.SKIPPED)))
    assert lost.status is Status.LOST
    assert judge_skip(lost).rejection is Rejection.FINISHED


def test_clues_needed_covers_every_miss_before_the_last() -> None:
    assert clues_needed(6) == 5
    assert clues_needed(2) == 1


def test_too_long_is_decided_before_the_key_is_needed() -> None:
    # The move refuses a long guess without parsing it, so it has no key to pass.
    game = Game(attempts=6)
    assert judge_guess(game, "x" * 201, "", [], ANSWER).rejection is Rejection.TOO_LONG
