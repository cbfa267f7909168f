"""The operator commands: catalog load-sample, puzzle schedule / set / show."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, titles
from guessthatmovie.importers.sample import read_sample
from guessthatmovie.models import Movie, Puzzle, ReviewSnippet, TitleKey
from guessthatmovie.store import catalogue, puzzles, search
from tests.conftest import LAUNCH, Clock, Player


def count(model: type) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_load_sample_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["catalog", "load-sample"])
    assert first.exit_code == 0, first.output
    assert "48 added" in first.output
    with app.app_context():
        movies, snippets = count(Movie), count(ReviewSnippet)
    second = runner.invoke(args=["catalog", "load-sample"])
    assert second.exit_code == 0
    assert "0 added, 0 updated, 48 unchanged, 0 snippets added" in second.output
    assert "Bundled film list: 16,364 rows: 16,363 unchanged, 1 skipped (" in second.output
    with app.app_context():
        assert (count(Movie), count(ReviewSnippet)) == (movies, snippets)


def test_load_sample_keeps_a_played_films_facts_and_mends_title_keys(
    app: Flask, clock: Clock
) -> None:
    """The sample goes through the import's writer: a puzzle's facts stay as players saw them."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["catalog", "load-sample"]).exit_code == 0
    with app.app_context():
        with_snippets = db.select(ReviewSnippet.movie_id)
        played, other = db.session.scalars(
            db.select(Movie).where(Movie.id.in_(with_snippets)).order_by(Movie.id).limit(2)
        ).all()
        puzzles.set_puzzle(clock.now.date(), played, LAUNCH, clock.now)
        played.critic_score, other.critic_score = 1, 1  # as an older sample had them
        played_id, other_id = played.id, other.id
        db.session.execute(db.delete(TitleKey).where(TitleKey.movie_id == other_id))
        db.session.commit()
    again = runner.invoke(args=["catalog", "load-sample"])
    assert again.exit_code == 0, again.output
    assert "0 added, 1 updated, 46 unchanged, 1 kept as played, 0 snippets added" in again.output
    with app.app_context():
        assert db.session.get(Movie, played_id).critic_score == 1
        assert db.session.get(Movie, other_id).critic_score != 1
        other = db.session.get(Movie, other_id)
        assert catalogue.movies_matching(titles.parse_guess(other.title))


def test_load_sample_makes_every_listed_film_guessable_but_not_an_answer(app: Flask) -> None:
    """The bundled list of 16,364 films: any can be guessed; only films with clues are answers."""
    done = app.test_cli_runner().invoke(args=["catalog", "load-sample"])
    assert done.exit_code == 0, done.output
    # The progress line's rows, the outcomes and the catalogue tell the same story: of 16,364
    # rows one names a second film "Noise" (2007), and a title and year name one film here.
    assert "16,364 rows" in done.output
    assert (
        "Bundled film list: 16,364 rows: 16,315 added, 48 unchanged, 1 skipped "
        "(line 10372: repeats movie id 'Noise (2007)')." in done.output
    )
    with app.app_context():
        assert count(Movie) == 16363  # 48 from the sample (the list's 48 unchanged) + 16,315
        for typed in ("Heat (1995)", "Paddington 2", "Moonlight (2016)"):
            found = catalogue.movies_matching(titles.parse_guess(typed))
            assert [m.label for m in found][:1] == [typed if "(" in typed else f"{typed} (2018)"]
        assert search.search_titles("paddin")[0].title.startswith("Paddington")
        sample = {m.title for m in read_sample()}
        eligible = puzzles.eligible_movie_ids(rules.clues_needed(6), min_critic_count=0)
        titles_of = db.session.scalars(db.select(Movie.title).where(Movie.id.in_(eligible)))
        assert set(titles_of) == sample


def test_schedule_fills_days_without_repeating_a_movie(app: Flask, catalogue: None) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        puzzles = db.session.scalars(db.select(Puzzle).order_by(Puzzle.day)).all()
        assert [p.number for p in puzzles] == [69, 70, 71, 72, 73]
        assert len({p.movie_id for p in puzzles}) == 5
    again = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "5"])
    assert again.exit_code == 0
    with app.app_context():
        assert count(Puzzle) == 5


@pytest.mark.parametrize(
    ("launch", "numbers"),
    [
        (date(2026, 3, 7), [1, 2, 3, 4, 5, 6]),  # a new instance: #1 three days ago
        (date(2026, 3, 9), [1, 2, 3, 4]),  # never before the launch
        (date(2026, 1, 1), [66, 67, 68, 69, 70, 71]),
    ],
)
def test_schedule_fills_a_few_past_days_for_the_archive(
    app: Flask, catalogue: None, launch: date, numbers: list[int]
) -> None:
    """`make play`'s schedule: today (2026-03-10) and after, plus up to --past days before."""
    app.config["GAME_LAUNCH_DATE"] = launch
    args = ["puzzle", "schedule", "--days", "3", "--past", "3"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    first = max(launch, date(2026, 3, 7))
    assert f"Puzzles scheduled from {first}: {len(numbers)} of {len(numbers)} days." in (
        result.output
    )
    with app.app_context():
        puzzles = db.session.scalars(db.select(Puzzle).order_by(Puzzle.day)).all()
        assert [p.number for p in puzzles] == numbers
        assert puzzles[-1].day == date(2026, 3, 12)


def test_schedule_reports_running_out_of_movies(app: Flask, catalogue: None) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "schedule", "--days", "30"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: No eligible movie is left for the other 21 day(s). Of 12 catalogue movies: "
        "1 lack a year, scores or genres; 2 have fewer than 5 clean review clues; 9 are already "
        "a puzzle; 0 were rated by fewer than ~20,000 people; 0 were reviewed by fewer than 50 "
        "critics. Load more of the catalogue (flask catalog import)."
    )


def test_set_and_show(app: Flask, catalogue: None) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["puzzle", "set", "2026-03-12", "glass meridian (2016)"])
    assert result.exit_code == 0, result.output
    assert "#71" in result.output
    shown = runner.invoke(args=["puzzle", "show", "2026-03-12"])
    assert shown.output == "2026-03-12\t71\tGlass Meridian\t2016\n"


def test_show_defaults_to_today(app: Flask, answer: str) -> None:
    shown = app.test_cli_runner().invoke(args=["puzzle", "show"])
    assert shown.output == "2026-03-10\t69\tThe Quiet Harbour\t1998\n"


def test_set_refuses_unknown_ambiguous_used_and_played(app: Flask, answer: str) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["puzzle", "set", "2026-03-12", "Nope"])
    assert unknown.exit_code == 1 and "No catalogue movie" in unknown.output
    ambiguous = runner.invoke(args=["puzzle", "set", "2026-03-12", "Glass Meridian"])
    assert ambiguous.exit_code == 1
    assert (
        "Glass Meridian (2016)" in ambiguous.output and "Glass Meridian (1961)" in ambiguous.output
    )
    used = runner.invoke(args=["puzzle", "set", "2026-03-12", "The Quiet Harbour"])
    assert used.exit_code == 1 and "already the puzzle of 2026-03-10" in used.output
    bad_date = runner.invoke(args=["puzzle", "set", "12/03/2026", "Spider-Moth"])
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output
    # Unplayed, today's puzzle can still be changed...
    changed = runner.invoke(args=["puzzle", "set", "2026-03-10", "Spider-Moth"])
    assert changed.exit_code == 0, changed.output
    # ...but not once somebody has played it.
    Player(app.test_client(), htmx=False).skip()
    played = runner.invoke(args=["puzzle", "set", "2026-03-10", "Lanterns Over Kyoto"])
    assert played.exit_code == 1 and "already been played" in played.output
    with app.app_context():
        puzzle = db.session.scalars(db.select(Puzzle).where(Puzzle.day == date(2026, 3, 10))).one()
        assert puzzle.movie.title == "Spider-Moth"


def test_show_without_puzzle_is_a_clear_error(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "show", "2030-01-01"])
    assert result.exit_code == 1
    assert "No puzzle is scheduled for 2030-01-01" in result.output
