"""The dev slice of the real 2020 dump (../shared/data): imported, audited, every clue clean.

The files are read where they lie and never copied into the project. Outside CI a missing
../shared skips these tests, naming the files; CI must run them and fails instead, unless the run
declares them absent (GTM_REAL_REVIEWS=absent: GitHub's workflow, which never has them).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.game import clues, leaks, preview, rules
from guessthatmovie.importers.language import judge_for
from guessthatmovie.models import Movie
from guessthatmovie.store import puzzles
from tests.shared_data import shared_data, skip_if_declared_absent

DATA = shared_data()
MOVIES = DATA / "rt2020_dev_movies.csv"
REVIEWS = DATA / "rt2020_dev_reviews.csv"


@pytest.fixture(scope="module")
def dev_slice() -> tuple[Path, Path]:
    """Return the dev slice's files, or skip (fail in CI) naming them."""
    skip_if_declared_absent("the dev slice of the 2020 dump (rt2020_dev_*.csv)")
    missing = [str(path) for path in (MOVIES, REVIEWS) if not path.is_file()]
    if missing:
        reason = f"the dev slice of the 2020 dump is absent: {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run these tests", pytrace=False)
        pytest.skip(reason)
    return MOVIES, REVIEWS


def clean_reviews_per_film(movies: Path, reviews: Path) -> dict[str, int]:
    """Count each film's reviews that pass every rule on their own, outside the chooser."""
    with movies.open(encoding="utf-8-sig", newline="") as handle:
        films = {row["rotten_tomatoes_link"]: row for row in csv.DictReader(handle)}
    franchise = leaks.FranchiseIndex((row["movie_title"], ()) for row in films.values())
    judge = judge_for("en")
    counts: dict[str, int] = dict.fromkeys(films, 0)
    with reviews.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            film = films[row["rotten_tomatoes_link"]]
            text = clues.clean_review(row["review_content"])
            names = leaks.film_names(film["movie_title"], (), film["movie_info"], franchise)
            clue = preview.shown_clues([(text, "", "")], names, 1)[0]
            if preview.is_clean(clue, names) and judge(text) is None:
                counts[row["rotten_tomatoes_link"]] += 1
    return {films[link]["movie_title"]: n for link, n in counts.items()}


def test_the_audit_passes_every_film_of_the_dev_slice(
    app: Flask, dev_slice: tuple[Path, Path]
) -> None:
    movies, reviews = dev_slice
    runner = app.test_cli_runner()
    imported = runner.invoke(
        args=["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
    )
    assert imported.exit_code == 0, imported.output
    audit = runner.invoke(args=["catalog", "audit"])
    assert audit.exit_code == 0, audit.output
    lines = audit.output.splitlines()
    assert lines[-1].startswith("Audited ") and lines[-1].endswith(": 0 failed.")
    assert all(line.startswith("ok ") for line in lines[:-1]), audit.output
    assert len(lines) > 40  # the slice has dozens of films that can be a puzzle

    needed = rules.clues_needed(app.config["GAME_ATTEMPTS"])
    with app.app_context():
        eligible = set(puzzles.eligible_movie_ids(needed, min_critic_count=0, min_ratings=0))
        titles = {m.title: m.id for m in db.session.scalars(db.select(Movie))}
    plenty = [t for t, n in clean_reviews_per_film(movies, reviews).items() if n >= 12]
    assert len(plenty) > 20
    assert [t for t in plenty if titles[t] not in eligible] == []


def test_the_audit_names_the_film_and_the_clue_that_fails(
    app: Flask, dev_slice: tuple[Path, Path]
) -> None:
    movies, reviews = dev_slice
    runner = app.test_cli_runner()
    runner.invoke(args=["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)])
    with app.app_context():
        movie = db.session.scalars(db.select(Movie).where(Movie.title == "The 39 Steps")).one()
        # A clue of our own that names the hero the synopsis gives: the audit must catch it.
        movie.snippets[2].text = "Hannay spends the whole film running and never once looks tired."
        db.session.commit()
    audit = runner.invoke(args=["catalog", "audit"])
    assert audit.exit_code == 1
    assert "FAIL The 39 Steps (1935): Clue 4 names the film: names a character (Hannay)" in (
        audit.output
    )
    assert "    Clue 4: “Hannay spends the whole film running" in audit.output
    assert audit.output.splitlines()[-1] == "Error: 1 of 67 films have clues that fail."
