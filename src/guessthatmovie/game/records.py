"""A film and a critic's review as plain values: what every reader yields and the store writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewRecord:
    """One critic's review: a dump row (text decoded, not yet judged) or a sample snippet."""

    text: str
    critic: str
    publication: str
    fresh: bool
    top_critic: bool = False
    external_id: str = ""  # the dump's id of the film reviewed (empty for the sample)
    review_id: str = ""  # the 2023 dump's own id of the review: repeats are the same review


@dataclass(frozen=True)
class MovieRecord:
    """A film's facts as a reader hands them over (a dump row or a bundled sample entry).

    A dump's film carries its id in that dump (`external_id`); the sample's films have none and
    are matched by title and year. Empty facts (None, "", ()) never erase stored ones.
    """

    title: str
    year: int | None
    genres: Sequence[str] = ()
    critic_score: int | None = None
    audience_score: int | None = None
    synopsis: str = ""
    alt_titles: Sequence[str] = ()
    snippets: Sequence[ReviewRecord] = ()  # the sample's own snippets, in the order shown
    external_id: str = ""
    critic_count: int | None = None
    consensus: str = ""
    audience_count: int | None = None  # known-ness (game/known.py)
    box_office: int | None = None
    directors: str = ""
