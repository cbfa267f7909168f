"""Drive a catalogue load: readers yield records, `game` decides, the store writes in batches.

`flask catalog import` and `flask catalog load-sample` (and the tests' catalogue) all come
through here: films go to `store.films.write_films`, the one path that writes them; a dump's
reviews are grouped by film, judged by `game.clues`, and their chosen clues written by
`store.snippets`; each batch ends with `store.batches.end_batch`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Protocol, TypeVar

from guessthatmovie import clock
from guessthatmovie.game import clues, leaks
from guessthatmovie.game.records import MovieRecord, ReviewRecord
from guessthatmovie.importers import dump, language
from guessthatmovie.importers.csvfile import BadRow, CsvStream
from guessthatmovie.importers.rt import RT2023, Format
from guessthatmovie.store import batches, catalogue, films, snippets

_DETAIL = re.compile(r"[:(]|\s'|\s\"")
_DIGITS = re.compile(r"\d+")
SAMPLE_BATCH = 1000
T = TypeVar("T")


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


@dataclass
class Tally:
    """What an import did so far: movies by outcome, reviews by outcome, skipped rows by reason."""

    movies: Counter[str] = field(default_factory=Counter)
    reviews: Counter[str] = field(default_factory=Counter)
    bad_rows: Counter[str] = field(default_factory=Counter)


Report = Callable[[BadRow], None]


def _bad(row: BadRow, tally: Tally, report: Report) -> None:
    # Counted by kind ("N fields where the header has N"), shown in full through `report`.
    kind = _DETAIL.split(row.reason, maxsplit=1)[0].strip()
    tally.bad_rows[_DIGITS.sub("N", kind)] += 1
    report(row)


def import_movies(
    fmt: Format,
    stream: CsvStream,
    options: ImportOptions,
    tally: Tally,
    report: Report,
    ticker: Ticker,
) -> None:
    """Stream the movies file into the catalogue, one committed batch at a time."""
    batch: list[tuple[int, MovieRecord]] = []
    rows = 0
    for item in dump.read_movies(fmt, stream):
        rows += 1
        if isinstance(item, BadRow):
            _bad(item, tally, report)
            continue
        batch.append(item)
        if len(batch) >= options.movie_batch:
            _write_films(fmt.source, batch, options, tally, report, str(stream.path))
            ticker.tick(rows)
    _write_films(fmt.source, batch, options, tally, report, str(stream.path))
    catalogue.forget_title_entries()
    ticker.done(rows)


def _write_films(
    source: str,
    batch: list[tuple[int, MovieRecord]],
    options: ImportOptions,
    tally: Tally,
    report: Report,
    path: str,
) -> None:
    written = films.write_films(source, batch, options.today)
    tally.movies.update(written.outcomes)
    for line, reason in written.skipped:
        _bad(BadRow(path, line, reason), tally, report)
    batches.end_batch(options.dry_run)
    batch.clear()


@dataclass
class LoadSummary:
    """What loading films matched by title and year (the sample) changed."""

    movies: Counter[str] = field(default_factory=Counter)
    snippets_added: int = 0

    @property
    def added(self) -> int:
        """Return how many films were new."""
        return self.movies["added"]

    @property
    def updated(self) -> int:
        """Return how many films had facts changed."""
        return self.movies["updated"]

    @property
    def unchanged(self) -> int:
        """Return how many films were already as the records say."""
        return self.movies["unchanged"]


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def load_movies(records: Iterable[MovieRecord], today: date | None = None) -> LoadSummary:
    """Add or update films by title and year with the snippets they lack; safe to run again."""
    day = today or clock.today()
    summary = LoadSummary()
    for batch in _batched(enumerate(records, 1), SAMPLE_BATCH):
        written = films.write_films(None, batch, day)
        summary.movies.update(written.outcomes)
        wanted: dict[int, list[ReviewRecord]] = {}
        for line, record in batch:
            if line in written.movie_ids:
                wanted.setdefault(written.movie_ids[line], []).extend(record.snippets)
        summary.snippets_added += snippets.append_snippets(wanted)
        batches.end_batch(dry_run=False)
    finish_load(dry_run=False)
    return summary


def finish_load(dry_run: bool) -> None:
    """End a load: every film's known-ness afresh (a percentile moves with the catalogue)."""
    films.refresh_known_ness()
    batches.end_batch(dry_run)
    catalogue.forget_title_entries()


@dataclass
class ReviewGroup:
    """Consecutive reviews of one movie in the reviews file (usable ones kept, all counted)."""

    external_id: str
    reviews: list[ReviewRecord] = field(default_factory=list)
    rows: int = 0


def import_reviews(
    fmt: Format,
    stream: CsvStream,
    options: ImportOptions,
    tally: Tally,
    report: Report,
    ticker: Ticker,
) -> None:
    """Stream the reviews file, a movie's consecutive reviews at a time, storing chosen clues."""
    chooser = ClueBatch(fmt, options, tally)
    groups: list[ReviewGroup] = []
    pending = rows = 0
    seen: set[int] = set()  # fingerprints of review ids: a repeat is counted once
    for item in dump.read_reviews(fmt, stream):
        rows += 1
        if isinstance(item, BadRow):
            _bad(item, tally, report)
            continue
        review = item[1]
        if _repeated(review, seen, tally):
            continue
        if not groups or groups[-1].external_id != review.external_id:
            if pending >= options.review_batch:
                chooser.write(groups)
                groups, pending = [], 0
                ticker.tick(rows)
            groups.append(ReviewGroup(review.external_id))
        _add(groups[-1], review, tally)
        pending += 1
    chooser.write(groups)
    ticker.done(rows)
    # Clues of cached (scheduled, not yet played) puzzles may have changed: read them afresh.
    catalogue.forget_title_entries()


def _repeated(review: ReviewRecord, seen: set[int], tally: Tally) -> bool:
    if not review.review_id:
        return False
    fingerprint = dump.id_hash(review.review_id)
    if fingerprint in seen:
        tally.reviews["repeated review id"] += 1
        return True
    seen.add(fingerprint)
    return False


def _add(group: ReviewGroup, review: ReviewRecord, tally: Tally) -> None:
    # Unusable text is counted and dropped here, so memory holds only candidate clues.
    reason = clues.unusable_reason(review.text)
    if reason is None:
        group.reviews.append(review)
    else:
        tally.reviews[reason] += 1
    group.rows += 1


@dataclass
class _FilmReviews:
    film: snippets.FilmClues
    reviews: list[ReviewRecord] = field(default_factory=list)
    rows: int = 0


class ClueBatch:
    """Choose the clues of a batch's films (store reads, game decides) and write them."""

    def __init__(self, fmt: Format, options: ImportOptions, tally: Tally) -> None:
        self.source = fmt.source
        self.options = options
        self.tally = tally
        # The 2023 movies file has no review count: the reviews file's count stands in for it.
        self.count_reviews = fmt is RT2023
        self.franchise = snippets.franchise_index()
        self.judge = language.judge_for(options.language)

    def write(self, groups: list[ReviewGroup]) -> None:
        """Choose and write the clues of these films, then end the batch."""
        found = snippets.films_for_clues(
            self.source, {g.external_id for g in groups}, self.options.today
        )
        counts: dict[int, int] = {}
        chosen: dict[int, list[clues.Candidate]] = {}
        for entry in self._by_film(groups, found):
            self._decide(entry, counts, chosen)
        snippets.write_clues(counts, chosen)
        batches.end_batch(self.options.dry_run)

    def _by_film(
        self, groups: list[ReviewGroup], found: dict[str, snippets.FilmClues]
    ) -> Iterable[_FilmReviews]:
        by_film: dict[int, _FilmReviews] = {}
        for group in groups:
            film = found.get(group.external_id)
            if film is None:
                self.tally.reviews["movie not in the catalogue"] += len(group.reviews)
                continue
            entry = by_film.setdefault(film.movie_id, _FilmReviews(film))
            entry.reviews.extend(group.reviews)
            entry.rows += group.rows
        return by_film.values()

    def _decide(
        self,
        entry: _FilmReviews,
        counts: dict[int, int],
        chosen: dict[int, list[clues.Candidate]],
    ) -> None:
        film = entry.film
        if self.count_reviews and (film.critic_count or 0) < entry.rows:
            counts[film.movie_id] = entry.rows
        if film.played:
            self.tally.reviews["movie already played"] += len(entry.reviews)
            return
        names = leaks.film_names(film.title, film.alternates, film.synopsis, self.franchise)
        choice = clues.rechoose(film.current, entry.reviews, names, self.options.keep, self.judge)
        self.tally.reviews.update(choice.outcomes)
        if choice.changed:
            chosen[film.movie_id] = choice.clues
            self.tally.movies["clues changed"] += 1
