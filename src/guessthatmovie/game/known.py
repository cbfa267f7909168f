"""Known-ness: how many people know a film, from the counts a dump gives (docs/importing.md)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# Where a dump has no audience count, its critics or its box office stand in for one. On the
# 2020 dump a film with ~20,000 audience ratings had typically ~50 critic reviews, and a US
# box office of ~$8 M: one critic review counts as 400 ratings, 400 dollars as one rating.
RATINGS_PER_CRITIC = 400
DOLLARS_PER_RATING = 400
_MONEY = re.compile(r"^\$?\s*([\d.,]+)\s*([KMB])?$", re.IGNORECASE)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def estimated_ratings(
    audience_count: int | None, critic_count: int | None, box_office: int | None
) -> int | None:
    """Return the audience ratings a film has, or their equivalent; None without any count."""
    if audience_count is not None:
        return audience_count
    stand_ins = [
        value
        for value in (
            None if critic_count is None else critic_count * RATINGS_PER_CRITIC,
            None if box_office is None else box_office // DOLLARS_PER_RATING,
        )
        if value is not None
    ]
    return max(stand_ins) if stand_ins else None


def percentiles(ratings: Sequence[int]) -> list[int]:
    """Return each film's known-ness score: the share (0-100) of counted films it is not below."""
    ranked = sorted(ratings)
    total = len(ranked)
    return [round(100 * bisect_right(ranked, value) / total) for value in ratings]


def box_office(value: str) -> int | None:
    """Read a dump's box office ("$12.3M", "$850.2K", "1,234") as dollars."""
    match = _MONEY.match(value.strip())
    if match is None:
        return None
    try:
        amount = float(match[1].replace(",", ""))
    except ValueError:
        return None
    return round(amount * _SCALE[(match[2] or "").upper()])


def director_names(directors: str) -> tuple[str, ...]:
    """Return a film's directors, folded for comparison ("Luc Besson, X" -> ("luc besson", "x"))."""
    return tuple(
        name for part in directors.split(",") if (name := " ".join(part.split()).casefold())
    )


def in_words(ratings: int | None) -> str:
    """Say a count as an operator reads it: "~20,000 people rated" or "no count"."""
    return "no count" if ratings is None else f"~{ratings:,} people rated"
