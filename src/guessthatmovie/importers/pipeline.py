"""Import a dump: check both headers, stream movies then reviews, write in committed batches."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from guessthatmovie.extensions import db
from guessthatmovie.game.clues import unusable_reason
from guessthatmovie.importers import language, rt
from guessthatmovie.importers.csvfile import BadRow, CsvStream, WrongShape
from guessthatmovie.store import catalogue
from guessthatmovie.store.imports import (
    ReviewGroup,
    Tally,
    franchise_index,
    id_hash,
    store_clues,
    upsert_movies,
)

_DETAIL = re.compile(r"[:(]|\s'|\s\"")
_DIGITS = re.compile(r"\d+")


class Ticker(Protocol):
    """Progress display for one file."""

    def tick(self, rows: int) -> None:
        """Note that `rows` rows have been read so far."""

    def done(self, rows: int) -> None:
        """Note the end of the file."""


@dataclass(frozen=True)
class ImportOptions:
    """How to import: clues kept per movie, batch sizes, and whether to write at all."""

    keep: int
    today: date
    dry_run: bool = False
    language: str = "en"
    movie_batch: int = 1000
    review_batch: int = 20_000


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


def _finish_batch(options: ImportOptions) -> None:
    # A dry run keeps everything in one transaction that the caller rolls back at the end.
    if options.dry_run:
        db.session.flush()
    else:
        db.session.commit()


def import_movies(
    fmt: rt.Format,
    stream: CsvStream,
    options: ImportOptions,
    tally: Tally,
    report: Callable[[BadRow], None],
    ticker: Ticker,
) -> None:
    """Stream the movies file into the catalogue, one committed batch at a time."""
    columns = stream.columns(fmt.movie_columns)
    batch: list[tuple[int, rt.MovieRow]] = []
    seen: set[int] = set()  # 8-byte fingerprints: about 60 bytes a movie, the only per-movie memory
    rows = 0

    def flush() -> None:
        for line, reason in upsert_movies(fmt.source, batch, options.today, tally, seen):
            _bad(BadRow(str(stream.path), line, reason), tally, report)
        _finish_batch(options)
        batch.clear()

    for item in stream.rows():
        rows += 1
        if isinstance(item, BadRow):
            _bad(item, tally, report)
            continue
        line, fields = item
        parsed = rt.parse_movie(fmt, [fields[i] for i in columns])
        if isinstance(parsed, str):
            _bad(BadRow(str(stream.path), line, parsed), tally, report)
            continue
        batch.append((line, parsed))
        if len(batch) >= options.movie_batch:
            flush()
            ticker.tick(rows)
    flush()
    catalogue.forget_title_entries()
    ticker.done(rows)


def import_reviews(
    fmt: rt.Format,
    stream: CsvStream,
    options: ImportOptions,
    tally: Tally,
    report: Callable[[BadRow], None],
    ticker: Ticker,
) -> None:
    """Stream the reviews file, a movie's consecutive reviews at a time, storing chosen clues."""
    columns = stream.columns(fmt.review_columns)
    groups: list[ReviewGroup] = []
    pending = 0
    rows = 0
    current: ReviewGroup | None = None
    # The 2023 movies file has no review count: the reviews file's count stands in for it.
    count_reviews = fmt is rt.RT2023
    franchise = franchise_index()
    judge = language.judge_for(options.language)
    seen_reviews: set[int] = set()  # fingerprints of review ids: a repeat is counted once

    def flush() -> None:
        nonlocal pending
        store_clues(
            fmt.source, groups, options.keep, options.today, count_reviews, tally, franchise, judge
        )
        _finish_batch(options)
        groups.clear()
        pending = 0

    for item in stream.rows():
        rows += 1
        if isinstance(item, BadRow):
            _bad(item, tally, report)
            continue
        line, fields = item
        parsed = rt.parse_review(fmt, [fields[i] for i in columns])
        if isinstance(parsed, str):
            _bad(BadRow(str(stream.path), line, parsed), tally, report)
            continue
        if parsed.review_id:
            fingerprint = id_hash(parsed.review_id)
            if fingerprint in seen_reviews:
                tally.reviews["repeated review id"] += 1
                continue
            seen_reviews.add(fingerprint)
        if current is None or current.external_id != parsed.external_id:
            if pending >= options.review_batch:
                flush()
                ticker.tick(rows)
            current = ReviewGroup(parsed.external_id)
            groups.append(current)
        # Unusable text is counted and dropped here, so memory holds only candidate clues.
        reason = unusable_reason(parsed.text)
        if reason is None:
            current.reviews.append(parsed)
        else:
            tally.reviews[reason] += 1
        current.rows += 1
        pending += 1
    flush()
    ticker.done(rows)
    # Clues of cached (scheduled, not yet played) puzzles may have changed: read them afresh.
    catalogue.forget_title_entries()


def _bad(row: BadRow, tally: Tally, report: Callable[[BadRow], None]) -> None:
    # Counted by kind ("N fields where the header has N"), shown in full through `report`.
    kind = _DETAIL.split(row.reason, maxsplit=1)[0].strip()
    tally.bad_rows[_DIGITS.sub("N", kind)] += 1
    report(row)
