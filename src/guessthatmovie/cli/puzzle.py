"""`flask puzzle ...`: schedule, set, show and preview daily puzzles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from guessthatmovie import board
from guessthatmovie.cli import vetting
from guessthatmovie.cli.vetting import names_of
from guessthatmovie.clock import now, today
from guessthatmovie.game import leaks, preview, rules, schedule
from guessthatmovie.store import candidates, curation, puzzles
from guessthatmovie.store.day_puzzle import DayPuzzle
from guessthatmovie.store.snippets import franchise_index

puzzle = AppGroup("puzzle", help="Schedule and inspect daily puzzles.")


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-31.") from error


def _min_ratings_option(function: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--min-ratings",
        type=click.IntRange(0),
        help="Only films at least ~N people rated, or the equivalent in critics or box office "
        "where the dump has no audience count (films without any count pass). "
        "Default: PUZZLE_MIN_RATINGS (20,000).",
    )(function)


@puzzle.command("schedule")
@click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True)
@click.option(
    "--min-critic-count",
    type=click.IntRange(0),
    default=puzzles.POPULAR_CRITIC_COUNT,
    show_default=True,
    help="Only movies at least this many critics reviewed (movies without a count pass).",
)
@_min_ratings_option
@click.option("--since", type=click.IntRange(1870, 2100), help="Only movies from this year on.")
@click.option(
    "--past",
    type=click.IntRange(0, 366),
    default=0,
    show_default=True,
    help="Also fill this many days before today (never before the launch date) that have no "
    "puzzle, so that a new instance's archive has some to play.",
)
@click.option("--weekly-curve", is_flag=True, help="Better-known films early in the week.")
@click.option(
    "--from",
    "curated",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Schedule the films of this list (one a line: title and year, or the dump's id) on "
    "the next free days, all or nothing.",
)
def schedule_command(
    days: int,
    min_critic_count: int,
    min_ratings: int | None,
    since: int | None,
    past: int,
    weekly_curve: bool,
    curated: Path | None,
) -> None:
    """Make sure puzzles exist from today for DAYS days, never repeating a movie."""
    launch = current_app.config["GAME_LAUNCH_DATE"]
    if curated is not None:
        try:
            placed = vetting.schedule_curated(curated, max(today(), launch))
        except puzzles.ScheduleError as error:
            raise click.ClickException(str(error)) from error
        click.echo("\n".join(placed))
        click.echo(f"Curated list scheduled: {len(placed)} day(s).")
        return
    first = max(today() - timedelta(days=past), launch)
    days += max(0, (today() - first).days)  # the past days come on top of DAYS from today
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    floor = current_app.config["PUZZLE_MIN_RATINGS"] if min_ratings is None else min_ratings
    pick = puzzles.PickRules(needed, min_critic_count, floor, since, weekly_curve)
    made, pool = puzzles.schedule_days(
        first,
        days,
        current_app.config["GAME_LAUNCH_DATE"],
        current_app.config["SECRET_KEY"].encode(),
        now(),
        pick,
    )
    click.echo(f"Puzzles scheduled from {first}: {len(made)} of {days} days.")
    if pool.refused:
        refused = ", ".join(f"{rule} {n}" for rule, n in sorted(pool.refused.items()))
        click.echo(f"Variety rules set aside (films × days): {refused}.")
    if len(made) < days:
        raise click.ClickException(shortfall_message(days - len(made), pick, pool.stuck))


def shortfall_message(missing: int, pick: puzzles.PickRules, stuck: date | None) -> str:
    """Say why days are left without a puzzle: what each filter removed, and what to change."""
    shortfall = puzzles.eligibility_shortfall(
        pick.snippets_needed, pick.min_critic_count, pick.since, pick.min_ratings
    )
    removed = "; ".join(f"{n} {label}" for label, n in shortfall.removed)
    if stuck is not None:
        left = len(shortfall.counts) - shortfall.removed[-1][1]
        return (
            f"The variety rules leave no film for {stuck}: each of the {left} "
            f"eligible film(s) left shares a franchise (within {schedule.FRANCHISE_DAYS} days), a "
            f"director (within {schedule.DIRECTOR_DAYS}) or a genre {schedule.GENRE_RUN} days "
            f"running with the days around it. Of {shortfall.total} catalogue movies: {removed}. "
            "Load more of the catalogue, lower --min-ratings, or set a film yourself "
            "(flask puzzle set)."
        )
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
    movie = vetting.vet(title, franchise_index())
    if isinstance(movie, str):
        raise click.ClickException(movie)
    try:
        chosen = puzzles.set_puzzle(when, movie, current_app.config["GAME_LAUNCH_DATE"], now())
    except puzzles.ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Puzzle #{chosen.number} on {when} is {movie.label}.")


@puzzle.command("replace")
@click.argument("day")
@_min_ratings_option
@click.option("--weekly-curve", is_flag=True, help="Better-known films early in the week.")
def replace_command(day: str, min_ratings: int | None, weekly_curve: bool) -> None:
    """Give the future DAY another film by the pick's rules (never a day players have seen)."""
    when = _parse_day(day)
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    floor = current_app.config["PUZZLE_MIN_RATINGS"] if min_ratings is None else min_ratings
    pick = puzzles.PickRules(needed, min_ratings=floor, curve=weekly_curve)
    try:
        found = curation.replace_day(
            when, today(), current_app.config["SECRET_KEY"].encode(), now(), pick
        )
    except puzzles.ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Puzzle #{found.number} on {when} is now {found.movie.label}.")


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


def _pick_line(found: DayPuzzle, calendar: schedule.Calendar) -> str:
    """Say a day's film's known-ness, director and why the pick's rules allow it there."""
    film = calendar.get(found.day)
    if film is None:  # scheduled after the calendar was read
        return "known-ness: unknown"
    floor = current_app.config["PUZZLE_MIN_RATINGS"]
    why = schedule.why_allowed(film, found.day, calendar, floor)
    return f"{schedule.known_words(film)}; directed by {film.credits or 'unknown'}; allowed: {why}"


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
    franchise = franchise_index()
    calendar = candidates.calendar_around(first, first + timedelta(days=(days or 1) - 1), franchise)
    if days is None:
        found = puzzles.puzzle_on(first)
        if found is None:
            raise click.ClickException(f"No puzzle is scheduled for {first}.")
        shown = _preview(found, franchise)
        click.echo("\n".join([*shown.lines, "Pick: " + _pick_line(found, calendar)]))
        if shown.problems:
            raise click.ClickException(f"{first}: " + "; ".join(shown.problems))
        return
    failed = 0
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
        click.echo(f"    {_pick_line(found, calendar)}")
    if failed:
        raise click.ClickException(f"{failed} of {days} days failed the preview.")
