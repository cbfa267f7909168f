"""`flask puzzle ...`: schedule, set, show and preview daily puzzles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from guessthatmovie import board
from guessthatmovie.clock import now, today
from guessthatmovie.game import leaks, preview, rules, schedule, titles
from guessthatmovie.models import Movie
from guessthatmovie.store import catalogue, puzzles
from guessthatmovie.store.day_puzzle import DayPuzzle, PuzzleMovie
from guessthatmovie.store.snippets import franchise_index

puzzle = AppGroup("puzzle", help="Schedule and inspect daily puzzles.")


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-31.") from error


@puzzle.command("schedule")
@click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True)
@click.option(
    "--min-critic-count",
    type=click.IntRange(0),
    default=puzzles.POPULAR_CRITIC_COUNT,
    show_default=True,
    help="Only movies at least this many critics reviewed (movies without a count pass).",
)
@click.option("--since", type=click.IntRange(1870, 2100), help="Only movies from this year on.")
@click.option(
    "--past",
    type=click.IntRange(0, 366),
    default=0,
    show_default=True,
    help="Also fill this many days before today (never before the launch date) that have no "
    "puzzle, so that a new instance's archive has some to play.",
)
def schedule_command(days: int, min_critic_count: int, since: int | None, past: int) -> None:
    """Make sure puzzles exist from today for DAYS days, never repeating a movie."""
    launch = current_app.config["GAME_LAUNCH_DATE"]
    first = max(today() - timedelta(days=past), launch)
    days += max(0, (today() - first).days)  # the past days come on top of DAYS from today
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    made = puzzles.schedule_days(
        first,
        days,
        current_app.config["GAME_LAUNCH_DATE"],
        needed,
        current_app.config["SECRET_KEY"].encode(),
        now(),
        min_critic_count=min_critic_count,
        since=since,
    )
    click.echo(f"Puzzles scheduled from {first}: {len(made)} of {days} days.")
    if len(made) < days:
        raise click.ClickException(
            shortfall_message(days - len(made), needed, min_critic_count, since)
        )


def shortfall_message(missing: int, needed: int, min_critic_count: int, since: int | None) -> str:
    """Say why days are left without a puzzle: what each filter removed, and what to change."""
    shortfall = puzzles.eligibility_shortfall(needed, min_critic_count, since)
    removed = "; ".join(f"{n} {label}" for label, n in shortfall.removed)
    message = (
        f"No eligible movie is left for the other {missing} day(s). "
        f"Of {shortfall.total} catalogue movies: {removed}."
    )
    suggestion = schedule.suggested_critic_count(shortfall.counts, missing)
    popularity = shortfall.removed[-1][1]
    if suggestion is not None and popularity:
        return message + (
            f" Popularity is what ran out: run again with --min-critic-count {suggestion} "
            f"to fill the {missing} day(s)."
        )
    if popularity:
        message += (
            f" Even --min-critic-count 0 leaves only {len(shortfall.counts)} movie(s) for "
            f"{missing} day(s)."
        )
    return message + " Load more of the catalogue (flask catalog import)."


@puzzle.command("set")
@click.argument("day")
@click.argument("title")
def set_command(day: str, title: str) -> None:
    """Put the catalogue movie TITLE on DAY (YYYY-MM-DD); add "(1999)" to pick a year."""
    when = _parse_day(day)
    if when < current_app.config["GAME_LAUNCH_DATE"]:
        raise click.ClickException(f"{when} is before the launch date.")
    matches = catalogue.movies_matching(titles.parse_guess(title))
    if not matches:
        raise click.ClickException(f"No catalogue movie is called {title!r}.")
    if len(matches) > 1:
        labels = "; ".join(movie.label for movie in matches)
        raise click.ClickException(
            f'{title!r} is ambiguous: {labels}. Add the year, e.g. "{matches[0].label}".'
        )
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    movie = matches[0]
    names = names_of(movie, franchise_index())
    every = [(s.text, s.critic, s.publication) for s in movie.snippets]
    shown = preview.shown_clues(every, names, len(every))
    clean = sum(preview.is_clean(clue, names) for clue in shown)
    if preview.problems(shown[:needed], names, needed):
        raise click.ClickException(
            f"{movie.label} cannot fill a game: it has {clean} clean review clue(s) of "
            f"{len(every)} stored, and a game of {current_app.config['GAME_ATTEMPTS']} attempts "
            f"shows {needed}, in order. Run `flask catalog audit` for the details."
        )
    try:
        chosen = puzzles.set_puzzle(when, matches[0], current_app.config["GAME_LAUNCH_DATE"], now())
    except puzzles.ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Puzzle #{chosen.number} on {when} is {matches[0].label}.")


@puzzle.command("show")
@click.argument("day", required=False)
def show_command(day: str | None) -> None:
    """Print DAY's puzzle (default today) as: date, number, title, year, tab-separated."""
    when = _parse_day(day) if day else today()
    found = puzzles.puzzle_on(when)
    if found is None:
        raise click.ClickException(f"No puzzle is scheduled for {when}.")
    year = found.movie.year if found.movie.year is not None else ""
    click.echo(f"{found.day.isoformat()}\t{found.number}\t{found.movie.title}\t{year}")


@dataclass(frozen=True)
class _DayPreview:
    lines: list[str]
    problems: list[str]
    review_clues: int


def names_of(movie: Movie | PuzzleMovie, franchise: leaks.FranchiseIndex) -> leaks.FilmNames:
    """Return what the movie's clues must not say, as the import's chooser saw it."""
    return leaks.film_names(movie.title, movie.alt_titles or (), movie.synopsis or "", franchise)


def _preview(found: DayPuzzle, franchise: leaks.FranchiseIndex) -> _DayPreview:
    """Return a puzzle's lines as players will meet them, and its problems."""
    attempts = current_app.config["GAME_ATTEMPTS"]
    # The board of a player on the last attempt: the game's own choice, order and redaction.
    seen = board.last_attempt_board(found, attempts)
    movie = found.movie
    review_clues = [
        preview.ReviewClue(snippet.text, clue.text, clue.critic, clue.publication)
        for snippet, clue in zip(movie.snippets[: len(seen.clues)], seen.clues, strict=True)
    ]
    facts = seen.facts
    lines = [
        f"Puzzle #{found.number} of {found.day.isoformat()}",
        "Clue 1: "
        + preview.facts_line(
            facts.year,
            facts.genres,
            facts.critic_score,
            facts.audience_score,
            facts.critics_fresh,
            facts.audience_upright,
        ),
        *(preview.clue_line(index, clue) for index, clue in enumerate(review_clues)),
        f"Answer: {movie.label}",
    ]
    needed = rules.clues_needed(attempts)
    problems = preview.problems(review_clues, names_of(movie, franchise), needed)
    return _DayPreview(lines, problems, len(review_clues))


@puzzle.command("preview")
@click.argument("day", required=False)
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    help="Check this many days from DAY (default today), one summary line each.",
)
def preview_command(day: str | None, days: int | None) -> None:
    """Print DAY's puzzle (default today) as players will meet it; fail if a clue spoils it."""
    first = _parse_day(day) if day else today()
    if days is None:
        found = puzzles.puzzle_on(first)
        if found is None:
            raise click.ClickException(f"No puzzle is scheduled for {first}.")
        shown = _preview(found, franchise_index())
        click.echo("\n".join(shown.lines))
        if shown.problems:
            raise click.ClickException(f"{first}: " + "; ".join(shown.problems))
        return
    failed = 0
    franchise = franchise_index()
    for offset in range(days):
        when = first + timedelta(days=offset)
        found = puzzles.puzzle_on(when)
        if found is None:
            failed += 1
            click.echo(f"{when} FAIL: no puzzle scheduled (run `flask puzzle schedule`)")
            continue
        shown = _preview(found, franchise)
        failed += bool(shown.problems)
        verdict = "FAIL" if shown.problems else "ok"
        detail = "; ".join(shown.problems) or f"{shown.review_clues} review clues, no leaks"
        click.echo(f"{when} #{found.number} {verdict}: {found.movie.label}: {detail}")
    if failed:
        raise click.ClickException(f"{failed} of {days} days failed the preview.")
