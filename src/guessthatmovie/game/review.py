"""Looking back at past days: how players fared with each film, from plain counters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DayReview:
    """One past day: its film, its known-ness, and how players fared."""

    day: date
    number: int
    label: str
    known_score: int | None
    known_ratings: int | None
    players: int  # who started the day's game
    finished: int
    solved: int
    mean_attempts: float | None  # of the games won

    @property
    def solved_share(self) -> float | None:
        """Return the share of finished games that were won."""
        return self.solved / self.finished if self.finished else None

    def as_plain(self) -> dict[str, Any]:
        """Return the figures as JSON-ready values, for a dashboard."""
        return {
            "day": self.day.isoformat(),
            "number": self.number,
            "film": self.label,
            "known_score": self.known_score,
            "known_ratings": self.known_ratings,
            "players": self.players,
            "finished": self.finished,
            "solved": self.solved,
            "solved_share": None if self.solved_share is None else round(self.solved_share, 3),
            "mean_attempts": None if self.mean_attempts is None else round(self.mean_attempts, 2),
        }


def results(counts: Mapping[int, int]) -> tuple[int, int, float | None]:
    """Return (finished, solved, mean attempts of a win) from players by attempts (0: lost)."""
    finished = sum(counts.values())
    wins = {attempts: n for attempts, n in counts.items() if attempts > 0}
    solved = sum(wins.values())
    mean = sum(attempts * n for attempts, n in wins.items()) / solved if solved else None
    return finished, solved, mean


def line(review: DayReview) -> str:
    """Say a day's figures on one line."""
    known = "no count" if review.known_score is None else f"{review.known_score}/100"
    share = "-" if review.solved_share is None else f"{review.solved_share:.0%}"
    mean = "-" if review.mean_attempts is None else f"{review.mean_attempts:.1f}"
    return (
        f"{review.day} #{review.number} {review.label}: known-ness {known}; "
        f"{review.players} players, {review.finished} finished, {share} solved, "
        f"mean attempts {mean}"
    )
