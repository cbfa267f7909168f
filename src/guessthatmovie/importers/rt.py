"""Parse the public Rotten Tomatoes dumps (2020, 2023) and the compact movie list into records."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from guessthatmovie.game import known
from guessthatmovie.game.clues import clean_review
from guessthatmovie.game.records import MovieRecord, ReviewRecord

_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"^\s*(\d{4})(?:$|[-/])")
MAX_TITLE = 300
MAX_NAME = 200


@dataclass(frozen=True)
class Format:
    """One dump layout: its files' required columns and where each fact lives."""

    source: str
    label: str
    movie_columns: tuple[str, ...]
    review_columns: tuple[str, ...] = ()
    # Read when the header has them (known-ness): audience count or box office, directors.
    known_columns: tuple[str, ...] = ()


RT2020 = Format(
    "rt2020",
    "Rotten Tomatoes movies and critic reviews (2020)",
    (
        "rotten_tomatoes_link",
        "movie_title",
        "movie_info",
        "critics_consensus",
        "genres",
        "original_release_date",
        "tomatometer_rating",
        "tomatometer_count",
        "audience_rating",
    ),
    (
        "rotten_tomatoes_link",
        "critic_name",
        "top_critic",
        "publisher_name",
        "review_type",
        "review_content",
    ),
    ("audience_count", "directors"),
)
RT2023 = Format(
    "rt2023",
    "Massive Rotten Tomatoes movies & reviews (2023)",
    ("id", "title", "audienceScore", "tomatoMeter", "releaseDateTheaters", "genre"),
    ("id", "reviewId", "criticName", "isTopCritic", "publicatioName", "reviewText", "reviewState"),
    ("boxOffice", "director"),
)
COMPACT = Format(
    "rt-compact",
    "compact movie list",
    ("movie_title", "year_released", "critic_rating", "audience_rating", "genres"),
)
FORMATS = (RT2020, RT2023, COMPACT)


def detect_movies_format(header: list[str]) -> Format | None:
    """Return the format whose movie columns the header has, or None."""
    for fmt in FORMATS:
        if set(fmt.movie_columns) <= set(header):
            return fmt
    return None


def expected_columns() -> str:
    """Describe the accepted movie file layouts, for the refusal message."""
    return "; ".join(f"{fmt.label}: {', '.join(fmt.movie_columns)}" for fmt in FORMATS)


def _text(value: str, limit: int) -> str:
    if "&" in value:
        value = html.unescape(html.unescape(value))
    return _SPACE.sub(" ", value).strip()[:limit]


def _score(value: str) -> int | None:
    try:
        score = round(float(value))
    except ValueError:
        return None
    return score if 0 <= score <= 100 else None


def _count(value: str) -> int | None:
    try:
        count = int(float(value))
    except ValueError:
        return None
    return count if count >= 0 else None


def _year(value: str) -> int | None:
    match = _YEAR.match(value)
    if match is None:
        return None
    year = int(match[1])
    return year if 1870 <= year <= 2100 else None


def _genres(value: str) -> tuple[str, ...]:
    genres: list[str] = []
    for part in _text(value, 1000).split(","):
        genre = part.strip()[:60]
        if genre and genre not in genres:
            genres.append(genre)
    return tuple(genres)


def parse_movie(fmt: Format, fields: list[str]) -> MovieRecord | str:
    """Turn a movie row (its required, then its known columns) into a MovieRecord or why to skip."""
    consensus = ""  # only the 2020 dump has one
    people = money = None
    directors = ""
    if fmt is RT2020:
        *fields, ratings, directors = fields
        link, title, info, consensus, genres, released, critic, count, audience = fields
        row = (link.strip(), title, _year(released), genres, critic, audience, _count(count), info)
        people = _count(ratings)
    elif fmt is RT2023:
        *fields, takings, directors = fields
        ident, title, audience, critic, released, genres = fields
        row = (ident.strip(), title, _year(released), genres, critic, audience, None, "")
        money = known.box_office(takings)
    else:
        title, year, critic, audience, genres = fields
        clean = _text(title, MAX_TITLE)
        row = (f"{clean} ({year.strip()})", title, _year(year), genres, critic, audience, None, "")
    external_id, raw_title, year_value, genre_text, critic_text, audience_text, n, synopsis = row
    title_text = _text(raw_title, MAX_TITLE)
    if not title_text:
        return "no title"
    if not external_id:
        return "no movie id"
    return MovieRecord(
        external_id=external_id[:300],
        title=title_text,
        year=year_value,
        genres=_genres(genre_text),
        critic_score=_score(critic_text),
        audience_score=_score(audience_text),
        critic_count=n,
        synopsis=_text(synopsis, 4000),
        consensus=_text(consensus, 1000),
        audience_count=people,
        box_office=money,
        directors=_text(directors, 1000),
    )


def _truthy(value: str) -> bool:
    return value.strip().casefold() in ("true", "1", "yes", "t")


def parse_review(fmt: Format, fields: list[str]) -> ReviewRecord | str:
    """Turn a review row (its required columns, in order) into a ReviewRecord or why to skip."""
    review_id = ""
    if fmt is RT2020:
        external_id, critic, top, publication, verdict, text = fields
    else:
        external_id, review_id, critic, top, publication, text, verdict = fields
    external_id = external_id.strip()
    if not external_id:
        return "no movie id"
    verdict = verdict.strip().casefold()
    if verdict not in ("fresh", "rotten"):
        return "no fresh/rotten verdict"
    publication = _text(publication, MAX_NAME)
    return ReviewRecord(
        external_id=external_id[:300],
        text=clean_review(text),
        critic=_text(critic, MAX_NAME) or publication or "Unnamed critic",
        publication=publication,
        fresh=verdict == "fresh",
        top_critic=_truthy(top),
        review_id=review_id.strip()[:100],
    )
