"""The transfer core alone: code format and parsing, hashing, expiry, and the merge rule."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from guessthatmovie.game import streaks, transfer
from guessthatmovie.game.transfer import PlayRecord


def test_alphabet_is_crockford_base32_without_look_alikes() -> None:
    assert len(transfer.ALPHABET) == len(set(transfer.ALPHABET)) == 32
    assert not set("ILOU") & set(transfer.ALPHABET)


def test_new_code_draws_each_character_from_the_alphabet() -> None:
    draws = itertools.cycle([0, 31, 7, 20])
    code = transfer.new_code(lambda n: next(draws) % n)
    assert code == "0Z7M0Z7M0Z7M"
    assert len({transfer.new_code() for _ in range(200)}) == 200


def test_a_code_carries_at_least_60_bits() -> None:
    assert len(transfer.ALPHABET) ** transfer.LENGTH >= 2**60


def test_format_groups_fours() -> None:
    assert transfer.format_code("K7QXM2PD4HJN") == "K7QX-M2PD-4HJN"
    assert transfer.format_code("K7QXM2PD") == "K7QX-M2PD"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7QX-M2PD-4HJN", "K7QXM2PD4HJN"),
        ("k7qx m2pd 4hjn", "K7QXM2PD4HJN"),
        ("K7QXM2PD4HJN", "K7QXM2PD4HJN"),
        (" K7QX—M2PD—4HJN ", "K7QXM2PD4HJN"),  # em dashes
        ("K7QX-M2PD-4HJ", None),  # 11: neither length
        ("K7QX-M2PD-4HJNN", None),  # 13
        ("K7QX-M2PD", "K7QXM2PD"),  # the old length, read while such codes live
        ("k7qx-m2pd", "K7QXM2PD"),
        ("K7QXM2PD", "K7QXM2PD"),
        ("  k7qx m2pd ", "K7QXM2PD"),
        ("K7 QX – M2 PD", "K7QXM2PD"),  # an en dash, as phones put one in
        ("k7qx\tm2pd", "K7QXM2PD"),
        ("O1IL-oilo", "01110110"),  # look-alikes read as digits
        ("", None),
        ("K7QX-M2P", None),  # too short
        ("K7QX-M2PDD", None),  # too long
        ("K7QX-M2PU", None),  # U is not in the alphabet
        ("K7QX_M2PD", None),
        ("K7QX-M2P!", None),
        ("Ｋ7QX-M2PD", None),  # a full-width letter is not an ASCII one
        ("K" * 500, None),
    ],
)
def test_parse_accepts_any_case_dashes_and_spaces(typed: str, code: str | None) -> None:
    assert transfer.parse_code(typed) == code


def test_parse_reads_back_what_format_shows() -> None:
    for _ in range(50):
        code = transfer.new_code()
        assert transfer.parse_code(transfer.format_code(code)) == code
        assert transfer.parse_code(transfer.format_code(code).lower()) == code


def test_hash_is_keyed_and_hides_the_code() -> None:
    digest = transfer.code_hash("K7QXM2PD", b"secret one")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == transfer.code_hash("K7QXM2PD", b"secret one")
    assert digest != transfer.code_hash("K7QXM2PD", b"secret two")
    assert digest != transfer.code_hash("K7QXM2PE", b"secret one")
    assert "K7QXM2PD" not in digest.upper()


def test_expiry_with_an_injected_clock() -> None:
    made = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    expiry = transfer.expires_at(made)
    assert expiry - made == timedelta(minutes=15)
    assert transfer.is_redeemable(expiry, None, made)
    assert transfer.is_redeemable(expiry, None, made + timedelta(minutes=14, seconds=59))
    assert not transfer.is_redeemable(expiry, None, made + timedelta(minutes=15))
    assert not transfer.is_redeemable(expiry, made + timedelta(minutes=1), made)  # used once


def test_clock_time_is_shown_in_the_game_timezone() -> None:
    moment = datetime(2026, 3, 10, 23, 50, tzinfo=UTC)
    assert transfer.clock_time(moment, "UTC") == "23:50"
    assert transfer.clock_time(moment, "Europe/Paris") == "00:50"


def test_merge_moves_plays_of_puzzles_the_original_never_played() -> None:
    original = [PlayRecord(1, puzzle_id=10), PlayRecord(2, puzzle_id=11)]
    incoming = [PlayRecord(7, puzzle_id=9), PlayRecord(8, puzzle_id=12)]
    assert transfer.plan_merge(original, incoming) == transfer.MergePlan(move=(7, 8), drop=())


def test_merge_keeps_the_originals_play_of_a_puzzle_both_played() -> None:
    original = [PlayRecord(1, puzzle_id=10), PlayRecord(2, puzzle_id=11)]
    incoming = [PlayRecord(7, puzzle_id=11), PlayRecord(8, puzzle_id=12), PlayRecord(9, 10)]
    assert transfer.plan_merge(original, incoming) == transfer.MergePlan(move=(8,), drop=(7, 9))


def test_merge_with_nothing_on_either_side() -> None:
    assert transfer.plan_merge([], []) == transfer.MergePlan(move=(), drop=())
    assert transfer.plan_merge([], [PlayRecord(3, 4)]) == transfer.MergePlan(move=(3,), drop=())
    assert transfer.plan_merge([PlayRecord(3, 4)], []) == transfer.MergePlan(move=(), drop=())


def result(number: int, won: bool = True, used: int = 2, archive: bool = False) -> streaks.Result:
    return streaks.Result(number=number, won=won, attempts_used=used, archive=archive)


def merged_stats(original: list[streaks.Result], incoming: list[streaks.Result]) -> streaks.Stats:
    merged = transfer.merge_by_puzzle(original, incoming, lambda r: r.number)
    return streaks.player_stats(sorted(merged, key=lambda r: r.number), 20, 6)


def test_streaks_after_a_merge_join_the_two_devices_days() -> None:
    """The phone won #17 and #18, the laptop #19 and #20 (today): one streak of four."""
    stats = merged_stats([result(17), result(18)], [result(19), result(20, used=4)])
    assert (stats.played, stats.wins, stats.current_streak, stats.max_streak) == (4, 4, 4, 4)
    assert stats.distribution == (0, 3, 0, 1, 0, 0)


def test_streaks_after_a_merge_keep_the_originals_result_of_a_shared_puzzle() -> None:
    """Both played #19: the original lost it, so the device's win there does not save a streak."""
    stats = merged_stats([result(17), result(18), result(19, won=False, used=6)], [result(19)])
    assert (stats.played, stats.wins, stats.current_streak, stats.ended_streak) == (3, 2, 0, 2)
    stats = merged_stats([result(19, won=False, used=6)], [result(17), result(18), result(20)])
    assert (stats.played, stats.current_streak, stats.max_streak) == (4, 1, 2)


def test_archive_plays_moved_over_still_never_count_in_streaks() -> None:
    stats = merged_stats([result(19), result(20)], [result(3, archive=True)])
    assert (stats.played, stats.current_streak, stats.max_streak) == (3, 2, 2)


def test_a_seed_stands_for_one_code_under_one_key() -> None:
    """The code a seed stands for: 12 characters of the alphabet, unknowable without the key."""
    code = transfer.code_of_seed("seed-one", b"key")
    assert code == transfer.code_of_seed("seed-one", b"key")
    assert len(code) == transfer.LENGTH and set(code) <= set(transfer.ALPHABET)
    assert transfer.parse_code(transfer.format_code(code)) == code
    assert code != transfer.code_of_seed("seed-one", b"another key")
    assert code != transfer.code_of_seed("seed-two", b"key")
    seeds = {transfer.new_seed() for _ in range(200)}
    assert len({transfer.code_of_seed(seed, b"key") for seed in seeds}) == 200
