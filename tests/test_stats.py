"""Share box, statistics, global figures and countdown through the app, plain and htmx."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy import update as sa_update

from guessthatmovie.extensions import db
from guessthatmovie.game import rules, titles
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.models import Guess, Movie, Play, PuzzleResultCount
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import plays, puzzles
from guessthatmovie.store import stats as stats_store
from tests.catalogue import MOVIES
from tests.conftest import LAUNCH, Clock, Player

TODAY = date(2026, 3, 10)  # puzzle #69 in the Clock fixture


def schedule(app: Flask, clock: Clock, day: date, label: str) -> int:
    """Put a catalogue movie on a day; return the puzzle number."""
    with app.app_context():
        movie = catalogue_queries.movies_matching(titles.parse_guess(label))[0]
        return puzzles.set_puzzle(day, movie, LAUNCH, clock.now).number


def text_of(node: Tag | None) -> str:
    assert node is not None
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


def share_text(page: BeautifulSoup) -> str:
    box = page.find("textarea", attrs={"data-share-text": True})
    assert box is not None, "no share box"
    assert box.has_attr("readonly")
    return str(box.string or "")


def stat(page: BeautifulSoup, name: str) -> str:
    return text_of(page.find(attrs={"data-stat": name}))


def win_in_three(player: Player) -> None:
    player.guess("Lanterns Over Kyoto")
    player.skip()
    player.guess("The Quiet Harbour")


def lose(player: Player) -> None:
    for _ in range(6):
        player.skip()


def test_share_box_after_a_win(player: Player) -> None:
    win_in_three(player)
    for page in (player.page, player.load()):
        assert (
            share_text(page) == "Guess That Movie #69 3/6\n🟥⬛🟩⬜⬜⬜\nhttp://localhost/r/69/xso"
        )
        squares = page.select("[data-square]")
        assert [s["data-square"] for s in squares] == ["wrong", "skipped", "right"] + ["unused"] * 3
        # Screen readers hear words, not colours.
        labels = [s.find(class_="visually-hidden").get_text() for s in squares]
        assert labels[:3] == ["Attempt 1: wrong", "Attempt 2: skipped", "Attempt 3: right"]
        button = page.find("button", attrs={"data-share-button": True})
        assert button["type"] == "button" and button.has_attr("hidden")  # JS reveals it
        assert page.find(attrs={"data-share-status": True})["role"] == "status"


def test_share_box_after_a_loss(player: Player) -> None:
    lose(player)
    assert (
        share_text(player.page)
        == "Guess That Movie #69 X/6\n⬛⬛⬛⬛⬛⬛\nhttp://localhost/r/69/ssssss"
    )


def test_the_htmx_answer_of_the_last_move_carries_the_whole_panel(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=True)
    player.skip()
    _, fragment = player.guess("The Quiet Harbour")
    result = fragment.find(attrs={"data-result": "won"})
    assert result is not None
    assert share_text(fragment).startswith("Guess That Movie #69 2/6\n")
    assert stat(fragment, "played") == "1"
    assert fragment.find(attrs={"data-figures": True}) is not None
    assert text_of(fragment.find("time", attrs={"data-countdown": True})) == "12:00:00"


def test_no_share_box_stats_or_figures_mid_game(player: Player) -> None:
    player.skip()
    for page in (player.page, player.load()):
        assert page.find(attrs={"data-share-text": True}) is None
        assert page.find(attrs={"data-stats": True}) is None
        assert page.find(attrs={"data-figures": True}) is None


@pytest.mark.parametrize("record", MOVIES, ids=[m.title for m in MOVIES])
def test_the_share_text_never_names_the_movie(
    app: Flask, catalogue: None, clock: Clock, record: MovieRecord
) -> None:
    """Every movie of the test catalogue as the answer, won and lost: no name of it is shared."""
    with app.app_context():
        movie = db.session.scalars(
            select(Movie).where(Movie.title == record.title, Movie.year == record.year)
        ).one()
        label = movie.label
        names = titles.title_variants(movie.title, movie.alt_titles)
    schedule(app, clock, TODAY, label)
    won_player = Player(app.test_client(), htmx=False)
    won_player.guess(label)
    lost_player = Player(app.test_client(), htmx=True)
    lose(lost_player)
    texts = [share_text(won_player.page), share_text(lost_player.page)]
    assert texts[0].startswith("Guess That Movie #69 1/6\n")
    assert texts[1].startswith("Guess That Movie #69 X/6\n")
    # The link is the result page, spelt from the outcomes alone.
    assert texts[0].endswith("\nhttp://localhost/r/69/o")
    assert texts[1].endswith("\nhttp://localhost/r/69/ssssss")
    for text in texts:
        squeezed = titles.match_key(text)
        for name in names:
            assert titles.fold(name) not in titles.fold(text)
            assert titles.match_key(name) not in squeezed


def test_stats_page_figures_and_streak(app: Flask, answer: str, clock: Clock) -> None:
    schedule(app, clock, TODAY - timedelta(days=2), "Lanterns Over Kyoto")  # 67
    schedule(app, clock, TODAY - timedelta(days=1), "Spider-Moth")  # 68
    client = app.test_client()
    clock.now -= timedelta(days=2)
    Player(client, htmx=False).guess("Lanterns Over Kyoto")  # 67 in one
    clock.advance(days=1)
    player = Player(client, htmx=True)
    player.skip()
    player.guess("Spider-Moth")  # 68 in two
    clock.advance(days=1)
    page = Player(client, htmx=False).load("/stats")
    assert text_of(page.find("h1")) == "Statistics"
    assert [stat(page, n) for n in ("played", "win-percent", "current-streak", "max-streak")] == [
        "2",
        "100",
        "2",
        "2",
    ]
    bars = page.select("[data-stats] [data-bar]")
    # A row per number of attempts, and one (X) for the games not solved.
    assert [b["data-bar"] for b in bars] == ["1", "2", "3", "4", "5", "6", "X"]
    assert [text_of(b.find(attrs={"data-count": True})) for b in bars] == [
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    assert [b.find(class_="dist-bar")["class"][-1] for b in bars[:3]] == ["w-100", "w-100", "w-0"]
    # Today's puzzle is not finished: no figures yet, a pointer to it instead.
    assert page.find(attrs={"data-figures": True}) is None
    assert page.find(attrs={"data-figures-later": True}) is not None
    assert text_of(page.find("time", attrs={"data-countdown": True})) == "12:00:00"
    # Losing today's puzzle: the streak is over, and the player sees what it was.
    lose(Player(client, htmx=False))
    page = Player(client, htmx=False).load("/stats")
    assert [stat(page, n) for n in ("played", "win-percent", "current-streak", "max-streak")] == [
        "3",
        "67",
        "0",
        "2",
    ]
    assert "Your streak of 2 days ended" in stat(page, "ended-streak")
    assert page.find(attrs={"data-figures": True}) is not None


def test_stats_page_as_an_htmx_fragment(app: Flask, answer: str) -> None:
    client = app.test_client()
    response = client.get("/stats", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    fragment = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert fragment.find("html") is None and fragment.find("h1") is None
    root = fragment.find(id="stats")
    assert root is not None
    assert stat(fragment, "played") == "0"
    assert fragment.find("h2", id="stats-heading") is not None


def test_global_figures_count_everyone_and_never_show_guesses(
    app: Flask, answer: str, clock: Clock
) -> None:
    Player(app.test_client(), htmx=False).guess("The Quiet Harbour")  # 1
    win_in_three(Player(app.test_client(), htmx=True))  # 3, guessed Lanterns Over Kyoto first
    unfinished = Player(app.test_client(), htmx=False)
    unfinished.guess("Glass Meridian (2016)")  # still playing: not counted
    last = Player(app.test_client(), htmx=False)
    for wrong in (
        "Spider-Moth",
        "Salt & Pepper Road",
        "Iron Orchard, The",
        "Glass Meridian (2016)",
    ):
        last.guess(wrong)
    last.skip()
    last.guess("An Ordinary Miracle")  # lost
    for htmx in (False, True):
        page = (
            last.page
            if not htmx
            else BeautifulSoup(
                last.client.get("/stats", headers={"HX-Request": "true"}).get_data(as_text=True),
                "html.parser",
            )
        )
        figures = page.find(attrs={"data-figures": True})
        assert figures is not None
        assert text_of(figures.find(attrs={"data-figure": "finished"})) == "3"
        assert text_of(figures.find(attrs={"data-figure": "solved-percent"})) == "67%"
        counts = [text_of(b.find(attrs={"data-count": True})) for b in figures.select("[data-bar]")]
        assert counts == ["1", "0", "1", "0", "0", "0", "1"]
        shown = text_of(figures).lower()
        for title in [m.title.split(" (")[0] for m in MOVIES]:
            assert title.lower() not in shown
    # The loser's own stats panel marks the row of losses (X) as "this game", no win row.
    current = last.page.select("[data-stats] .dist-row.current")
    assert [row["data-bar"] for row in current] == ["X"]


def test_the_win_is_marked_in_the_players_distribution(player: Player) -> None:
    win_in_three(player)
    current = player.page.select("[data-stats] .dist-row.current")
    assert [row["data-bar"] for row in current] == ["3"]
    assert "this game" in text_of(current[0])


@pytest.mark.parametrize(
    ("zone", "hour", "expected"),
    [("UTC", 12, "12:00:00"), ("UTC", 23, "1:00:00"), ("America/New_York", 12, "16:00:00")],
)
def test_countdown_uses_the_injected_clock_and_game_timezone(
    app: Flask, answer: str, clock: Clock, zone: str, hour: int, expected: str
) -> None:
    app.config["GAME_TIMEZONE"] = zone
    clock.now = clock.now.replace(hour=hour)
    for headers in ({}, {"HX-Request": "true"}):
        response = app.test_client().get("/stats", headers=headers)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        node = page.find("time", attrs={"data-countdown": True})
        assert text_of(node) == expected
        h, m, s = (int(part) for part in expected.split(":"))
        assert node["data-countdown"] == str(h * 3600 + m * 60 + s)
        assert node["datetime"] == f"PT{node['data-countdown']}S"


def test_a_game_finished_after_midnight_counts_on_its_day(
    app: Flask, answer: str, clock: Clock
) -> None:
    schedule(app, clock, TODAY + timedelta(days=1), "Spider-Moth")  # 70
    clock.now = clock.now.replace(hour=23, minute=50)
    player = Player(app.test_client(), htmx=False)
    player.skip()
    clock.advance(minutes=20)  # now 00:10 on the day of #70
    player.load("/puzzle/69")
    player.guess("The Quiet Harbour")
    assert player.page.find(attrs={"data-result": "won"}) is not None
    assert player.page.find(attrs={"data-archive-play": True}) is None
    assert share_text(player.page).startswith("Guess That Movie #69 2/6\n")
    assert stat(player.page, "current-streak") == "1"


def test_an_archive_game_counts_as_played_not_in_the_streak(
    app: Flask, answer: str, clock: Clock
) -> None:
    schedule(app, clock, TODAY - timedelta(days=1), "Spider-Moth")  # 68, missed on its day
    player = Player(app.test_client(), htmx=True)
    player.load("/puzzle/68")
    player.guess("Spider-Moth")
    page = player.load("/puzzle/68")
    assert page.find(attrs={"data-archive-play": True}) is not None
    assert share_text(page).startswith("Guess That Movie #68 1/6 (archive)\n")
    assert [stat(page, n) for n in ("played", "current-streak", "max-streak")] == ["1", "0", "0"]
    player.load("/")
    player.guess("The Quiet Harbour")
    assert [stat(player.page, n) for n in ("played", "current-streak")] == ["2", "1"]
    assert player.page.find(attrs={"data-archive-play": True}) is None


def test_a_raced_finishing_move_is_not_counted(app: Flask, answer: str, clock: Clock) -> None:
    """Another worker stored the last move first: ours is refused, and counted nowhere."""
    player = Player(app.test_client(), htmx=False)
    for _ in range(5):
        player.skip()
    with app.app_context():
        puzzle = puzzles.puzzle_on(TODAY)
        assert puzzle is not None
        player_id = db.session.scalars(select(Play.player_id)).one()
        play = plays.stored_play(player_id, puzzle.id, for_move=True)
        assert play is not None
        db.session.execute(
            insert(Guess).values(
                play_id=play.id, position=5, text="theirs", outcome="skipped", created_at=clock.now
            )
        )
        db.session.execute(sa_update(Play).values(status="lost"))
        stats_store.count_finish(puzzle.id, 0)
        db.session.commit()  # the other worker's move, finished and counted
        db.session.expire_all()
        play = plays.stored_play(player_id, puzzle.id, for_move=True)
        assert play is not None
        play = replace(play, guesses=play.guesses[:5])  # what ours read before theirs committed
        verdict = rules.judge_skip(plays.game_of(play, 6))
        stored = plays.record_move(
            play, player_id, puzzle, 5, verdict, "", rules.Status.LOST, clock.now
        )
        assert stored is None
        db.session.expire_all()
        stored_texts = db.session.scalars(select(Guess.text).order_by(Guess.position)).all()
        assert stored_texts == [""] * 5 + ["theirs"]
        figures = stats_store.puzzle_figures(puzzle.id, 6)
        assert (figures.finished, figures.lost) == (1, 1)


def test_recount_rebuilds_the_counters_from_the_plays(app: Flask, answer: str) -> None:
    win_in_three(Player(app.test_client(), htmx=False))
    lose(Player(app.test_client(), htmx=False))
    Player(app.test_client(), htmx=False).skip()  # unfinished: not counted
    with app.app_context():
        puzzle = puzzles.puzzle_on(TODAY)
        assert puzzle is not None
        puzzle_id = puzzle.id
        before = stats_store.puzzle_figures(puzzle_id, 6)
        db.session.execute(sa_update(PuzzleResultCount).values(players=99))  # drifted
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["stats", "recount"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Counted 2 finished game(s)."
    with app.app_context():
        after = stats_store.puzzle_figures(puzzle_id, 6)
    assert after == before
    assert (after.finished, after.distribution, after.lost) == (2, (0, 0, 1, 0, 0, 0), 1)
