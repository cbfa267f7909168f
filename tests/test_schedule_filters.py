"""`puzzle schedule` filters: the popularity rule and --since; `puzzle set` still overrides."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.models import Movie, Puzzle
from tests.rt_dumps import write_2020


def scheduled_titles(app: Flask) -> list[str]:
    with app.app_context():
        return [p.movie.title for p in db.session.scalars(db.select(Puzzle).order_by(Puzzle.day))]


def test_default_schedule_skips_little_reviewed_movies(app: Flask, catalogue: None) -> None:
    with app.app_context():
        for movie in db.session.scalars(db.select(Movie)):
            # Only one movie is well known; the rest were reviewed by a handful of critics.
            movie.critic_count = 300 if movie.title == "Spider-Moth" else 10
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["puzzle", "schedule", "--days", "2"])
    assert result.exit_code == 1
    # Each filter's toll, and the count that would fill the day (issue 14).
    assert result.output.splitlines()[-1] == (
        "Error: No eligible movie is left for the other 1 day(s). Of 12 catalogue movies: "
        "1 lack a year, scores or genres; 2 have fewer than 5 clean review clues; 1 are already "
        "a puzzle; 0 were rated by fewer than ~20,000 people; 8 were reviewed by fewer than 50 "
        "critics. Popularity is what ran out: run "
        "again with --min-critic-count 10 to fill the 1 day(s)."
    )
    assert scheduled_titles(app) == ["Spider-Moth"]
    many = runner.invoke(args=["puzzle", "schedule", "--days", "20"])
    assert many.output.splitlines()[-1].endswith(
        "8 were reviewed by fewer than 50 critics. Even --min-critic-count 0 leaves only 8 "
        "movie(s) for 19 day(s). Load more of the catalogue (flask catalog import)."
    )
    relaxed = runner.invoke(args=["puzzle", "schedule", "--days", "2", "--min-critic-count", "0"])
    assert relaxed.exit_code == 0, relaxed.output
    assert len(set(scheduled_titles(app))) == 2


def test_movies_without_a_count_pass_the_popularity_rule(app: Flask, catalogue: None) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert len(set(scheduled_titles(app))) == 3


def test_since_keeps_older_movies_out(app: Flask, catalogue: None) -> None:
    result = app.test_cli_runner().invoke(
        args=["puzzle", "schedule", "--days", "4", "--since", "2010"]
    )
    assert result.exit_code == 1  # three eligible movies are from 2010 or later
    assert sorted(scheduled_titles(app)) == ["Café Lumière Nights", "Glass Meridian", "Spider-Moth"]


def test_schedule_from_an_imported_dump_and_set_overrides(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    movies, reviews = write_2020(tmp_path)
    assert (
        runner.invoke(
            args=["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["puzzle", "schedule", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert sorted(scheduled_titles(app)) == ["Get Out", "Lanterns Over Kyoto", "The Quiet Harbour"]
    # `puzzle set` puts a movie on a day only if its clues can fill a game (issue 14): this one
    # has facts and no review at all, and a day of it would reveal nothing.
    refused = runner.invoke(args=["puzzle", "set", "2026-03-20", "Glass Meridian (1961)"])
    assert refused.exit_code == 1
    assert (
        "Glass Meridian (1961) cannot fill a game: it has 0 clean review clue(s) of 0 stored"
        in (refused.output)
    )
    assert "Glass Meridian" not in scheduled_titles(app)
