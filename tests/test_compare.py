"""The comparison hints beside a wrong guess: directions and shared genres only."""

from __future__ import annotations

import pytest

from guessthatmovie.game.compare import MovieFacts, Trend, compare, trend

ANSWER = MovieFacts(year=1998, genres=("Drama", "Mystery"), critic_score=91, audience_score=85)


@pytest.mark.parametrize(
    ("guess", "answer", "expected"),
    [
        (1995, 1998, Trend.HIGHER),
        (2004, 1998, Trend.LOWER),
        (1998, 1998, Trend.SAME),
        (None, 1998, None),
        (1998, None, None),
        (0, 0, Trend.SAME),
    ],
)
def test_trend_says_where_the_answer_lies(
    guess: int | None, answer: int | None, expected: Trend | None
) -> None:
    assert trend(guess, answer) is expected


def test_a_later_lower_scored_guess() -> None:
    guess = MovieFacts(year=2004, genres=("Romance",), critic_score=45, audience_score=95)
    hint = compare(guess, ANSWER)
    assert hint.year == 2004 and hint.year_trend is Trend.LOWER  # the answer is earlier
    assert hint.shared_genres == ()
    assert (hint.critic_score, hint.critic_trend) == (45, Trend.HIGHER)
    assert (hint.audience_score, hint.audience_trend) == (95, Trend.LOWER)


def test_shared_genres_keep_the_guess_order_and_ignore_case() -> None:
    guess = MovieFacts(
        year=1998, genres=("mystery", "Comedy", "Drama"), critic_score=None, audience_score=85
    )
    hint = compare(guess, ANSWER)
    assert hint.shared_genres == ("mystery", "Drama")
    assert hint.year_trend is Trend.SAME
    assert hint.critic_trend is None
    assert hint.audience_trend is Trend.SAME


def test_a_comparison_carries_only_the_guess_figures() -> None:
    guess = MovieFacts(year=1960, genres=("Western",), critic_score=12, audience_score=13)
    hint = compare(guess, ANSWER)
    values = {v for v in vars(hint).values() if isinstance(v, int)}
    assert values == {1960, 12, 13}
