"""The leagues' rules on their own: names, invite tokens, the keeper, the board and standings."""

from __future__ import annotations

import random
from datetime import date

import pytest

from guessthatmovie.game import leagues
from guessthatmovie.game.leagues import Game, Member, NameRefused, Record, Tally
from guessthatmovie.game.rules import Outcome, Status
from guessthatmovie.game.streaks import Result, player_stats

KEY = b"k" * 32
W, S, R = Outcome.WRONG, Outcome.SKIPPED, Outcome.RIGHT


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Ann", "Ann"),
        ("  Mary   Jane ", "Mary Jane"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # a combining diaeresis, composed (NFC)
        ("李小龍", "李小龍"),
        ("O'Brien-Smith", "O'Brien-Smith"),
        ("Dr. J (2nd)", "Dr. J (2nd)"),
        ("R2-D2 & C-3PO", "R2-D2 & C-3PO"),
        ("x" * 24, "x" * 24),
    ],
)
def test_display_names_that_are_kept(typed: str, kept: str) -> None:
    assert leagues.display_name(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "x" * 25,
        "Ann 🎬",
        "<script>",
        "Ann\u200b",
        "Ann\u202e",
        "tab\there?" + "\x00",
        "--",
        "a/b",
    ],
)
def test_display_names_that_are_refused(typed: str) -> None:
    with pytest.raises(NameRefused):
        leagues.display_name(typed)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Friday Film Club 🎬", "Friday Film Club 🎬"),
        ("  The   Club ", "The Club"),
        ("y" * 40, "y" * 40),
    ],
)
def test_league_names_that_are_kept(typed: str, kept: str) -> None:
    assert leagues.league_name(typed) == kept


@pytest.mark.parametrize("typed", ["", "  ", "y" * 41, "Club\u200b", "Club\u202e", "Club\x07"])
def test_league_names_that_are_refused(typed: str) -> None:
    with pytest.raises(NameRefused):
        leagues.league_name(typed)


@pytest.mark.parametrize(
    ("one", "other", "clash"),
    [
        ("Ann", "ANN", True),
        ("Straße", "STRASSE", True),
        ("Ｂｏｂ", "bob", True),
        ("Ann", "Anne", False),
    ],
)
def test_names_clash_in_any_case_or_width(one: str, other: str, clash: bool) -> None:
    assert (leagues.name_key(one) == leagues.name_key(other)) is clash


def test_a_token_is_its_selector_and_80_bits_of_hmac() -> None:
    selector = leagues.new_selector()
    token = leagues.invite_token(selector, KEY)
    assert len(token) == 24 and token.startswith(selector)
    assert leagues.split_token(token.upper()) == (selector, token[8:])
    assert leagues.validates(selector, token[8:], KEY)
    assert not leagues.validates(selector, token[8:], b"another key")
    other = leagues.invite_token(leagues.new_selector(), KEY)
    assert not leagues.validates(selector, other[8:], KEY)


@pytest.mark.parametrize("token", ["", "abc", "0" * 23, "0" * 25, "o" * 24, "i" * 24, "-" * 24])
def test_malformed_tokens_are_none(token: str) -> None:
    assert leagues.split_token(token) is None


def test_selectors_are_random() -> None:
    assert len({leagues.new_selector() for _ in range(200)}) == 200


def test_the_keeper_is_the_first_to_join() -> None:
    members = [Member(7, "Cleo"), Member(3, "Ann"), Member(5, "Bob")]
    assert leagues.keeper(members) == Member(3, "Ann")
    assert leagues.keeper([]) is None


def test_the_days_board_orders_winners_losers_playing_then_not_yet() -> None:
    members = [
        Member(1, "Ann"),
        Member(2, "bob"),
        Member(3, "Cleo"),
        Member(4, "Dan"),
        Member(5, "Eve"),
    ]
    games = {
        1: Game(Status.LOST, (S,) * 6),
        2: Game(Status.WON, (W, W, R)),
        3: Game(Status.WON, (R,)),
        4: Game(Status.PLAYING, (W,)),
    }
    board = leagues.day_board(members, games, attempts=6)
    assert [line.member.name for line in board] == ["Cleo", "bob", "Ann", "Dan", "Eve"]
    cells = [line.cells[0] for line in board]
    assert [c.state for c in cells] == ["won", "won", "lost", "playing", "none"]
    assert [s.kind for s in cells[1].squares] == ["wrong", "wrong", "right"] + ["unused"] * 3
    assert cells[1].score == "3/6" and cells[2].score == "X/6"
    assert cells[3].squares == () and not cells[3].finished  # a game in progress shows nothing


def test_the_recent_table_has_a_cell_per_day() -> None:
    ann = Member(1, "Ann")
    games = {
        (1, 10): Game(Status.WON, (R,)),
        (1, 11): Game(Status.PLAYING, (W,)),
        (1, 12): Game(Status.PLAYING, ()),
    }
    (line,) = leagues.recent_table([ann], games, [9, 10, 11, 12], attempts=6)
    assert [c.state for c in line.cells] == ["none", "won", "unfinished", "playing"]


def test_recent_numbers_are_the_last_seven_days() -> None:
    assert leagues.recent_numbers(20) == list(range(14, 21))
    assert leagues.recent_numbers(3) == [1, 2, 3]


def test_standings_rank_by_wins_then_fewer_attempts() -> None:
    ann, bob, cleo = Member(1, "Ann"), Member(2, "Bob"), Member(3, "Cleo")
    tallies = {
        1: Tally(all_time=Record(3, 2, 6), week=Record(1, 1, 2), last_win=11, last_loss=12),
        2: Tally(all_time=Record(2, 2, 3), week=Record(1, 1, 2), last_win=11, run=2),
    }
    lines = leagues.standings([ann, bob, cleo], tallies, week=False, today_number=12)
    assert [(s.member.name, s.played, s.won, s.mean_text, s.streak) for s in lines] == [
        ("Bob", 2, 2, "1.5", 2),
        ("Ann", 3, 2, "3.0", 0),
        ("Cleo", 0, 0, "–", 0),  # no game: a line all the same
    ]
    week = leagues.standings([ann, bob], tallies, week=True, today_number=12)
    assert [(s.member.name, s.won, s.mean_text) for s in week] == [
        ("Ann", 1, "2.0"),
        ("Bob", 1, "2.0"),
    ]


def tally_of(results: list[Result]) -> Tally:
    """Sum results as the store's statement does: the latest win, loss and run of wins."""
    wins = sorted(r.number for r in results if r.won)
    run = 0
    for number in reversed(wins):
        if run and number != wins[-1] - run:
            break
        run += 1
    return Tally(
        last_win=max(wins, default=0),
        last_loss=max((r.number for r in results if not r.won), default=0),
        run=run,
    )


@pytest.mark.parametrize("seed", range(200))
def test_a_tallys_streak_is_the_players_own(seed: int) -> None:
    """The streak from a tally (latest win, latest loss, the run ending at that win) equals the
    one the player's statistics page computes from every game, on random histories."""
    rng = random.Random(seed)
    today = rng.randint(3, 40)
    results = [
        Result(number, rng.random() < 0.7, rng.randint(1, 6))
        for number in range(1, today + 1)
        if rng.random() < 0.75
    ]
    expected = player_stats(results, today, 6).current_streak
    assert tally_of(results).streak(today) == expected


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2026, 3, 15), date(2026, 3, 9)),
        (date(2026, 3, 10), date(2026, 3, 9)),
    ],
)
def test_weeks_start_on_monday(day: date, monday: date) -> None:
    assert leagues.week_start(day) == monday
