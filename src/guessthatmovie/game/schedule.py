"""The daily calendar: which date is today, its puzzle number, and the deterministic pick."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo


def puzzle_date(now: datetime, timezone: str) -> date:
    """Return the puzzle day that an aware instant falls on in the configured timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


def puzzle_number(day: date, launch: date) -> int:
    """Return the puzzle number of a day: the launch day is #1."""
    return (day - launch).days + 1


def date_of_number(number: int, launch: date) -> date:
    """Return the day a puzzle number belongs to."""
    return date.fromordinal(launch.toordinal() + number - 1)


def pick_movie(day: date, eligible: Sequence[int], secret: bytes) -> int | None:
    """Pick a movie id for a day, the same in every worker, unpredictable without the secret."""
    if not eligible:
        return None
    ordered = sorted(eligible)
    digest = hmac.new(secret, day.isoformat().encode(), hashlib.sha256).digest()
    return ordered[int.from_bytes(digest[:8], "big") % len(ordered)]


def suggested_critic_count(counts: Sequence[int | None], missing: int) -> int | None:
    """Return the highest --min-critic-count that leaves `missing` movies, or None if none does.

    `counts` are the critic counts of the movies that only popularity keeps out or lets in
    (None: the movie has no count and always passes).
    """
    if missing <= 0 or len(counts) < missing:
        return None
    ranked = sorted((c for c in counts if c is not None), reverse=True)
    no_count = len(counts) - len(ranked)
    if no_count >= missing:
        return None
    return ranked[missing - no_count - 1]
