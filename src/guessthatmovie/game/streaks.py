"""A player's statistics from their finished games: played, wins, streaks, distribution.

A streak counts consecutive puzzle *numbers* won on their own day, not calendar days and not
wins in a row: numbers come from the game's timezone, so a player's own timezone, a trip, or a
game finished after midnight never breaks one. Archive plays (a puzzle started after its day)
count in played, wins and the distribution, but never in a streak, neither adding to it nor
breaking it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Result:
    """One finished game as the statistics see it."""

    number: int
    won: bool
    attempts_used: int
    archive: bool = False


@dataclass(frozen=True)
class Stats:
    """A player's figures; `distribution[i]` counts wins in i + 1 attempts."""

    played: int
    wins: int
    current_streak: int
    max_streak: int
    ended_streak: int
    distribution: tuple[int, ...]

    @property
    def losses(self) -> int:
        """Return how many finished games were lost."""
        return self.played - self.wins

    @property
    def win_percent(self) -> int:
        """Return the share of games won, as a whole percentage (0 with no games)."""
        return round(100 * self.wins / self.played) if self.played else 0


def is_archive_play(puzzle_day: date, started_on: date) -> bool:
    """Return whether a play starting on `started_on` is an archive play of a puzzle's day."""
    return started_on > puzzle_day


def runs_of_wins(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Return (last number, length) of each run of consecutive numbers, in order."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and runs[-1][0] == number - 1:
            runs[-1] = (number, runs[-1][1] + 1)
        else:
            runs.append((number, 1))
    return runs


def player_stats(results: Iterable[Result], today_number: int, attempts: int) -> Stats:
    """Compute a player's figures on the day numbered `today_number`."""
    results = list(results)
    distribution = [0] * attempts
    for result in results:
        if result.won and 1 <= result.attempts_used <= attempts:
            distribution[result.attempts_used - 1] += 1
    daily = [r for r in results if not r.archive]
    runs = runs_of_wins(r.number for r in daily if r.won)
    max_streak = max((length for _, length in runs), default=0)
    last_loss = max((r.number for r in daily if not r.won), default=0)
    last_win = runs[-1][0] if runs else 0
    current = 0
    ended = 0
    # Alive while the latest win is today's or (before today is played) yesterday's puzzle.
    if last_win > last_loss and last_win >= today_number - 1:
        current = runs[-1][1]
    elif last_loss > last_win:
        # After a loss the player still sees the streak it ended.
        ended = next((length for end, length in runs if end == last_loss - 1), 0)
    return Stats(
        played=len(results),
        wins=sum(1 for r in results if r.won),
        current_streak=current,
        max_streak=max_streak,
        ended_streak=ended,
        distribution=tuple(distribution),
    )


@dataclass(frozen=True)
class Bar:
    """One row of a distribution chart: a label, a count and its width (a multiple of 5 %)."""

    label: str
    count: int
    width: int
    current: bool = False


def bars(distribution: tuple[int, ...], losses: int | None = None, current: int = -1) -> list[Bar]:
    """Return chart rows scaled to the longest; `current` (attempts used, 0: lost) is marked."""
    counts = [*distribution, *([] if losses is None else [losses])]
    longest = max(counts, default=0)
    rows = []
    for i, count in enumerate(counts):
        label = str(i + 1) if i < len(distribution) else "X"
        used = i + 1 if i < len(distribution) else 0
        # Widths snap to 5 % steps: the stylesheet has a class per step (no inline styles).
        width = 0 if not longest else max(5 * round(20 * count / longest), 5 if count else 0)
        rows.append(Bar(label, count, width, current=used == current))
    return rows


@dataclass(frozen=True)
class Figures:
    """Everyone's results of one puzzle: how many finished, how many solved it, in how many."""

    finished: int
    distribution: tuple[int, ...]

    @property
    def solved(self) -> int:
        """Return how many players solved it."""
        return sum(self.distribution)

    @property
    def lost(self) -> int:
        """Return how many players ran out of attempts."""
        return self.finished - self.solved

    @property
    def solved_percent(self) -> int:
        """Return the share of finished games that were solved, as a whole percentage."""
        return round(100 * self.solved / self.finished) if self.finished else 0


def figures(counts: dict[int, int], attempts: int) -> Figures:
    """Build the figures from counters keyed by attempts used (0: lost)."""
    distribution = tuple(counts.get(n, 0) for n in range(1, attempts + 1))
    return Figures(finished=sum(counts.values()), distribution=distribution)
