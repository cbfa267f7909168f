"""The operator's hand in the pick (issue 24): a curated list, replacing a day, the preview."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask

from guessthatmovie.clock import today
from guessthatmovie.extensions import db
from guessthatmovie.models import Movie, Play, Puzzle
from tests.rt_dumps import write_2020

LEAK = "The lanterns of Kyotto glow in every frame of this tender, patient and careful romance."


def imported(app: Flask, folder: Path, newer: bool = False) -> None:
    movies, reviews = write_2020(folder, newer=newer)
    runner = app.test_cli_runner()
    done = runner.invoke(
        args=["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
    )
    assert done.exit_code == 0, done.output
    with app.app_context():
        # One clue of a film misspells its title ("Kyotto"): the leak check must catch it.
        lanterns = db.session.scalars(
            db.select(Movie).where(Movie.title == "Lanterns Over Kyoto")
        ).one()
        lanterns.snippets[0].text = LEAK
        db.session.commit()


def puzzle_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Puzzle)) or 0


def test_a_bad_curated_list_is_refused_line_by_line_and_schedules_nothing(
    app: Flask, tmp_path: Path
) -> None:
    imported(app, tmp_path)
    curated = tmp_path / "curated.txt"
    curated.write_text(
        "# the operator's picks\n"
        "Get Out (2017)\n"
        "A Film Nobody Made (1999)\n"
        "\n"
        "Glass Meridian\n"
        "Lanterns Over Kyoto (2004)\n"
        "m/the_quiet_harbour\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--from", str(curated)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0] == f"Error: {curated}:3: No catalogue movie is called 'A Film Nobody Made (1999)'."
    )
    assert lines[1].startswith(
        f"{curated}:5: 'Glass Meridian' is ambiguous: Glass Meridian (1961); Glass Meridian (2016)."
    )
    assert lines[2].startswith(f"{curated}:6: Lanterns Over Kyoto (2004) cannot fill a game")
    assert lines[3] == "3 line(s) refused: nothing was scheduled."
    assert puzzle_count(app) == 0
    # `puzzle set` refuses the leaky film by the same rule.
    refused = app.test_cli_runner().invoke(
        args=["puzzle", "set", "2026-04-01", "Lanterns Over Kyoto"]
    )
    assert refused.exit_code == 1 and "cannot fill a game" in refused.output
    # Fixed, the list goes on the next free days in its order, by title or by the dump's id.
    curated.write_text("Get Out (2017)\nm/the_quiet_harbour\n", encoding="utf-8")
    with app.app_context():
        first = today()
    done = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--from", str(curated)])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0].startswith(f"{first} #")
    assert done.output.splitlines()[0].endswith(": Get Out (2017)")
    assert done.output.splitlines()[1].endswith(": The Quiet Harbour (1998)")
    assert puzzle_count(app) == 2
    # A film already on a day is refused by its line too, and nothing else is scheduled.
    curated.write_text("Lanterns Over Kyoto (2004)\nGet Out (2017)\n", encoding="utf-8")
    with app.app_context():
        lanterns = db.session.scalars(
            db.select(Movie).where(Movie.title == "Lanterns Over Kyoto")
        ).one()
        # The leak mended.
        lanterns.snippets[0].text = "A tender, patient romance that glows in every frame of it."
        db.session.commit()
    again = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--from", str(curated)])
    assert again.exit_code == 1
    assert again.output.splitlines() == [
        f"Error: {curated}:2: Get Out (2017) is already the puzzle of {first}.",
        "1 line(s) refused: nothing was scheduled.",
    ]
    assert puzzle_count(app) == 2


def test_replace_changes_a_future_day_and_never_one_players_saw(app: Flask, tmp_path: Path) -> None:
    imported(app, tmp_path, newer=True)  # four films can be a puzzle: one is left to swap in
    runner = app.test_cli_runner()
    done = runner.invoke(args=["puzzle", "schedule", "--days", "3", "--min-ratings", "0"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        day = today()
        days = {p.day: p.movie_id for p in db.session.scalars(db.select(Puzzle))}
    tomorrow = day + timedelta(days=1)
    swapped = runner.invoke(args=["puzzle", "replace", tomorrow.isoformat(), "--min-ratings", "0"])
    assert swapped.exit_code == 0, swapped.output
    with app.app_context():
        after = {p.day: p.movie_id for p in db.session.scalars(db.select(Puzzle))}
    assert after[tomorrow] != days[tomorrow] and after[tomorrow] not in days.values()
    assert {d: m for d, m in after.items() if d != tomorrow} == {
        d: m for d, m in days.items() if d != tomorrow
    }
    seen = runner.invoke(args=["puzzle", "replace", day.isoformat()])
    assert seen.exit_code == 1 and "not in the future" in seen.output
    with app.app_context():
        puzzle = db.session.scalars(
            db.select(Puzzle).where(Puzzle.day == tomorrow + timedelta(1))
        ).one()
        db.session.add(Play(player_id="p1", puzzle_id=puzzle.id, started_at=app.config["CLOCK"]()))
        db.session.commit()
    played = runner.invoke(args=["puzzle", "replace", (tomorrow + timedelta(1)).isoformat()])
    assert played.exit_code == 1 and "already been played by 1 player" in played.output
