"""Comparison hints: how a wrong guess's facts compare with the hidden movie's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Trend(StrEnum):
    """Where the answer's figure lies relative to the guess's."""

    HIGHER = "higher"
    LOWER = "lower"
    SAME = "same"


@dataclass(frozen=True)
class MovieFacts:
    """The facts a comparison looks at (all of them are on the answer's first clue card)."""

    year: int | None
    genres: Sequence[str]
    critic_score: int | None
    audience_score: int | None


@dataclass(frozen=True)
class Comparison:
    """A wrong guess beside the answer: directions and shared genres, never the answer's figures."""

    year: int | None
    year_trend: Trend | None
    shared_genres: tuple[str, ...]
    critic_score: int | None
    critic_trend: Trend | None
    audience_score: int | None
    audience_trend: Trend | None


def trend(guess: int | None, answer: int | None) -> Trend | None:
    """Return whether the answer's figure is higher, lower or the same (None if unknown)."""
    if guess is None or answer is None:
        return None
    if answer > guess:
        return Trend.HIGHER
    if answer < guess:
        return Trend.LOWER
    return Trend.SAME


def compare(guess: MovieFacts, answer: MovieFacts) -> Comparison:
    """Compare a guessed movie with the answer, in the guess's own terms."""
    answer_genres = {genre.casefold() for genre in answer.genres}
    return Comparison(
        year=guess.year,
        year_trend=trend(guess.year, answer.year),
        shared_genres=tuple(g for g in guess.genres if g.casefold() in answer_genres),
        critic_score=guess.critic_score,
        critic_trend=trend(guess.critic_score, answer.critic_score),
        audience_score=guess.audience_score,
        audience_trend=trend(guess.audience_score, answer.audience_score),
    )
