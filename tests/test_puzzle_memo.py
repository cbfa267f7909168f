"""Each worker keeps the puzzles it serves a few seconds: no query, no cache read, then fresh."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from guessthatmovie import cache
from guessthatmovie.store import puzzles
from tests.conftest import LAUNCH, Clock
from tests.test_runtime import statements_during


class Ticking:
    """A stand-in for time.monotonic that the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticking(monkeypatch: pytest.MonkeyPatch) -> Ticking:
    clock = Ticking()
    monkeypatch.setattr(puzzles.time, "monotonic", clock)
    return clock


def test_a_kept_puzzle_costs_no_query_and_no_cache_read(
    app: Flask, answer: str, clock: Clock, ticking: Ticking, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = clock.now.date()
    with app.app_context():
        first = puzzles.puzzle_on(day)
        assert first is not None and first.movie.title == answer
        reads: list[str] = []
        monkeypatch.setattr(cache, "get", lambda key: reads.append(key))
        again: list[object] = []
        statements = statements_during(app, lambda: again.append(puzzles.puzzle_on(day)))
        assert again == [first] and statements == [] and reads == []
        # Loaded and detached: its movie and clues read without a session.
        assert [s.position for s in first.movie.snippets] == sorted(
            s.position for s in first.movie.snippets
        )
        ticking.now += puzzles.MEMO_SECONDS
        assert puzzles.puzzle_on(day) is not first  # expired: read again (cache, else database)
        assert reads == [f"puzzle:day:{day.isoformat()}"]


def test_a_change_made_here_is_seen_at_once(
    app: Flask, answer: str, clock: Clock, ticking: Ticking
) -> None:
    from guessthatmovie.game import titles
    from guessthatmovie.store import catalogue

    day = clock.now.date()
    with app.app_context():
        kept = puzzles.puzzle_on(day)
        assert kept is not None and kept.movie.title == answer
        other = catalogue.movies_matching(titles.parse_guess("Glass Meridian"))[0]
        puzzles.set_puzzle(day, other, LAUNCH, clock.now)
        changed = puzzles.puzzle_on(day)
        assert changed is not None and changed.movie.title == "Glass Meridian"


def test_old_entries_go_once_the_memo_is_full(
    app: Flask, answer: str, clock: Clock, ticking: Ticking
) -> None:
    with app.app_context():
        memo = app.extensions["guessthatmovie.puzzles"] = {}
        stale = puzzles.puzzle_on(clock.now.date())
        assert stale is not None
        for n in range(puzzles.MEMO_SIZE):
            memo[f"puzzle:day:{date(2020, 1, 1).toordinal() + n}"] = (ticking.now - 1, stale)
        memo["puzzle:number:999999"] = (ticking.now + 5, stale)  # still young: stays
        puzzles.puzzle_numbered(stale.number)
        assert set(memo) == {
            f"puzzle:day:{clock.now.date().isoformat()}",
            "puzzle:number:999999",
            f"puzzle:number:{stale.number}",
        }
