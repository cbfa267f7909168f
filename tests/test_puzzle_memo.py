"""Each worker keeps the puzzles it serves a few seconds: no query, no cache read, then fresh."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from guessthatmovie import cache
from guessthatmovie.store import day_puzzle, puzzles
from tests.conftest import LAUNCH, Clock
from tests.test_runtime import statements_during

KEY = f"puzzle:v{day_puzzle.SCHEMA}"  # the cache keys carry the shape of the cached values


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
        # Plain values: its movie and clues read without a session.
        assert [s.position for s in first.movie.snippets] == sorted(
            s.position for s in first.movie.snippets
        )
        ticking.now += puzzles.MEMO_SECONDS
        assert puzzles.puzzle_on(day) is not first  # expired: read again (cache, else database)
        assert reads == [f"{KEY}:day:{day.isoformat()}"]


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
            memo[f"{KEY}:day:{date(2020, 1, 1).toordinal() + n}"] = (ticking.now - 1, stale)
        memo[f"{KEY}:number:999999"] = (ticking.now + 5, stale)  # still young: stays
        puzzles.puzzle_numbered(stale.number)
        assert set(memo) == {
            f"{KEY}:day:{clock.now.date().isoformat()}",
            f"{KEY}:number:999999",
            f"{KEY}:number:{stale.number}",
        }


def test_the_shared_cache_holds_plain_values_of_one_shape(
    app: Flask, answer: str, clock: Clock, ticking: Ticking
) -> None:
    """No ORM object in the cache: builtins under a versioned key; another shape is a miss."""
    day = clock.now.date()
    key = f"{KEY}:day:{day.isoformat()}"
    with app.app_context():
        first = puzzles.puzzle_on(day)
        assert first is not None
        stored = cache.get(key)
        assert isinstance(stored, dict) and stored["schema"] == day_puzzle.SCHEMA
        assert _builtins_only(stored), stored
        assert day_puzzle.from_plain(stored) == first
        # An entry of an older shape under the same key (a deploy in between) is not read.
        cache.put(key, {**stored, "schema": day_puzzle.SCHEMA - 1, "number": -1})
        ticking.now += puzzles.MEMO_SECONDS
        again = puzzles.puzzle_on(day)
        assert again is not None and again.number == first.number


def test_clues_are_blanked_once_when_the_puzzle_is_read(
    app: Flask, answer: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept puzzle carries each clue's blanked text: a page view redacts nothing."""
    from guessthatmovie.game import redact

    with app.app_context():
        puzzle = puzzles.puzzle_on(clock.now.date())
        assert puzzle is not None
        named = [s for s in puzzle.movie.snippets if answer.lower() in s.text.lower()]
        assert named, "the sample's answer is named in at least one of its reviews"
        for snippet in puzzle.movie.snippets:
            assert answer.lower() not in snippet.shown.lower()
            assert snippet.shown == redact.redact_title(
                snippet.text, answer, puzzle.movie.alt_titles
            )
    calls: list[str] = []
    monkeypatch.setattr(redact, "redact_title", lambda *args: calls.append(args[0]) or "")
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert calls == []


def _builtins_only(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _builtins_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_builtins_only(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)
