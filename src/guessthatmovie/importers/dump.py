"""Read a dump: check both headers, then yield its films and reviews as records, in file order."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from guessthatmovie.game.records import MovieRecord, ReviewRecord
from guessthatmovie.importers import rt
from guessthatmovie.importers.csvfile import BadRow, CsvStream, WrongShape

# What a reader yields for each row: (line, record) for a good row, a BadRow for one to skip.
Read = tuple[int, MovieRecord] | BadRow
ReadReview = tuple[int, ReviewRecord] | BadRow
R = TypeVar("R")


def open_dump(movies: Path, reviews: Path | None) -> tuple[rt.Format, CsvStream, CsvStream | None]:
    """Open both files and check their headers before anything is written."""
    movie_stream = CsvStream(movies)
    fmt = rt.detect_movies_format(movie_stream.header)
    if fmt is None:
        movie_stream.close()
        raise WrongShape(
            f"{movies} is not a movies file we know. Expected the columns of one of: "
            f"{rt.expected_columns()}."
        )
    if reviews is None:
        return fmt, movie_stream, None
    if not fmt.review_columns:
        movie_stream.close()
        raise WrongShape(f"The {fmt.label} has no reviews file; leave out --reviews.")
    review_stream = CsvStream(reviews)
    missing = [c for c in fmt.review_columns if c not in review_stream.header]
    if missing:
        movie_stream.close()
        review_stream.close()
        raise WrongShape(
            f"{reviews} is not the reviews file of the {fmt.label}: it lacks "
            f"{', '.join(missing)}. Expected columns: {', '.join(fmt.review_columns)}."
        )
    return fmt, movie_stream, review_stream


def id_hash(external_id: str) -> int:
    """Return a small fingerprint of a dump id, to spot repeats without keeping the ids."""
    return int.from_bytes(hashlib.blake2b(external_id.encode(), digest_size=8).digest(), "big")


def read_movies(fmt: rt.Format, stream: CsvStream) -> Iterator[Read]:
    """Yield each film of the movies file; a row that repeats an earlier film's id is skipped.

    Dumps repeat a few ids: the first row stands. Only 8-byte fingerprints are kept, about 60
    bytes a film, the reader's only memory per film.
    """
    seen: set[int] = set()
    wanted = fmt.movie_columns + fmt.known_columns
    for item in _decoded(stream, wanted, lambda fields: rt.parse_movie(fmt, fields)):
        if not isinstance(item, BadRow):
            line, parsed = item
            fingerprint = id_hash(parsed.external_id)
            if fingerprint in seen:
                item = BadRow(str(stream.path), line, f"repeats movie id {parsed.external_id!r}")
            seen.add(fingerprint)
        yield item


def read_reviews(fmt: rt.Format, stream: CsvStream) -> Iterator[ReadReview]:
    """Yield each review of the reviews file, decoded but not judged."""
    return _decoded(stream, fmt.review_columns, lambda fields: rt.parse_review(fmt, fields))


def _decoded(
    stream: CsvStream, wanted: tuple[str, ...], parse: Callable[[list[str]], R | str]
) -> Iterator[tuple[int, R] | BadRow]:
    """Yield each row of a file as its record (its line number first), or why it is bad.

    A wanted column the header lacks reads as empty (the known-ness columns are optional)."""
    columns = [stream.header.index(name) if name in stream.header else -1 for name in wanted]
    for item in stream.rows():
        if isinstance(item, BadRow):
            yield item
            continue
        line, fields = item
        parsed = parse([fields[i] if i >= 0 else "" for i in columns])
        yield BadRow(str(stream.path), line, parsed) if isinstance(parsed, str) else (line, parsed)
