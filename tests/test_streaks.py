"""Streaks and statistics from finished games: numbers, not dates; archive games apart."""

from __future__ import annotations

from datetime import UTC, date, datetime

from guessthatmovie.game import schedule, streaks
from guessthatmovie.game.streaks import Result

LAUNCH = date(2026, 1, 1)


def won(number: int, used: int = 3, archive: bool = False) -> Result:
    return Result(number=number, won=True, attempts_used=used, archive=archive)


def lost(number: int, archive: bool = False) -> Result:
    return Result(number=number, won=False, attempts_used=6, archive=archive)


def test_no_games() -> None:
    stats = streaks.player_stats([], today_number=10, attempts=6)
    assert (stats.played, stats.wins, stats.win_percent) == (0, 0, 0)
    assert (stats.current_streak, stats.max_streak, stats.ended_streak) == (0, 0, 0)
    assert stats.distribution == (0,) * 6


def test_consecutive_wins_make_a_streak_and_a_distribution() -> None:
    stats = streaks.player_stats([won(5, 1), won(6, 3), won(7, 3)], today_number=7, attempts=6)
    assert (stats.played, stats.wins, stats.win_percent) == (3, 3, 100)
    assert (stats.current_streak, stats.max_streak) == (3, 3)
    assert stats.distribution == (1, 0, 2, 0, 0, 0)


def test_the_streak_stays_alive_until_today_is_played() -> None:
    results = [won(5), won(6)]
    assert streaks.player_stats(results, today_number=7, attempts=6).current_streak == 2
    # A whole day without playing ends it; the maximum remembers it.
    stats = streaks.player_stats(results, today_number=8, attempts=6)
    assert (stats.current_streak, stats.max_streak) == (0, 2)


def test_a_missed_day_breaks_the_streak() -> None:
    stats = streaks.player_stats([won(5), won(6), won(8)], today_number=8, attempts=6)
    assert (stats.current_streak, stats.max_streak) == (1, 2)
    assert stats.ended_streak == 0  # a gap is not a loss


def test_after_a_loss_the_player_still_sees_the_streak_it_ended() -> None:
    stats = streaks.player_stats([won(4), won(5), won(6), lost(7)], today_number=7, attempts=6)
    assert (stats.current_streak, stats.max_streak, stats.ended_streak) == (0, 3, 3)
    assert (stats.played, stats.wins, stats.losses, stats.win_percent) == (4, 3, 1, 75)
    # The next win starts again from one, and the ended streak is no longer news.
    later = streaks.player_stats(
        [won(4), won(5), won(6), lost(7), won(8)], today_number=8, attempts=6
    )
    assert (later.current_streak, later.max_streak, later.ended_streak) == (1, 3, 0)


def test_a_loss_after_a_gap_ended_no_streak() -> None:
    stats = streaks.player_stats([won(4), lost(6)], today_number=6, attempts=6)
    assert (stats.current_streak, stats.ended_streak) == (0, 0)


def test_archive_games_count_as_played_but_never_in_streaks() -> None:
    # #7 was missed on its day and played later from the archive: it does not fill the gap.
    results = [won(5, 2), won(6, 2), won(7, 4, archive=True), won(8, 1)]
    stats = streaks.player_stats(results, today_number=8, attempts=6)
    assert (stats.played, stats.wins) == (4, 4)
    assert stats.distribution == (1, 2, 0, 1, 0, 0)
    assert (stats.current_streak, stats.max_streak) == (1, 2)


def test_an_archive_loss_never_breaks_a_streak() -> None:
    results = [lost(2, archive=True), won(5), won(6), won(7)]
    stats = streaks.player_stats(results, today_number=7, attempts=6)
    assert (stats.current_streak, stats.max_streak, stats.ended_streak) == (3, 3, 0)
    assert (stats.played, stats.win_percent) == (4, 75)


def test_only_archive_games_make_no_streak() -> None:
    stats = streaks.player_stats([won(1, archive=True), won(2, archive=True)], 3, 6)
    assert (stats.current_streak, stats.max_streak, stats.played) == (0, 0, 2)


def test_a_timezone_never_breaks_a_streak_numbers_do() -> None:
    """Puzzle numbers follow the game's timezone, so the same instant is fair everywhere."""
    results = [won(68), won(69)]  # 9 and 10 March
    late_evening = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    for zone in ("UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"):
        today = schedule.puzzle_number(schedule.puzzle_date(late_evening, zone), LAUNCH)
        # Tokyo and Kiritimati are already on #70: the streak lives until #70 is over.
        assert today in (69, 70)
        assert streaks.player_stats(results, today, 6).current_streak == 2
    two_days_on = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
    new_york = schedule.puzzle_number(schedule.puzzle_date(two_days_on, "America/New_York"), LAUNCH)
    tokyo = schedule.puzzle_number(schedule.puzzle_date(two_days_on, "Asia/Tokyo"), LAUNCH)
    assert (new_york, tokyo) == (70, 71)
    assert streaks.player_stats(results, new_york, 6).current_streak == 2
    assert streaks.player_stats(results, tokyo, 6).current_streak == 0


def test_the_archive_rule_is_the_start_day_after_the_puzzle_day() -> None:
    day = date(2026, 3, 10)
    assert not streaks.is_archive_play(day, day)
    assert streaks.is_archive_play(day, date(2026, 3, 11))


def test_bars_scale_to_the_longest_in_five_percent_steps() -> None:
    bars = streaks.bars((0, 1, 4, 2, 0, 0), losses=3, current=3)
    assert [b.label for b in bars] == ["1", "2", "3", "4", "5", "6", "X"]
    assert [b.width for b in bars] == [0, 25, 100, 50, 0, 0, 75]
    assert [b.current for b in bars] == [False, False, True, False, False, False, False]
    assert [b.width for b in streaks.bars((1, 100))] == [5, 100]  # a count is never invisible
    assert [b.width for b in streaks.bars((0, 0))] == [0, 0]


def test_figures_from_counters() -> None:
    figures = streaks.figures({0: 1, 1: 2, 3: 1}, attempts=6)
    assert (figures.finished, figures.solved, figures.lost) == (4, 3, 1)
    assert figures.distribution == (2, 0, 1, 0, 0, 0)
    assert figures.solved_percent == 75
    assert streaks.figures({}, 6).solved_percent == 0
