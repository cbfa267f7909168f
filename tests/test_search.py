"""The title typeahead: tolerant, ranked, whole-catalogue, and blind to the puzzle."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie import catalogue_import
from guessthatmovie.game import titles
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from guessthatmovie.store.search import search_titles
from tests.catalogue import LITTLE_WOMEN, NAMESAKES, TITANICS
from tests.conftest import LAUNCH, Clock


def labels(app: Flask, query: str, limit: int = 8) -> list[str]:
    with app.app_context():
        return [hit.label for hit in search_titles(query, limit)]


def options(app: Flask, query: str) -> list[tuple[str, str]]:
    response = app.test_client().get(
        "/titles", query_string={"guess": query}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [(li["data-movie-id"], li["data-label"]) for li in page.select("[role=option]")]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("quiet", "The Quiet Harbour (1998)"),
        ("The Quiet Harb", "The Quiet Harbour (1998)"),
        ("harbour", "The Quiet Harbour (1998)"),  # a later word of the title
        ("cafe lumi", "Café Lumière Nights (2011)"),  # accents
        ("CAFÉ", "Café Lumière Nights (2011)"),
        ("salt and pep", "Salt & Pepper Road (1983)"),  # & is "and"
        ("iron orchard", "Iron Orchard, The (1975)"),  # the article moved to the end
        ("spider moth", "Spider-Moth (2019)"),  # punctuation
        ("twelve angry", "12 Angry Jurors (Twelve Angry Jurors) (1957)"),  # alternate title
    ],
)
def test_search_is_tolerant_like_guesses(
    app: Flask, catalogue: None, query: str, expected_first: str
) -> None:
    assert labels(app, query)[0] == expected_first


def test_prefix_matches_come_before_word_matches(app: Flask, catalogue: None) -> None:
    with app.app_context():
        catalogue_import.load_movies(
            [
                MovieRecord("Harbour Lights", 1990, ("Drama",), 50, 50),
                MovieRecord("The Last Harbour Town", 1980, ("Drama",), 50, 50),
            ]
        )
    found = labels(app, "harbour")
    assert found[0] == "Harbour Lights (1990)"
    assert set(found[1:3]) == {"The Last Harbour Town (1980)", "The Quiet Harbour (1998)"}


def test_namesakes_without_counts_are_listed_newest_first(app: Flask, catalogue: None) -> None:
    assert labels(app, "glass meridian")[:2] == ["Glass Meridian (2016)", "Glass Meridian (1961)"]


@pytest.mark.parametrize(
    ("query", "expected"), [("titanic", TITANICS), ("little wom", LITTLE_WOMEN)]
)
def test_namesakes_are_listed_better_known_first(
    app: Flask, catalogue: None, query: str, expected: list[str]
) -> None:
    with app.app_context():
        catalogue_import.load_movies(NAMESAKES)
    assert labels(app, query) == expected
    assert [label for _id, label in options(app, query)] == expected


def test_near_misses_come_last(app: Flask, catalogue: None) -> None:
    assert labels(app, "lantrens over kyoto") == ["Lanterns Over Kyoto (2004)"]


@pytest.mark.parametrize("query", ["", " ", "q", "!", "%", "_", "<>", "--"])
def test_too_short_or_no_words_finds_nothing(app: Flask, catalogue: None, query: str) -> None:
    assert labels(app, query) == []


def test_at_most_the_limit_and_each_movie_once(app: Flask, catalogue: None) -> None:
    with app.app_context():
        catalogue_import.load_movies(
            [MovieRecord(f"Night Train {n}", 2000 + n, ("Drama",), 50, 50) for n in range(12)]
            + [
                MovieRecord(
                    "Night Train Alpha", 1999, ("Drama",), 50, 50, alt_titles=("Night Train Beta",)
                )
            ]
        )
    found = labels(app, "night train")
    assert len(found) == 8
    assert len(set(found)) == 8


def test_the_options_are_the_same_whatever_the_puzzle(
    app: Flask, catalogue: None, clock: Clock
) -> None:
    """The answer is offered like any other movie: no order or mark depends on the puzzle."""
    seen = []
    for title in ("The Quiet Harbour", "Lanterns Over Kyoto"):
        with app.app_context():
            movie = catalogue_queries.movies_matching(titles.parse_guess(title))[0]
            puzzles.set_puzzle(clock.now.date(), movie, LAUNCH, clock.now)
        response = app.test_client().get("/titles?guess=qu", headers={"HX-Request": "true"})
        assert b"The Quiet Harbour" in response.get_data()
        seen.append(
            [options(app, query) for query in ("qu", "the", "lan", "harbour", "kyoto")]
            + [response.get_data()]
        )
        with app.app_context():
            from guessthatmovie.extensions import db
            from guessthatmovie.models import Puzzle

            db.session.query(Puzzle).delete()
            db.session.commit()
    assert seen[0] == seen[1]
    assert seen[0][0] == [(seen[0][0][0][0], "The Quiet Harbour (1998)")]


def test_the_fragment_and_the_page(app: Flask, catalogue: None) -> None:
    client = app.test_client()
    fragment = client.get("/titles?guess=quiet", headers={"HX-Request": "true"})
    assert fragment.headers["Cache-Control"] == "public, max-age=300"
    assert "HX-Request" in fragment.headers["Vary"]
    html = BeautifulSoup(fragment.get_data(as_text=True), "html.parser")
    assert html.find("html") is None
    option = html.select_one("[role=option]")
    assert option["id"].startswith("title-option-")
    assert option["aria-selected"] == "false"
    page = BeautifulSoup(client.get("/titles?guess=quiet").get_data(as_text=True), "html.parser")
    assert page.find("h1").get_text() == "Titles matching “quiet”"
    assert (
        page.select_one("[role=listbox] [role=option]")["data-label"] == "The Quiet Harbour (1998)"
    )


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "x" * 5000,
        "ğüş çok",
        "🎬🎬",
        "'; DROP TABLE movies; --",
        "\x00\x1f",
    ],
)
def test_hostile_queries_answer_calmly(app: Flask, catalogue: None, query: str) -> None:
    response = app.test_client().get("/titles", query_string={"guess": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


def test_searches_beyond_the_limit_get_a_429(app: Flask, catalogue: None) -> None:
    app.config["SEARCH_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [
        client.get("/titles?guess=quiet", headers={"HX-Request": "true"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_only_close_matches_are_offered(app: Flask, catalogue: None) -> None:
    """Nothing unrelated fills the list: a near miss must look like the start of a title."""
    assert labels(app, "quiet harbur") == ["The Quiet Harbour (1998)"]
    assert labels(app, "xqzvw") == []
    assert labels(app, "zzz") == []


def test_a_typed_year_puts_that_years_film_first(app: Flask, catalogue: None) -> None:
    assert labels(app, "Glass Meridian (1961)")[0] == "Glass Meridian (1961)"
    assert labels(app, "Glass Meridian (2016)")[0] == "Glass Meridian (2016)"


def test_near_starts_compares_the_start_of_each_name() -> None:
    entries = [
        titles.TitleEntry(1, "Go (1999)", "go"),
        titles.TitleEntry(2, "The Godfather (1972)", "godfather"),
        titles.TitleEntry(3, "The Godfather, Part II (1974)", "godfather part ii"),
        titles.TitleEntry(4, "Paddington 2 (2018)", "paddington 2"),
        titles.TitleEntry(5, "Paddington (2015)", "paddington"),
    ]
    assert titles.near_starts("godfahter", entries, 5) == [2, 3]  # not "Go"
    assert titles.near_starts("paddingtn", entries, 5) == [5, 4]  # the shorter name first
    assert titles.near_starts("qqqq", entries, 5) == []


def test_a_worker_answers_a_repeated_query_without_the_database(
    app: Flask, catalogue: None
) -> None:
    """Kept a minute per worker; a catalogue load in this worker shows its titles at once."""
    from tests.test_runtime import statements_during

    assert options(app, "harb")  # the first asks the database
    again: list[list[tuple[str, str]]] = []
    assert statements_during(app, lambda: again.append(options(app, "harb"))) == []
    assert again[0] == options(app, "harb")
    with app.app_context():
        catalogue_import.load_movies([MovieRecord("Harbinger Lights", 2004, ["Drama"], None, None)])
    assert "Harbinger Lights (2004)" in [label for _, label in options(app, "harb")]
