"""Title normalisation and matching: a table of what players type against catalogue titles."""

from __future__ import annotations

import pytest

from guessthatmovie.game.titles import (
    ParsedGuess,
    TitleEntry,
    match_key,
    parse_guess,
    split_alternate,
    suggest,
    title_keys,
    title_words,
)
from tests.deadline import seconds_taken

MATCHES = [
    # (catalogue title, alternates, what the player typed)
    ("The Godfather", (), "the godfather"),
    ("The Godfather", (), "Godfather"),
    ("The Godfather", (), "  GODFATHER  "),
    ("The Godfather", (), "Godfather, The"),
    ("The Godfather", (), "godfather (1972)"),
    ("Godfather, The", (), "The Godfather"),
    ("A Beautiful Mind", (), "beautiful mind"),
    ("An American in Paris", (), "American in Paris"),
    ("Amélie", (), "Amelie"),
    ("Amélie", (), "AMÉLIE"),
    ("Léon: The Professional", (), "leon the professional"),
    ("Crouching Tiger, Hidden Dragon", (), "crouching tiger hidden dragon"),
    ("Mr. & Mrs. Smith", (), "Mr and Mrs Smith"),
    ("Mr. and Mrs. Smith", (), "mr & mrs smith"),
    ("Schindler's List", (), "Schindlers List"),
    ("Schindler’s List", (), "schindler's list"),
    ("E.T. the Extra-Terrestrial", (), "ET the Extra Terrestrial"),
    ("Spider-Man", (), "spiderman"),
    ("Spider-Man", (), "Spider Man"),
    ("12 Angry Men (Twelve Angry Men)", (), "12 angry men"),
    ("12 Angry Men (Twelve Angry Men)", (), "Twelve Angry Men"),
    ("12 Angry Men (Twelve Angry Men)", (), "twelve angry men (1957)"),
    ("Star Wars: Episode IV - A New Hope", ("Star Wars",), "star wars"),
    ("Se7en", (), "se7en"),
    ("Bicycle Thieves (Ladri di biciclette) (The Bicycle Thief)", (), "the bicycle thief"),
    ("Bicycle Thieves (Ladri di biciclette) (The Bicycle Thief)", (), "Ladri di Biciclette"),
    ("Ghostbusters (1984 Original)", (), "ghostbusters"),
    ("WALL-E", (), "Wall·E"),
    ("Blade Runner 2049", (), "blade runner 2049"),
    ("(500) Days of Summer", (), "500 days of summer"),
]

MISMATCHES = [
    ("The Godfather", (), "The Godfather Part II"),
    ("Blade Runner 2049", (), "Blade Runner"),
    ("Twelve Monkeys", (), "12 Monkeys"),
    ("Alien", (), "Aliens"),
    ("The Thing", (), "Thing 2"),
    ("Se7en", (), "seven"),
]


@pytest.mark.parametrize(("title", "alternates", "typed"), MATCHES)
def test_guess_matches_title(title: str, alternates: tuple[str, ...], typed: str) -> None:
    assert parse_guess(typed).key in title_keys(title, alternates)


@pytest.mark.parametrize(("title", "alternates", "typed"), MISMATCHES)
def test_guess_does_not_match_other_title(
    title: str, alternates: tuple[str, ...], typed: str
) -> None:
    assert parse_guess(typed).key not in title_keys(title, alternates)


@pytest.mark.parametrize(
    ("typed", "key", "year"),
    [
        ("Psycho (1960)", "psycho", 1960),
        ("Psycho", "psycho", None),
        ("Blade Runner 2049", "bladerunner2049", None),
        ("   ", "", None),
        ("!!!", "", None),
        ("The", "the", None),
        ("a\x00b", "ab", None),
        ("12 Angry Men (Twelve Angry Men) (1957)", "12angrymen", 1957),
    ],
)
def test_parse_guess(typed: str, key: str, year: int | None) -> None:
    parsed = parse_guess(typed)
    assert (parsed.key, parsed.year) == (key, year)


@pytest.mark.parametrize(
    ("title", "main", "alternates"),
    [
        ("12 Angry Men (Twelve Angry Men)", "12 Angry Men", ["Twelve Angry Men"]),
        ("Psycho (1960)", "Psycho (1960)", []),
        ("(500) Days of Summer", "(500) Days of Summer", []),
        ("Jaws", "Jaws", []),
        (
            "Bicycle Thieves (Ladri di biciclette) (The Bicycle Thief)",
            "Bicycle Thieves",
            ["Ladri di biciclette", "The Bicycle Thief"],
        ),
        ("Ghostbusters (1984 Original)", "Ghostbusters", []),
    ],
)
def test_split_alternate(title: str, main: str, alternates: list[str]) -> None:
    assert split_alternate(title) == (main, alternates)


def test_keys_of_different_movies_differ() -> None:
    assert match_key("The Thing") != match_key("The Things")


def test_suggest_offers_close_titles_once_per_movie() -> None:
    entries = [
        TitleEntry(1, "The Godfather (1972)", "godfather"),
        TitleEntry(2, "The Godfather Part II (1974)", "godfather part ii"),
        TitleEntry(3, "Goodfellas (1990)", "goodfellas"),
        TitleEntry(4, "Twelve Angry Men (1957)", "twelve angry men"),
        TitleEntry(4, "12 Angry Men (1957)", "12 angry men"),
        TitleEntry(5, "Jaws (1975)", "jaws"),
    ]
    picks = suggest("godfathr", entries)
    assert [p.movie_id for p in picks][:2] == [1, 2]
    assert 5 not in [p.movie_id for p in picks]
    angry = suggest("12 angry man", entries)
    assert [p.movie_id for p in angry] == [4]


def test_suggest_limits_and_ignores_empty_queries() -> None:
    entries = [TitleEntry(i, f"Night {i}", f"night {i}") for i in range(20)]
    assert len(suggest("night", entries)) == 5
    assert suggest("   ", entries) == []
    assert suggest("night", []) == []


# Shapes that make a backtracking pattern quadratic: long runs of whitespace between words, before
# a parenthesis or a comma, and many open parentheses. Each is 64 KB, the most a form may carry.
HOSTILE_SHAPES = [
    pytest.param("a" + " " * 65_000 + "b", id="spaces-between-words"),
    pytest.param(" \u00a0" * 32_000 + "x", id="mixed-spaces-then-a-word"),
    pytest.param("a" + " " * 65_000 + "(b", id="spaces-before-a-parenthesis"),
    pytest.param("a" + " (" * 32_000 + ")", id="open-parentheses"),
    pytest.param("a" + ", " * 32_000 + "the", id="commas-before-an-article"),
    pytest.param("(1999)" * 10_000 + " " * 5_000, id="years-then-spaces"),
]


@pytest.mark.parametrize("text", HOSTILE_SHAPES)
def test_player_text_is_parsed_in_linear_time(text: str) -> None:
    # In a child process with a deadline: a quadratic pattern takes many seconds on 64 KB.
    assert seconds_taken(parse_guess, text, deadline=3.0) < 3.0
    assert seconds_taken(match_key, text, deadline=3.0) < 3.0
    assert seconds_taken(split_alternate, text, deadline=3.0) < 3.0


@pytest.mark.parametrize(
    ("typed", "key", "year"),
    [
        ("Quiet Harbour (1999)", "quietharbour", 1999),
        ("Quiet Harbour   (1999)   ", "quietharbour", 1999),
        ("Quiet Harbour(1999)", "quietharbour", 1999),
        ("Quiet Harbour (Harbour) (1999)", "quietharbour", 1999),
        ("Quiet Harbour (1999) (2001)", "quietharbour", 2001),
        ("(1999)", "", 1999),
        ("Quiet Harbour 1999", "quietharbour1999", None),
        ("Quiet Harbour (19999)", "quietharbour", None),
    ],
)
def test_trailing_years_and_parentheses(typed: str, key: str, year: int | None) -> None:
    assert parse_guess(typed) == ParsedGuess(key=key, year=year)


def test_suggestions_rank_no_more_than_a_guess_can_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folding can turn one character into 18 letters: the ranked text is cut after it."""
    from guessthatmovie.game import titles

    ranked: list[str] = []
    real = titles.process.extract

    def recording(query: str, *args: object, **kwargs: object) -> object:
        ranked.append(query)
        return real(query, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(titles.process, "extract", recording)
    entries = [TitleEntry(1, "Quiet Harbour", "quiet harbour")]
    suggest("\ufdfa" * 200, entries)
    assert len(titles.title_words("\ufdfa" * 200)) == 3600
    assert ranked, "suggest ranked nothing"
    assert {len(query) for query in ranked} == {200}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("heet", "Heat"),  # WRatio ranked a short title inside the text first ("E.T.")
        ("godfahter", "The Godfather"),
        ("terminater 2", "Terminator 2: Judgment Day"),
        ("empire strikes back", "The Empire Strikes Back"),
        ("moonlite", "Moonlight"),
    ],
)
def test_did_you_mean_ranks_the_film_meant_first(typed: str, expected: str) -> None:
    catalogue = [
        "E.T. the Extra-Terrestrial", "Heat", "Here", "Four Sheets to the Wind", "Go",
        "The Godfather", "Disco Godfather", "Terminator 2: Judgment Day", "Big Momma's House 2",
        "Empire", "Strike!", "The Empire Strikes Back", "Moonlight", "It", "M",
    ]  # fmt: skip
    entries = [
        TitleEntry(number, title, title_words(title)) for number, title in enumerate(catalogue)
    ]
    assert suggest(typed, entries)[0].label == expected
