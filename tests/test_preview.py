"""The operator's preview of a day: leak detection, and `flask puzzle preview` itself."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from flask import Flask

from guessthatmovie import catalogue_import
from guessthatmovie.extensions import db
from guessthatmovie.game import preview, titles
from guessthatmovie.game.leaks import FilmNames
from guessthatmovie.game.redact import MASK, leaks, redact_title
from guessthatmovie.models import Puzzle
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.catalogue import movie
from tests.conftest import Player


@pytest.mark.parametrize(
    ("title", "alternates", "text", "expected"),
    [
        # A distinctive title word that redaction kept because it is not capitalised.
        ("The Quiet Harbour", (), "Dawn over the harbour is its best shot.", ["harbour"]),
        ("The Quiet Harbour", (), "HARBOUR lights; a harbour, harbours.", ["harbour"]),
        ("Spider-Moth", (), "A moth to the flame, then a spider.", ["moth", "spider"]),
        ("Amélie", (), "Watching amelie is a tonic.", ["amelie"]),
        # Words of an alternate title, given apart or inside the title's parentheses.
        (
            "Spirited Away",
            ("Sen to Chihiro no Kamikakushi",),
            "Young chihiro is brave.",
            ["chihiro"],
        ),
        (
            "12 Angry Jurors (Twelve Angry Jurors)",
            (),
            "Jurors sweat; the jurors argue.",
            ["jurors"],
        ),
        # Everyday words, numbers, short and foreign function words give nothing away alone.
        ("The Quiet Harbour", (), "A quiet film about a quiet town.", []),
        ("Get Out", (), "You will want to get out early.", []),
        ("Toy Story 3", (), "Three toys, 3 stories, one story.", []),
        ("Pan's Labyrinth", ("El laberinto del fauno",), "Guillermo del Toro's fable.", []),
        ("The Quiet Harbour", (), f"{MASK} is a patient, handsome piece of work.", []),
    ],
)
def test_leaks(title: str, alternates: tuple[str, ...], text: str, expected: list[str]) -> None:
    assert leaks(text, title, alternates) == expected


def test_redaction_leaves_no_leak_where_the_title_is_written_as_a_title() -> None:
    text = "The Quiet Harbour and its Harbour scenes; the harbour at dawn."
    redacted = redact_title(text, "The Quiet Harbour")
    assert redacted == f"{MASK} and its {MASK} scenes; the harbour at dawn."
    assert leaks(redacted, "The Quiet Harbour") == ["harbour"]


def _clue(text: str) -> preview.ReviewClue:
    return preview.ReviewClue(text, redact_title(text, "The Quiet Harbour"), "A Critic", "A Paper")


HARBOUR = FilmNames("The Quiet Harbour")
CLEAN = [
    "A patient, handsome piece of work that trusts its audience.",
    "The score does half the storytelling and never oversells it.",
    "The final act earns every one of its big swings, and then some.",
]


def test_problems_of_a_clean_day_are_none() -> None:
    assert preview.problems([_clue(t) for t in CLEAN], HARBOUR, 3) == []


def test_problems_name_the_clue_that_leaks() -> None:
    clues = [_clue(CLEAN[0]), _clue("Fog rolls across the harbour while the town keeps secrets.")]
    clues.append(_clue(CLEAN[1]))
    found = preview.problems(clues, HARBOUR, 3)
    assert found == ["Clue 3 names the film: names the title (harbour)"]


def test_problems_count_missing_and_unusable_clues() -> None:
    clues = [
        _clue(CLEAN[0]),
        _clue("Superb."),
        _clue("The Quiet Harbour, oh, The Quiet Harbour, The Quiet Harbour!"),
    ]
    found = preview.problems(clues, HARBOUR, 5)
    assert found == [
        "Clue 3 is not a usable clue (too short)",
        "Clue 4 is not a usable clue (mostly the title)",
        "only 1 usable review clues, but the game reveals 5",
    ]


def test_facts_line_words_the_card_as_players_see_it() -> None:
    line = preview.facts_line(1998, ("Drama", "Mystery"), 91, 45, True, False)
    assert line == (
        "Released 1998; genres Drama, Mystery; critics 91% fresh; audience 45% spilled popcorn"
    )
    assert preview.facts_line(None, (), None, None, None, None) == (
        "Released unknown; genres unknown; critics no score; audience no score"
    )


# --- flask puzzle preview ------------------------------------------------------------------------


def _clues_a_player_sees(app: Flask) -> list[tuple[str, str]]:
    """Skip until one attempt is left and return (heading, text) of each review card."""
    player = Player(app.test_client(), htmx=False)
    for _ in range(5):
        player.skip()
    cards = player.page.select('[data-clue="review"]')
    assert player.attempts_left == 1 and len(cards) == 5
    return [(card.h2.contents[0].strip(), card.blockquote.get_text(strip=True)) for card in cards]


def test_preview_prints_the_day_as_players_meet_it(app: Flask, answer: str) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "preview", "2026-03-10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Puzzle #69 of 2026-03-10"
    assert lines[1] == (
        "Clue 1: Released 1998; genres Drama, Mystery; critics 91% fresh; "
        "audience 85% upright popcorn"
    )
    seen = _clues_a_player_sees(app)
    assert lines[2:7] == [
        f"{heading}: “{text}” (Critic {i}, Gazette {i})" for i, (heading, text) in enumerate(seen)
    ]
    assert any(MASK in text for _heading, text in seen)
    assert lines[7] == "Answer: The Quiet Harbour (1998)"
    # Then the pick (issue 24): the sample has no counts, so the floor never holds it back.
    assert lines[8:] == [
        "Pick: known-ness: no count; directed by unknown; allowed: not held back by the floor "
        "(no count); no film of its franchise within 60 days, none by its director within 30, "
        "no genre 3 days running"
    ]
    today = app.test_cli_runner().invoke(args=["puzzle", "preview"])
    assert today.output == result.output


def _rewrite_clue(app: Flask, day: str, index: int, text: str) -> None:
    """Change a stored snippet of a day's movie, as a bad import might have left it."""
    with app.app_context():
        when = date.fromisoformat(day)
        puzzle = db.session.scalars(db.select(Puzzle).where(Puzzle.day == when)).one()
        puzzle.movie.snippets[index].text = text
        db.session.commit()
        puzzles.forget_puzzle(puzzle)


LEAK = "Fog rolls across the harbour while the little town keeps its secrets."


def test_preview_fails_naming_the_clue_that_leaks(app: Flask, answer: str) -> None:
    _rewrite_clue(app, "2026-03-10", 1, LEAK)
    result = app.test_cli_runner().invoke(args=["puzzle", "preview", "2026-03-10"])
    assert result.exit_code == 1
    assert "Clue 3: “Fog rolls across the harbour" in result.output
    assert "Error: 2026-03-10: Clue 3 names the film: names the title (harbour)" in result.output


def test_preview_fails_with_too_few_snippets(app: Flask, catalogue: None) -> None:
    full = movie("Brief Encounters Abroad", 1990, ("Drama",), 70, 70)
    short = dataclasses.replace(full, snippets=full.snippets[:3])
    with app.app_context():
        catalogue_import.load_movies([short])
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["puzzle", "set", "2026-03-11", "Brief Encounters Abroad"])
    assert refused.exit_code == 1
    assert (
        "Brief Encounters Abroad (1990) cannot fill a game: it has 3 clean review clue(s) of 3"
        in refused.output
    )
    # A day scheduled before the film lost clues (or by hand) is what the preview is for.
    with app.app_context():
        found = catalogue_queries.movies_matching(titles.parse_guess("Brief Encounters Abroad"))
        puzzles.set_puzzle(
            date(2026, 3, 11), found[0], app.config["GAME_LAUNCH_DATE"], app.config["CLOCK"]()
        )
    result = runner.invoke(args=["puzzle", "preview", "2026-03-11"])
    assert result.exit_code == 1
    assert "Clue 4: " in result.output and "Clue 5: " not in result.output
    assert "only 3 usable review clues, but the game reveals 5" in result.output


def test_preview_refuses_an_unscheduled_day(app: Flask, catalogue: None) -> None:
    result = app.test_cli_runner().invoke(args=["puzzle", "preview", "2026-03-11"])
    assert result.exit_code == 1 and "No puzzle is scheduled for 2026-03-11" in result.output
    bad = app.test_cli_runner().invoke(args=["puzzle", "preview", "11/03/2026"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_preview_days_sums_up_each_day(app: Flask, answer: str) -> None:
    runner = app.test_cli_runner()
    for day, title in (("2026-03-11", "Spider-Moth"), ("2026-03-12", "Glass Meridian (2016)")):
        made = runner.invoke(args=["puzzle", "set", day, title])
        assert made.exit_code == 0, made.output
    clean = runner.invoke(args=["puzzle", "preview", "--days", "3"])
    assert clean.exit_code == 0, clean.output
    # Each day's line is followed by its pick's line (known-ness, director, why allowed).
    picks = [line for line in clean.output.splitlines() if line.startswith("    ")]
    assert len(picks) == 3 and all("allowed: not held back by the floor" in p for p in picks)
    assert [line for line in clean.output.splitlines() if not line.startswith("    ")] == [
        "2026-03-10 #69 ok: The Quiet Harbour (1998): 5 review clues, no leaks",
        "2026-03-11 #70 ok: Spider-Moth (2019): 5 review clues, no leaks",
        "2026-03-12 #71 ok: Glass Meridian (2016): 5 review clues, no leaks",
    ]
    _rewrite_clue(
        app, "2026-03-11", 4, "A spider spins, and the climax on the rooftops is a marvel."
    )
    failed = runner.invoke(args=["puzzle", "preview", "--days", "4"])
    assert failed.exit_code == 1
    assert [line for line in failed.output.splitlines() if not line.startswith("    ")][1:] == [
        "2026-03-11 #70 FAIL: Spider-Moth (2019): Clue 6 names the film: names the title (spider)",
        "2026-03-12 #71 ok: Glass Meridian (2016): 5 review clues, no leaks",
        "2026-03-13 FAIL: no puzzle scheduled (run `flask puzzle schedule`)",
        "Error: 2 of 4 days failed the preview.",
    ]
    later = runner.invoke(args=["puzzle", "preview", "2026-03-12", "--days", "1"])
    assert later.exit_code == 0, later.output


def test_preview_uses_the_game_attempts_setting(app: Flask, answer: str) -> None:
    app.config["GAME_ATTEMPTS"] = 4
    result = app.test_cli_runner().invoke(args=["puzzle", "preview"])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()[1:]] == [
        "Clue 1",
        "Clue 2",
        "Clue 3",
        "Clue 4",
        "Answer",
        "Pick",
    ]
