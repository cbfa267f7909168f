"""`flask catalog ...`: load movies and their review snippets."""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
from collections import Counter
from importlib import resources
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from guessthatmovie import catalogue_import
from guessthatmovie.catalogue_import import ImportOptions, Tally
from guessthatmovie.cli.progress import Progress
from guessthatmovie.cli.vetting import names_of
from guessthatmovie.clock import today
from guessthatmovie.game import preview, rules
from guessthatmovie.importers.csvfile import BadRow, WrongShape
from guessthatmovie.importers.dump import open_dump
from guessthatmovie.importers.sample import read_sample
from guessthatmovie.store import batches, puzzles
from guessthatmovie.store.snippets import franchise_index

catalog = AppGroup("catalog", help="Load and inspect the movie catalogue.")

# Clues stored per movie: enough for the longest game the settings allow is kept if larger.
KEEP_CLUES = 12


# The facts (title, year, scores, genres) of 16,364 films: public facts, no reviews. Loaded beside
# the sample so that any film a player knows can be guessed; only films with clues are answers.
BUNDLED_FACTS = "data/rt_movies_compact.csv.gz"


@catalog.command("load-sample")
def load_sample() -> None:
    """Load the bundled sample catalogue and the bundled film list (safe to run again)."""
    summary = catalogue_import.load_movies(read_sample())
    # A film that was a puzzle keeps the facts players saw (a newer sample may change them).
    played = summary.movies["kept as played"]
    click.echo(
        f"Sample catalogue: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, "
        + (f"{played} kept as played, " if played else "")
        + f"{summary.snippets_added} snippets added."
    )
    tally = Tally()
    skipped: list[BadRow] = []
    options = ImportOptions(keep=KEEP_CLUES, today=today(), movie_batch=4000)
    bundled = resources.files("guessthatmovie").joinpath(BUNDLED_FACTS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rt_movies_compact.csv"
        with bundled.open("rb") as packed, gzip.open(packed) as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        fmt, movies, _ = open_dump(path, None)
        with movies:
            catalogue_import.import_movies(
                fmt,
                movies,
                options,
                tally,
                skipped.append,
                Progress("films", movies, sys.stderr, False),
            )
    click.echo(bundled_summary(tally, skipped))


def bundled_summary(tally: Tally, skipped: list[BadRow]) -> str:
    """Say what loading the bundled list did, row by row: the outcomes add up to the rows read.

    The progress line counts every row read; a row skipped (the list names two different films
    "Noise" of 2007, and a title and year name one film here) is counted and named too.
    """
    outcomes = [f"{n:,} {name}" for name, n in sorted(tally.movies.items())]
    if skipped:
        named = "; ".join(f"line {row.line}: {row.reason}" for row in skipped[:3])
        more = f"; and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
        outcomes.append(f"{len(skipped):,} skipped ({named}{more})")
    rows = sum(tally.movies.values()) + len(skipped)
    return f"Bundled film list: {rows:,} rows: {', '.join(outcomes) or 'none'}."


@catalog.command("import")
@click.option(
    "--movies",
    "movies_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The dump's movies CSV (2020, 2023 or the compact list).",
)
@click.option(
    "--reviews",
    "reviews_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The dump's critic reviews CSV (optional).",
)
@click.option("--dry-run", is_flag=True, help="Read and check everything, then write nothing.")
@click.option(
    "--show-errors",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="How many skipped rows to print (all are counted).",
)
def import_command(
    movies_path: Path, reviews_path: Path | None, dry_run: bool, show_errors: int
) -> None:
    """Import a Rotten Tomatoes dump: movies, and the reviews that make good clues."""
    clues_needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    options = ImportOptions(
        keep=max(KEEP_CLUES, clues_needed),
        today=today(),
        dry_run=dry_run,
        language=current_app.config["CATALOGUE_LANGUAGE"],
    )
    try:
        fmt, movies, reviews = open_dump(movies_path, reviews_path)
    except WrongShape as error:
        raise click.ClickException(str(error)) from error
    tally = Tally()
    shown = 0

    def report(row: BadRow) -> None:
        nonlocal shown
        if shown < show_errors:
            click.echo(f"skipped {row}", err=True)
        shown += 1

    interactive = sys.stderr.isatty()
    click.echo(f"Importing the {fmt.label}{' (dry run)' if dry_run else ''}.")
    try:
        with movies:
            catalogue_import.import_movies(
                fmt,
                movies,
                options,
                tally,
                report,
                Progress("movies", movies, sys.stderr, interactive),
            )
        if reviews is not None:
            with reviews:
                catalogue_import.import_reviews(
                    fmt,
                    reviews,
                    options,
                    tally,
                    report,
                    Progress("reviews", reviews, sys.stderr, interactive),
                )
        catalogue_import.finish_load(dry_run)
        eligible = len(puzzles.eligible_movie_ids(clues_needed, min_critic_count=0, min_ratings=0))
        floor = current_app.config["PUZZLE_MIN_RATINGS"]
        popular = len(puzzles.eligible_movie_ids(clues_needed, min_ratings=floor))
    except KeyboardInterrupt:
        batches.abandon()
        click.echo(
            "\nInterrupted: the batch in flight was rolled back, earlier batches are kept. "
            "Run the same command again to finish.",
            err=True,
        )
        sys.exit(130)
    except (SQLAlchemyError, OSError) as error:
        batches.abandon()
        raise click.ClickException(
            f"The import stopped: {error.__class__.__name__}: {str(error).splitlines()[0]}. "
            "The batch in flight was rolled back, earlier batches are kept; fix the cause and "
            "run the same command again."
        ) from error
    finally:
        if dry_run:
            batches.abandon()
    for line in summary_lines(tally, eligible, popular, dry_run):
        click.echo(line)


@catalog.command("audit")
def audit_command() -> None:
    """Check every film that can be a puzzle: no clue, as players see it, may name the film."""
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    franchise = franchise_index()
    audited = failed = 0
    for movie in puzzles.auditable_movies(needed, today()):
        snippets = [(s.text, s.critic, s.publication) for s in movie.snippets]
        names = names_of(movie, franchise)
        shown = preview.shown_clues(snippets, names, needed)
        found = preview.problems(shown, names, needed)
        audited += 1
        failed += bool(found)
        verdict = "FAIL" if found else "ok"
        detail = "; ".join(found) or f"{min(needed, len(snippets))} clues name nothing"
        click.echo(f"{verdict} {movie.label}: {detail}")
        for index, clue in enumerate(shown):
            if not preview.is_clean(clue, names):
                click.echo(f"    {preview.clue_line(index, clue)}")
    click.echo(f"Audited {audited} films that can be a puzzle: {failed} failed.")
    if failed:
        raise click.ClickException(f"{failed} of {audited} films have clues that fail.")


def summary_lines(tally: Tally, eligible: int, popular: int, dry_run: bool) -> list[str]:
    """Describe what an import did (or, in a dry run, would have done)."""

    def counts(counter: Counter[str]) -> str:
        return ", ".join(f"{n} {name}" for name, n in sorted(counter.items())) or "none"

    movies = tally.movies
    dropped = Counter({k: v for k, v in tally.reviews.items() if k != "kept"})
    return [
        ("Dry run, nothing written. " if dry_run else "")
        + f"Movies: {movies['added']} added, {movies['updated']} updated, "
        f"{movies['unchanged']} unchanged, {movies['kept as played']} kept as played "
        f"(already a puzzle), {sum(tally.bad_rows.values())} rows skipped.",
        f"Clues changed for {movies['clues changed']} movies.",
        f"Snippets: {tally.reviews['kept']} kept; {sum(dropped.values())} dropped: "
        f"{counts(dropped)}.",
        f"Skipped rows by reason: {counts(tally.bad_rows)}.",
        f"Eligible puzzle movies: {eligible} ({popular} pass the default popularity rules).",
    ]
