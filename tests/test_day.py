"""The day: rollover at midnight in the configured timezone, and races at rollover."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import Flask

from guessthatmovie import moves
from guessthatmovie.extensions import db
from guessthatmovie.game import rules
from guessthatmovie.models import Guess, Play, Puzzle
from guessthatmovie.store import puzzles
from tests.conftest import LAUNCH, Clock, Player


def run_together(count: int, work: Callable[[], object]) -> list[object]:
    """Run `work` in `count` threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(count)
    results: list[object] = []

    def runner() -> None:
        barrier.wait()
        try:
            results.append(work())
        except Exception as error:  # collected and asserted on by the caller
            results.append(error)

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_first_visit_of_the_day_schedules_a_puzzle(app: Flask, catalogue: None) -> None:
    client = app.test_client()
    assert client.get("/").status_code == 200
    with app.app_context():
        puzzle = db.session.scalars(db.select(Puzzle)).one()
        assert (puzzle.day, puzzle.number) == (date(2026, 3, 10), 69)
        assert puzzle.movie.title != "No Facts At All"  # movies without facts are not eligible
        assert len(puzzle.movie.snippets) >= rules.clues_needed(6)


def test_rollover_follows_the_configured_timezone(
    app: Flask, catalogue: None, clock: Clock
) -> None:
    app.config["GAME_TIMEZONE"] = "Pacific/Auckland"  # UTC+13 in March
    clock.now = datetime(2026, 3, 10, 10, 59, tzinfo=UTC)
    assert "Puzzle #69" in app.test_client().get("/").get_data(as_text=True)
    clock.now = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    assert "Puzzle #70" in app.test_client().get("/").get_data(as_text=True)


def test_game_started_yesterday_finishes_after_midnight(
    app: Flask, answer: str, clock: Clock
) -> None:
    player = Player(app.test_client(), htmx=False)
    player.guess("Lanterns Over Kyoto")
    clock.advance(hours=12)  # 00:00 on 11 March: a new day, a new puzzle
    status, _ = player.send("guess", "The Quiet Harbour")
    assert status == 303
    assert player.last.headers["Location"] == "/puzzle/69#result"  # lands on the result
    assert player.page.find(attrs={"data-result": True})["data-result"] == "won"
    today = player.load("/")
    assert "Puzzle #70" in today.find("h1").get_text()
    assert player.outcomes == []
    with app.app_context():
        play = db.session.scalars(db.select(Play)).one()
        assert (play.puzzle_id, play.status) == (
            db.session.scalar(db.select(Puzzle.id).where(Puzzle.number == 69)),
            "won",
        )


def test_before_launch_the_page_says_when(app: Flask, catalogue: None, clock: Clock) -> None:
    clock.now = datetime(2025, 12, 31, 12, tzinfo=UTC)
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "first puzzle arrives" in response.get_data(as_text=True)


def test_no_eligible_movie_gives_a_friendly_503(app: Flask) -> None:
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "No puzzle today" in response.get_data(as_text=True)


def test_midnight_race_creates_exactly_one_puzzle(app: Flask, catalogue: None) -> None:
    secret = app.config["SECRET_KEY"].encode()
    day = date(2026, 3, 10)

    def schedule() -> int:
        with app.app_context():
            puzzle = puzzles.ensure_puzzle(
                day, LAUNCH, puzzles.PickRules(5), secret, datetime.now(UTC)
            )
            assert puzzle is not None
            return puzzle.movie_id

    results = run_together(8, schedule)
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Puzzle)) == 1


def test_racing_moves_store_one_guess_per_position(app: Flask, answer: str) -> None:
    with app.app_context():
        puzzle_id = db.session.scalar(db.select(Puzzle.id))

    def skip() -> bool:
        with app.app_context():
            puzzle = db.session.get(Puzzle, puzzle_id)
            assert puzzle is not None
            now = datetime.now(UTC)
            return moves.make_move("racer" * 4 + "xy", puzzle, "skip", "", 0, 6, now).recorded

    results = run_together(8, skip)
    assert results.count(True) == 1, results
    assert results.count(False) == 7
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Guess)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(Play)) == 1
