"""The share text: a parseable headline, one square per attempt, a link; never the title."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from guessthatmovie.game import countdown, share

HEADLINE = re.compile(r"^Guess That Movie #(\d+) ([1-9]\d*|X)/(\d+)( \(archive\))?$")


@pytest.mark.parametrize(
    ("outcomes", "score", "squares"),
    [
        (["right"], "1/6", "🟩⬜⬜⬜⬜⬜"),
        (["wrong", "skipped", "right"], "3/6", "🟥⬛🟩⬜⬜⬜"),
        (["skipped"] * 5 + ["right"], "6/6", "⬛⬛⬛⬛⬛🟩"),
        (["wrong", "wrong", "skipped", "wrong", "skipped", "wrong"], "X/6", "🟥🟥⬛🟥⬛🟥"),
    ],
)
def test_share_text_lines(outcomes: list[str], score: str, squares: str) -> None:
    text = share.share_text(69, outcomes, 6, "https://example.test/")
    headline, grid, url = text.split("\n")
    assert headline == f"Guess That Movie #69 {score}"
    assert HEADLINE.match(headline)
    assert grid == squares
    assert url == "https://example.test/"


def test_every_outcome_has_its_own_symbol_and_word() -> None:
    assert len(set(share.SQUARES.values())) == len(share.SQUARES) == 4
    assert len(set(share.WORDS.values())) == 4
    squares = share.grid(["wrong", "skipped", "right"], 5)
    assert [s.kind for s in squares] == ["wrong", "skipped", "right", "unused", "unused"]
    assert [s.word for s in squares] == ["wrong", "skipped", "right", "not needed", "not needed"]
    assert [s.mark for s in squares] == ["✗", "–", "✓", "", ""]


def test_an_archive_game_says_so_after_the_score() -> None:
    headline = share.headline(12, ["right"], 6, archive=True)
    assert headline == "Guess That Movie #12 1/6 (archive)"
    match = HEADLINE.match(headline)
    assert match is not None and match.group(4)


def test_other_attempt_counts() -> None:
    assert share.share_text(3, ["wrong", "wrong"], 2, "u") == "Guess That Movie #3 X/2\n🟥🟥\nu"


@pytest.mark.parametrize(
    ("now", "zone", "left", "text"),
    [
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), "UTC", 43200, "12:00:00"),
        (datetime(2026, 3, 10, 23, 59, 30, tzinfo=UTC), "UTC", 30, "0:00:30"),
        (datetime(2026, 3, 10, 0, 0, tzinfo=UTC), "UTC", 86400, "24:00:00"),
        # 08:00 in New York (daylight time began on 8 March): sixteen hours to go.
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), "America/New_York", 57600, "16:00:00"),
        # Midnight in New York on the day clocks go forward: that day has 23 hours.
        (datetime(2026, 3, 8, 5, 0, tzinfo=UTC), "America/New_York", 82800, "23:00:00"),
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), "Asia/Kolkata", 23400, "6:30:00"),
    ],
)
def test_countdown_to_the_next_puzzle(now: datetime, zone: str, left: int, text: str) -> None:
    assert countdown.seconds_left(now, zone) == left
    assert countdown.clock_text(left) == text


def test_countdown_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        countdown.next_puzzle_at(datetime(2026, 3, 10, 12, 0), "UTC")
