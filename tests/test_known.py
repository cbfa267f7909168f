"""Known-ness and the pick's variety rules, as pure functions of plain records (issue 24)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from guessthatmovie.game import known, schedule
from guessthatmovie.game.schedule import Candidate

SECRET = b"secret"
MONDAY = date(2026, 3, 9)


@pytest.mark.parametrize(
    ("audience", "critics", "takings", "expected"),
    [
        (1_333, 60, None, 1_333),  # an audience count wins over every stand-in
        (None, 60, None, 60 * known.RATINGS_PER_CRITIC),
        (None, 10, 40_000_000, 40_000_000 // known.DOLLARS_PER_RATING),  # the larger stand-in
        (None, None, None, None),  # a hand-made film: no count at all
    ],
)
def test_estimated_ratings(
    audience: int | None, critics: int | None, takings: int | None, expected: int | None
) -> None:
    assert known.estimated_ratings(audience, critics, takings) == expected


def test_percentiles_rank_films_within_the_catalogue() -> None:
    scores = known.percentiles([10, 1_000, 1_000, 500_000])
    assert scores[0] < scores[1] == scores[2] < scores[3] == 100


@pytest.mark.parametrize(
    ("text", "dollars"),
    [("$12.3M", 12_300_000), ("$850.2K", 850_200), ("1,234", 1_234), ("$1.1B", 1_100_000_000),
     ("", None), ("n/a", None)],
)  # fmt: skip
def test_box_office(text: str, dollars: int | None) -> None:
    assert known.box_office(text) == dollars


def test_director_names_are_folded_and_split() -> None:
    assert known.director_names(" Luc  Besson, Ana Lindqvist ,") == ("luc besson", "ana lindqvist")


def film(movie_id: int, title: str, year: int = 2000, **facts: object) -> Candidate:
    return Candidate(movie_id=movie_id, title=title, year=year, **facts)  # type: ignore[arg-type]


def test_a_franchise_waits_sixty_days_and_a_director_thirty() -> None:
    sequel = film(2, "Commander Atlas 2", relatives=frozenset({"Commander Atlas"}))
    by_her = film(3, "Glass Meridian", directors=("ana lindqvist",))
    for apart, rule in (
        (schedule.FRANCHISE_DAYS - 1, "franchise"),
        (schedule.FRANCHISE_DAYS, None),
    ):
        calendar = {MONDAY - timedelta(days=apart): film(1, "Commander Atlas")}
        assert schedule.refusal(sequel, schedule.nearby(MONDAY, calendar)) == rule
    for apart, rule in ((schedule.DIRECTOR_DAYS - 1, "director"), (schedule.DIRECTOR_DAYS, None)):
        calendar = {
            MONDAY + timedelta(days=apart): film(4, "Salt Road", directors=("ana lindqvist",))
        }
        assert schedule.refusal(by_her, schedule.nearby(MONDAY, calendar)) == rule


def test_no_genre_three_days_running_whichever_side_the_day_is_on() -> None:
    drama = film(5, "Paper Moons", genres=("Drama", "Comedy"))
    one, two = film(6, "A", genres=("Drama",)), film(7, "B", genres=("Drama", "Horror"))
    day = timedelta(days=1)
    for calendar in (
        {MONDAY - 2 * day: one, MONDAY - day: two},
        {MONDAY - day: one, MONDAY + day: two},
        {MONDAY + day: one, MONDAY + 2 * day: two},
    ):
        assert schedule.refusal(drama, schedule.nearby(MONDAY, calendar)) == "genre"
    gap = {MONDAY - 3 * day: one, MONDAY - day: two}
    assert schedule.refusal(drama, schedule.nearby(MONDAY, gap)) is None


def test_choose_is_deterministic_mixes_decades_and_relaxes_only_when_asked() -> None:
    calendar = {MONDAY - timedelta(days=1): film(1, "Yesterday", 2005, genres=("Drama",))}
    pool = [film(10 + n, f"Film {n}", 2000 + n, genres=("Comedy",)) for n in range(9)]
    pool.append(film(30, "Older", 1962, genres=("Comedy",)))
    picked = schedule.choose(MONDAY, pool, calendar, SECRET)
    assert picked.movie_id == 30  # the only film of another decade than the day before's
    assert schedule.choose(MONDAY, pool, calendar, SECRET) == picked
    many = [
        schedule.choose(MONDAY + timedelta(days=n), pool, {}, SECRET).movie_id for n in range(20)
    ]
    assert len(set(many)) > 3
    assert many != [schedule.choose(MONDAY + timedelta(days=n), pool, {}, b"other").movie_id
                    for n in range(20)]  # fmt: skip
    blocked = {MONDAY - timedelta(days=1): film(1, "X", directors=("x",)),
               MONDAY - timedelta(days=2): film(2, "Y", genres=("Comedy",))}  # fmt: skip
    only = [film(3, "Z", directors=("x",), genres=("Comedy",))]
    assert schedule.choose(MONDAY, only, blocked, SECRET).movie_id is None
    relaxed = schedule.choose(MONDAY, only, blocked, SECRET, relax=True)
    assert (relaxed.movie_id, relaxed.relaxed) == (3, "director, genre")


def test_the_weekly_curve_puts_better_known_films_early_in_the_week() -> None:
    pool = [film(n, f"Film {n}", 1900 + 10 * n, known_score=n * 10) for n in range(1, 10)]
    early = {
        schedule.choose(MONDAY, pool, {}, s, curve=True).movie_id for s in (b"a", b"b", b"c", b"d")
    }
    assert min(early) >= 5  # Monday: the better-known half only
    sunday = MONDAY + timedelta(days=6)
    late = {schedule.choose(sunday, pool, {}, bytes([n]), curve=True).movie_id for n in range(40)}
    assert min(late) < 5
