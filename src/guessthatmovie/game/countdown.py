"""Time left until the next puzzle: the next midnight in the game's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def next_puzzle_at(now: datetime, timezone: str) -> datetime:
    """Return the instant (UTC) when the next puzzle day starts in the game's timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(UTC)


def seconds_left(now: datetime, timezone: str) -> int:
    """Return whole seconds until the next puzzle (at least 0)."""
    return max(int((next_puzzle_at(now, timezone) - now).total_seconds()), 0)


def clock_text(seconds: int) -> str:
    """Return a duration as H:MM:SS, the way the page shows the time left."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
