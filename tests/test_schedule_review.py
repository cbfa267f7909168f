"""`flask puzzle review` after simulated plays: each past day's players, wins and known-ness."""

from __future__ import annotations

import json

from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.models import Movie
from tests.conftest import Clock, Player


def test_review_prints_the_figures_after_simulated_plays(
    app: Flask, answer: str, clock: Clock
) -> None:
    with app.app_context():
        harbour = db.session.scalars(db.select(Movie).where(Movie.title == answer)).one()
        harbour.known_ratings, harbour.known_score = 54_320, 88  # as an import would set them
        db.session.commit()
    # Five players: a win at the first attempt, a win at the third, a loss, two who only looked.
    first = Player(app.test_client(), htmx=False)
    first.guess(answer)
    third = Player(app.test_client(), htmx=True)
    third.skip()
    third.skip()
    third.guess(answer)
    loser = Player(app.test_client(), htmx=False)
    while loser.attempts_left:
        loser.skip()
    for _ in range(2):
        Player(app.test_client(), htmx=False).skip()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["puzzle", "review"]).output.splitlines() == [
        "0 past day(s) with a puzzle in the last 30."  # today is not past yet
    ]
    clock.advance(days=1)
    shown = runner.invoke(args=["puzzle", "review", "--days", "7"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "2026-03-10 #69 The Quiet Harbour (1998): known-ness 88/100; 5 players, 3 finished, "
        "67% solved, mean attempts 2.0",
        "1 past day(s) with a puzzle in the last 7.",
    ]
    figures = json.loads(runner.invoke(args=["puzzle", "review", "--json"]).output)
    assert figures == [
        {
            "day": "2026-03-10",
            "number": 69,
            "film": "The Quiet Harbour (1998)",
            "known_score": 88,
            "known_ratings": 54_320,
            "players": 5,
            "finished": 3,
            "solved": 2,
            "solved_share": 0.667,
            "mean_attempts": 2.0,
        }
    ]
