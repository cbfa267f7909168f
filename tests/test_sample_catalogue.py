"""The bundled sample catalogue: enough real movies, our own snippets, all playable."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from guessthatmovie import catalogue_import
from guessthatmovie.extensions import db
from guessthatmovie.game import rules
from guessthatmovie.game.redact import redact_title
from guessthatmovie.game.titles import fold, split_alternate, title_keys
from guessthatmovie.importers.sample import read_sample
from guessthatmovie.models import Movie, Puzzle, ReviewSnippet
from guessthatmovie.store import puzzles


def test_sample_has_forty_movies_with_six_snippets_each() -> None:
    movies = list(read_sample())
    assert len(movies) >= 40
    assert len({(m.title, m.year) for m in movies}) == len(movies)
    for movie in movies:
        assert movie.year and movie.genres and movie.synopsis, movie.title
        assert 0 <= movie.critic_score <= 100 and 0 <= movie.audience_score <= 100  # type: ignore[operator]
        assert len(movie.snippets) >= 6, movie.title
        assert all(s.critic and s.publication and s.text for s in movie.snippets)


def test_redaction_removes_every_mention_of_the_title() -> None:
    for movie in read_sample():
        main, alternates = split_alternate(movie.title)
        redacted = [redact_title(s.text, movie.title, movie.alt_titles) for s in movie.snippets]
        assert sum("▇▇▇▇" in text for text in redacted) >= 3, movie.title
        for text in redacted:
            for name in (main, *alternates, *movie.alt_titles):
                assert fold(name) not in fold(text), (movie.title, text)


def test_every_sample_movie_is_eligible_and_guessable(app: Flask) -> None:
    with app.app_context():
        catalogue_import.load_movies(read_sample())
        eligible = puzzles.eligible_movie_ids(rules.clues_needed(6))
        assert len(eligible) == len(list(read_sample()))
    keys = [title_keys(m.title, m.alt_titles) for m in read_sample()]
    assert all(keys)


def test_make_plays_week_passes_the_preview(app: Flask, tmp_path: Path) -> None:
    """`make play` loads the sample and schedules 7 days: the operator's preview finds no fault."""
    runner = app.test_cli_runner()
    for args in (["catalog", "load-sample"], ["puzzle", "schedule", "--days", "7"]):
        done = runner.invoke(args=args)
        assert done.exit_code == 0, done.output
    week = runner.invoke(args=["puzzle", "preview", "--days", "7"])
    assert week.exit_code == 0, week.output
    # A day's line, then its pick's line (indented): known-ness, director, why allowed.
    days = [line for line in week.output.splitlines() if not line.startswith("    ")]
    assert len(days) == 7 and len(week.output.splitlines()) == 14
    # The week depends on SECRET_KEY: every sample movie must pass, whichever seven are drawn.
    sample = len(list(read_sample()))
    done = runner.invoke(args=["puzzle", "schedule", "--days", str(sample)])
    # The variety rules (issue 24) stop a catalogue this small a few films short of its end:
    # the operator's own list (`--from`, which they do not bind) places the rest.
    assert "The variety rules leave no film for" in done.output
    with app.app_context():
        with_clues = db.select(ReviewSnippet.movie_id)
        unused = db.select(Movie).where(
            Movie.id.in_(with_clues), Movie.id.not_in(db.select(Puzzle.movie_id))
        )
        left = [movie.label for movie in db.session.scalars(unused)]
    assert 0 < len(left) < sample // 4
    curated = tmp_path / "rest.txt"
    curated.write_text("\n".join(left) + "\n", encoding="utf-8")
    rest = runner.invoke(args=["puzzle", "schedule", "--from", str(curated)])
    assert rest.exit_code == 0, rest.output
    every = runner.invoke(args=["puzzle", "preview", "--days", str(sample)])
    assert every.exit_code == 0, every.output
    assert all(" ok: " in line for line in every.output.splitlines() if not line.startswith("    "))
