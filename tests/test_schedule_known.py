"""Issue 24 on the dev slice of the 2020 dump: the known-ness floor and the variety rules.

The slice is read where it lies (tests/shared_data.py); no figure below is copied from it: each
is read back from its files or from the catalogue the import made.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.game import known, leaks, schedule
from guessthatmovie.models import Movie, Puzzle
from guessthatmovie.store import puzzles
from tests import test_real_reviews
from tests.conftest import Clock

# The same fixture as the real-review tests: it skips, or fails in CI, as that module decides.
dev_slice = test_real_reviews.dev_slice


def import_slice(app: Flask, movies: Path, reviews: Path) -> None:
    done = app.test_cli_runner().invoke(
        args=["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
    )
    assert done.exit_code == 0, done.output


def schedule_rows(app: Flask) -> list[tuple[date, Movie]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(Puzzle.day, Movie)
            .join(Movie, Puzzle.movie_id == Movie.id)
            .order_by(Puzzle.day)
        ).all()
        db.session.expunge_all()
        return [(day, movie) for day, movie in rows]


def scheduled(app: Flask, *args: str) -> list[tuple[date, Movie]]:
    """Schedule as many days as the rules allow (they run out before 200), return the days."""
    result = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "200", *args])
    assert result.exit_code == 1, result.output  # the slice runs out: that is the point
    return schedule_rows(app)


def clear_schedule(app: Flask) -> None:
    with app.app_context():
        for puzzle in db.session.scalars(db.select(Puzzle)):
            puzzles.forget_puzzle(puzzle)  # the memo and the shared cache keep served days
        db.session.execute(db.delete(Puzzle))
        db.session.commit()


def test_the_import_keeps_the_dumps_counts_and_directors(
    app: Flask, dev_slice: tuple[Path, Path]
) -> None:
    import_slice(app, *dev_slice)
    with dev_slice[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = {
            (r["movie_title"], r["original_release_date"][:4]): r for r in csv.DictReader(handle)
        }
    with app.app_context():
        movies = db.session.scalars(db.select(Movie)).all()
        assert len(movies) > 70
        for movie in movies:
            row = rows[(movie.title, str(movie.year) if movie.year else "")]
            expected = int(row["audience_count"]) if row["audience_count"] else None
            assert movie.audience_count == expected
            assert movie.directors == " ".join(row["directors"].split())
            # No audience count: the critics stand in, RATINGS_PER_CRITIC ratings each.
            critics = int(row["tomatometer_count"]) * known.RATINGS_PER_CRITIC
            assert movie.known_ratings == (critics if expected is None else expected)
        counted = sorted(
            (m for m in movies if m.known_ratings is not None), key=lambda m: m.known_ratings or 0
        )
        scores = [m.known_score for m in counted]
        assert scores == sorted(scores)  # a percentile: better-known films never score lower
        assert scores[-1] == 100 and 0 <= (scores[0] or 0) < 5


def test_every_day_the_rules_allow_is_above_the_floor_and_varied(
    app: Flask, dev_slice: tuple[Path, Path]
) -> None:
    import_slice(app, *dev_slice)
    days = scheduled(app)
    assert len(days) >= 7
    floor = app.config["PUZZLE_MIN_RATINGS"]
    assert all(m.known_ratings is None or m.known_ratings >= floor for _d, m in days)
    with app.app_context():
        below = db.session.scalar(
            db.select(db.func.count()).select_from(Movie).where(Movie.known_ratings < floor)
        )
    assert below > 30  # the floor had films to hold back
    franchise = leaks.FranchiseIndex((m.title, m.alt_titles) for _d, m in days)
    for index, (day, movie) in enumerate(days):
        for other_day, other in days[:index]:
            apart = (day - other_day).days
            if apart < schedule.FRANCHISE_DAYS:
                assert other.title not in franchise.relatives(movie.title, movie.alt_titles)
            if apart < schedule.DIRECTOR_DAYS:
                mine, theirs = (
                    known.director_names(movie.directors),
                    known.director_names(other.directors),
                )
                assert not set(mine) & set(theirs), (movie.label, other.label)
        if index >= 2:
            run = [set(m.genres) for _d, m in days[index - 2 : index + 1]]
            assert not set.intersection(*run), [m.label for _d, m in days[index - 2 : index + 1]]
    assert len({m.year // 10 for _d, m in days if m.year}) >= 3  # decades mixed
    # The preview says, for each day, the film's known-ness, its director and why it is allowed.
    shown = app.test_cli_runner().invoke(
        args=["puzzle", "preview", days[0][0].isoformat(), "--days", str(len(days))]
    )
    picks = [line.strip() for line in shown.output.splitlines() if line.startswith("    ")]
    assert len(picks) == len(days)
    for line, (_day, movie) in zip(picks, days, strict=True):
        assert line.startswith(
            f"known-ness {movie.known_score}/100 (~{movie.known_ratings:,} ratings); "
            f"directed by {movie.directors}; allowed: above the floor of ~{floor:,} ratings; "
        )


def test_the_same_secret_gives_the_same_schedule_and_another_a_different_one(
    app: Flask, dev_slice: tuple[Path, Path]
) -> None:
    import_slice(app, *dev_slice)
    args = ("--min-ratings", "5000")
    first = [(d, m.id) for d, m in scheduled(app, *args)]
    clear_schedule(app)
    assert [(d, m.id) for d, m in scheduled(app, *args)] == first
    clear_schedule(app)
    app.config["SECRET_KEY"] = "another-secret"
    other = [(d, m.id) for d, m in scheduled(app, *args)]
    assert other != first
    assert {m for _d, m in other} & {m for _d, m in first}  # the same films, another order


def test_a_player_gets_a_film_even_where_the_variety_rules_leave_none(
    app: Flask, catalogue: None, clock: Clock
) -> None:
    with app.app_context():
        films = db.session.scalars(db.select(Movie).order_by(Movie.id)).all()
        for film in films:
            film.genres = ["Drama"]  # every film is a drama: the genre rule bars them all today
        db.session.commit()
        today = clock.now.date()
        earlier = [films[0].id, films[1].id]
        for days_ago, film in ((1, films[0]), (2, films[1])):
            puzzles.set_puzzle(
                today - timedelta(days=days_ago), film, app.config["GAME_LAUNCH_DATE"], clock.now
            )
    strict = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "1"])
    assert strict.exit_code == 1
    assert f"The variety rules leave no film for {today}" in strict.output
    page = app.test_client().get("/")
    assert page.status_code == 200  # the site sets the genre rule aside rather than fail
    with app.app_context():
        chosen = db.session.scalars(db.select(Puzzle).where(Puzzle.day == today)).one()
        assert chosen.movie_id not in earlier
