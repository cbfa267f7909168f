"""A puzzle as every request reads it: plain, immutable values, its clues already redacted.

The day's puzzle is read by every page and move. It is built once from the database (with its
movie, snippets and sources), each clue's blanked text decided then (`redact.redact_title` runs
once per puzzle and worker, not on every page view), and then kept as it is: in each worker's
memo and, as a dict of plain values, in the shared cache. The cache keys carry SCHEMA: a deploy
that changes this shape changes the keys, so no worker ever reads an entry of another shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from guessthatmovie.game import redact
from guessthatmovie.models import Movie, Puzzle

# Bump when DayPuzzle, PuzzleMovie or PuzzleClue change: the cache keys change with it.
SCHEMA = 1


@dataclass(frozen=True)
class PuzzleClue:
    """A review snippet of the hidden movie: as the critic wrote it, and as players see it."""

    position: int
    text: str  # as stored; shown only once the game is over
    shown: str  # the title blanked out, decided when the puzzle was built
    critic: str
    publication: str
    fresh: bool


@dataclass(frozen=True)
class PuzzleMovie:
    """What the game needs of the hidden movie: its facts, its names and its clues."""

    id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    critic_score: int | None
    audience_score: int | None
    critics_fresh: bool | None
    audience_upright: bool | None
    synopsis: str
    consensus: str
    alt_titles: tuple[str, ...]
    page_url: str | None  # the film's Rotten Tomatoes page, where the catalogue knows it
    snippets: tuple[PuzzleClue, ...]

    @property
    def label(self) -> str:
        """Return the title with its year, as players see it in lists (as Movie.label does)."""
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class DayPuzzle:
    """One day's puzzle with its movie, read once and shared by every request of a worker."""

    id: int
    day: date
    number: int
    movie_id: int
    movie: PuzzleMovie


# The 2020 dump's ids are the films' paths on Rotten Tomatoes ("m/heat_1995").
RT_SITE = "https://www.rottentomatoes.com/"
_RT_PATH = re.compile(r"^m/[A-Za-z0-9_-]{1,200}$")


def film_page_url(movie: Movie) -> str | None:
    """Return the film's Rotten Tomatoes page, if an import told us its path."""
    for source in movie.sources:
        if source.source == "rt2020" and _RT_PATH.match(source.external_id):
            return RT_SITE + source.external_id
    return None


def from_model(puzzle: Puzzle) -> DayPuzzle:
    """Build a puzzle's plain values from its model (movie, snippets and sources loaded)."""
    movie = puzzle.movie
    alternates = tuple(movie.alt_titles or ())
    return DayPuzzle(
        id=puzzle.id,
        day=puzzle.day,
        number=puzzle.number,
        movie_id=puzzle.movie_id,
        movie=PuzzleMovie(
            id=movie.id,
            title=movie.title,
            year=movie.year,
            genres=tuple(movie.genres or ()),
            critic_score=movie.critic_score,
            audience_score=movie.audience_score,
            critics_fresh=movie.critics_fresh,
            audience_upright=movie.audience_upright,
            synopsis=movie.synopsis or "",
            consensus=movie.consensus or "",
            alt_titles=alternates,
            page_url=film_page_url(movie),
            snippets=tuple(
                PuzzleClue(
                    s.position,
                    s.text,
                    redact.redact_title(s.text, movie.title, alternates),
                    s.critic,
                    s.publication,
                    s.fresh,
                )
                for s in movie.snippets
            ),
        ),
    )


def to_plain(puzzle: DayPuzzle) -> dict[str, Any]:
    """Return a puzzle as a dict of builtins, to keep in the shared cache."""
    movie = puzzle.movie
    return {
        "schema": SCHEMA,
        "id": puzzle.id,
        "day": puzzle.day.isoformat(),
        "number": puzzle.number,
        "movie_id": puzzle.movie_id,
        "movie": {
            **{name: getattr(movie, name) for name in _MOVIE_VALUES},
            "genres": list(movie.genres),
            "alt_titles": list(movie.alt_titles),
            "snippets": [
                [s.position, s.text, s.shown, s.critic, s.publication, s.fresh]
                for s in movie.snippets
            ],
        },
    }


_MOVIE_VALUES = (
    "id",
    "title",
    "year",
    "critic_score",
    "audience_score",
    "critics_fresh",
    "audience_upright",
    "synopsis",
    "consensus",
    "page_url",
)


def from_plain(value: object) -> DayPuzzle | None:
    """Rebuild a puzzle from its cached dict; None for anything else (another shape: a miss)."""
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        return None
    movie = value["movie"]
    return DayPuzzle(
        id=value["id"],
        day=date.fromisoformat(value["day"]),
        number=value["number"],
        movie_id=value["movie_id"],
        movie=PuzzleMovie(
            **{name: movie[name] for name in _MOVIE_VALUES},
            genres=tuple(movie["genres"]),
            alt_titles=tuple(movie["alt_titles"]),
            snippets=tuple(PuzzleClue(*s) for s in movie["snippets"]),
        ),
    )
