"""Choosing clues from critics' reviews: cleaning, usability, the mix, the order, idempotence."""

from __future__ import annotations

import pytest

from guessthatmovie.game import reveal
from guessthatmovie.game.clues import (
    Candidate,
    clean_review,
    review_key,
    select_clues,
    unusable_reason,
)
from guessthatmovie.game.leaks import FilmNames


def candidate(text: str, fresh: bool = True, top: bool = False, critic: str = "A") -> Candidate:
    return Candidate(text, critic, "Paper", fresh, top, review_key(critic, text))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Sharp&#44; funny and kind.", "Sharp, funny and kind."),
        ("It won\u2019t let go &#8217;til the end.", "It won\u2019t let go \u2019til the end."),
        ("Double &amp;#44; encoded", "Double , encoded"),
        ("  Line one\r\nline two  ", "Line one line two"),
        ("<i>Italic</i> praise", "Italic praise"),
        ("", ""),
    ],
)
def test_clean_review(raw: str, clean: str) -> None:
    assert clean_review(raw) == clean


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("3/5", "bare score"),
        ("3.5 out of 4", "bare score"),
        ("B+", "bare score"),
        ("****", "bare score"),
        ("4 stars", "bare score"),
        ("Lovely stuff.", "too short"),
        ("x" * 301, "too long"),
        ("A patient, handsome piece of work that trusts its audience.", None),
        ("x" * 300, None),
    ],
)
def test_unusable_reason(text: str, reason: str | None) -> None:
    assert unusable_reason(text) == reason


def reviews(count: int, fresh: bool, top: bool = False, tag: str = "") -> list[Candidate]:
    return [
        candidate(
            f"Review {tag}{i} says the film is {'good' if fresh else 'poor'} in its own way.",
            fresh,
            top,
            critic=f"{tag}{i}",
        )
        for i in range(count)
    ]


def test_mix_of_fresh_and_rotten_when_both_exist() -> None:
    pool = reviews(20, fresh=True) + reviews(3, fresh=False, tag="r")
    chosen = select_clues(pool, FilmNames("Some Film"), keep=6).clues
    assert len(chosen) == 6
    assert sum(not c.fresh for c in chosen) == 2  # fresh capped at two thirds of six
    only_fresh = select_clues(reviews(20, fresh=True), FilmNames("Some Film"), keep=6).clues
    assert len(only_fresh) == 6  # the cap never leaves places empty


def test_top_critics_are_preferred() -> None:
    pool = reviews(10, fresh=True) + reviews(4, fresh=True, top=True, tag="t")
    chosen = select_clues(pool, FilmNames("Some Film"), keep=4).clues
    assert all(c.top_critic for c in chosen)


def test_duplicates_and_title_only_reviews_are_dropped() -> None:
    same = "A patient, handsome piece of work that trusts its audience."
    pool = [
        candidate(same, critic="one"),
        candidate(same.upper(), critic="two"),
        candidate(
            "The Quiet Harbour, The Quiet Harbour, The Quiet Harbour: yes, again.", critic="3"
        ),
    ]
    selection = select_clues(pool, FilmNames("The Quiet Harbour"), keep=5)
    assert [c.text for c in selection.clues] == [same]
    assert sorted(selection.dropped.values()) == ["duplicate", "mostly the title"]


def test_vaguest_clues_come_first() -> None:
    vague = candidate("A patient, handsome piece of work that trusts its audience.")
    names = candidate("Marta Velasco and Omar Diaz light up every scene in Lisbon.")
    title = candidate("By the end, The Quiet Harbour feels like a place you visited.")
    chosen = select_clues([names, title, vague], FilmNames("The Quiet Harbour"), keep=3).clues
    assert chosen == [vague, title, names]


def test_order_follows_what_the_catalogue_says_gives_the_film_away() -> None:
    film = FilmNames(
        "The Quiet Harbour",
        synopsis="Keeper Tobias Wren (Sam Poe) tends a lighthouse through a winter of storms "
        "while his daughter Ada (Jo Lee) plans her escape to Bergen.",
    )
    opinion = candidate("Slow, patient and finally rather moving; it earns its ending.")
    plot = candidate("All that brooding over storms and a lighthouse wore me down, honestly.")
    cast = candidate("Sam Poe has never been better, and the whole film rests on him.")
    place = candidate("It makes rainy Bergen look like the loneliest town on the earth.")
    chosen = select_clues([cast, place, plot, opinion], film, keep=4).clues
    assert chosen[0] == opinion and chosen[1] == plot
    assert set(chosen[2:]) == {cast, place}
    signals = reveal.signals_of(film)
    assert {"sam", "poe", "ada", "bergen"} <= signals.names
    assert "lighthouse" in signals.plot
    assert reveal.revealing("A plain sentence about mood and pace.", signals) == 0


def test_choosing_again_from_a_choice_changes_nothing() -> None:
    pool = reviews(15, fresh=True) + reviews(5, fresh=False, tag="r") + reviews(4, True, True, "t")
    first = select_clues(pool, FilmNames("Some Film"), keep=8).clues
    # A re-import sees the stored clues plus (some of) the same reviews again.
    again = select_clues([*first, *pool[::3]], FilmNames("Some Film"), keep=8).clues
    assert again == first
    shuffled = select_clues(list(reversed(pool)), FilmNames("Some Film"), keep=8).clues
    assert shuffled == first  # file order does not matter
