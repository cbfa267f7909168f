"""Whole games through the test client, with plain forms (303) and with htmx (fragments)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie import catalogue_import
from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.models import Movie, MovieSource, Puzzle
from guessthatmovie.store import puzzles
from tests.catalogue import LITTLE_WOMEN, NAMESAKES, TITANICS
from tests.conftest import Player


def test_first_visit_shows_number_date_and_facts_only(player: Player) -> None:
    page = player.page
    assert "Puzzle #69" in page.find("h1").get_text()
    assert page.find("time")["datetime"] == "2026-03-10"
    facts = page.select('[data-clue="facts"]')
    assert len(facts) == 1
    text = facts[0].get_text(" ", strip=True)
    for expected in ("1998", "Drama, Mystery", "91%", "fresh", "85%", "upright popcorn"):
        assert expected in text
    assert page.select('[data-clue="review"]') == []
    assert player.attempts_left == 6
    assert page.find("button", attrs={"value": "skip"}) is not None


def test_win_after_a_wrong_guess_and_a_skip(player: Player) -> None:
    status, _ = player.guess("Lanterns Over Kyoto")
    assert status == (200 if player.htmx else 303)
    assert player.outcomes == ["wrong"]
    assert player.attempts_left == 5
    assert len(player.page.select('[data-clue="review"]')) == 1
    player.skip()
    assert player.outcomes == ["wrong", "skipped"]
    assert len(player.page.select('[data-clue="review"]')) == 2
    player.guess("quiet harbour")
    assert player.outcomes == ["wrong", "skipped", "right"]
    result = player.page.find(attrs={"data-result": True})
    assert result["data-result"] == "won"
    text = result.get_text(" ", strip=True)
    assert "3/6" in text
    assert "The Quiet Harbour" in text and "1998" in text
    assert "A synopsis of The Quiet Harbour" in text
    assert len(result.select("details li")) == 2  # the clues used, now with the title shown
    assert player.page.find(id="guess-form") is None


def test_lose_after_six_misses_and_keep_state_on_reload(player: Player) -> None:
    for _ in range(5):
        player.skip()
    assert player.attempts_left == 1
    player.guess("Glass Meridian (2016)")
    assert player.page.find(attrs={"data-result": True})["data-result"] == "lost"
    assert player.page.find(attrs={"data-attempts-left": True})["data-attempts-left"] == "0"
    reloaded = player.load()
    assert reloaded.find(attrs={"data-result": True})["data-result"] == "lost"
    assert player.outcomes == ["skipped"] * 5 + ["wrong"]
    assert len(reloaded.select('[data-clue="review"]')) == 5


def test_no_replay_after_the_end(app: Flask, player: Player) -> None:
    player.guess("The Quiet Harbour")
    client = player.client
    token = player.page.find("body")["data-hx-headers"].split('"')[3]
    response = client.post(
        "/puzzle/69/moves",
        data={"csrf_token": token, "position": "1", "action": "guess", "guess": "Glass Meridian"},
    )
    assert response.status_code == 303  # a plain form: the refusal waits on the page
    assert "This game is over" in player.load(response.headers["Location"]).get_text()
    assert player.load().find(attrs={"data-result": True})["data-result"] == "won"
    assert player.outcomes == ["right"]


def test_unknown_title_costs_nothing_and_offers_suggestions(player: Player) -> None:
    status, html = player.guess("Quiet Harbor Lights")
    assert status == player.refused
    notice = html.find(id="notice")
    # A misspelling is a question, not an error.
    assert "notice-body question" in str(notice)
    assert notice.p.get_text(" ", strip=True).startswith("Did you mean The Quiet Harbour (1998) ?")
    assert "No attempt used" in notice.get_text()
    # Without JS a pick plays that title at once, so the notice says it costs an attempt.
    assert notice.select_one(".cost").get_text() == "A tap guesses the title (uses an attempt)."
    buttons = notice.select("form button")
    picks = [b.select_one(".pick").get_text() for b in buttons]
    assert 1 <= len(picks) <= 5
    assert "The Quiet Harbour (1998)" in picks
    assert player.attempts_left == 6
    assert player.outcomes == []
    # Each suggestion is a small form that submits that title.
    form = notice.select("form")[picks.index("The Quiet Harbour (1998)")]
    data = {i["name"]: i["value"] for i in form.find_all("input")} | {"action": "guess"}
    headers = {"HX-Request": "true"} if player.htmx else {}
    response = player.client.post(form["action"], data=data, headers=headers)
    assert response.status_code == (200 if player.htmx else 303)
    player.load()
    assert player.outcomes == ["right"]


def test_repeat_and_empty_guesses_cost_nothing(player: Player) -> None:
    player.guess("Glass Meridian (2016)")
    status, html = player.guess("GLASS MERIDIAN (2016)")
    assert status == player.refused
    assert "already guessed" in html.find(id="notice").get_text()
    status, html = player.guess("   ")
    assert status == player.refused
    assert "Type a movie title" in html.find(id="notice").get_text()
    assert player.outcomes == ["wrong"]
    assert player.attempts_left == 5


def test_rejected_guess_keeps_the_typed_text(player: Player) -> None:
    status, html = player.guess("Some Film Nobody Made")
    assert status == player.refused
    field = html.find("input", id="guess")
    assert field["value"] == "Some Film Nobody Made"


def test_namesakes_ask_which_one_then_match_the_pick(player: Player) -> None:
    status, _ = player.guess("Twelve Angry Jurors")  # only the 1957 film has this alternate
    assert status == (200 if player.htmx else 303)
    assert player.outcomes == ["wrong"]
    label = player.page.select("[data-guess] .label")[0].get_text()
    assert label == "12 Angry Jurors (Twelve Angry Jurors) (1957)"
    status, html = player.guess("12 angry jurors")
    assert status == player.refused
    notice = html.find(id="notice")
    assert "Which one" in notice.get_text()
    picks = [b.select_one(".pick").get_text() for b in notice.select("form button")]
    # Neither has a count of critics: the newest first.
    assert picks == ["12 Angry Jurors (1997)", "12 Angry Jurors (Twelve Angry Jurors) (1957)"]
    player.guess(picks[0])
    assert player.outcomes == ["wrong", "wrong"]
    assert player.page.select("[data-guess] .label")[1].get_text() == "12 Angry Jurors (1997)"


def test_htmx_fragment_has_new_clue_and_out_of_band_updates(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=True)
    status, fragment = player.guess("Lanterns Over Kyoto")
    assert status == 200
    top = [el for el in fragment.children if getattr(el, "name", None)]
    assert top[0]["data-clue"] == "review"
    assert "data-hx-swap-oob" not in top[0].attrs
    oob = {el["id"]: el for el in top[1:]}
    assert set(oob) == {"attempts", "notice", "play", "guesses"}
    assert {name: el["data-hx-swap-oob"] for name, el in oob.items()} == {
        "attempts": "true",
        "notice": "innerHTML",  # the live region stays, so screen readers announce the change
        "play": "true",
        "guesses": "true",
    }
    assert oob["attempts"]["data-attempts-left"] == "5"
    assert fragment.find("html") is None  # a fragment, not a page
    form = oob["play"].find("form")
    assert form["data-hx-post"] == form["action"] == "/puzzle/69/moves"
    assert form.find("input", attrs={"name": "position"})["value"] == "1"


def test_htmx_winning_fragment_carries_the_result(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=True)
    _, fragment = player.guess("The Quiet Harbour")
    assert fragment.select('[data-clue="review"]') == []
    assert fragment.find(id="play").find(attrs={"data-result": True})["data-result"] == "won"


def test_plain_form_gets_303_to_the_page(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    player.guess("Lanterns Over Kyoto")
    assert player.last.status_code == 303
    assert player.last.headers["Location"] == "/#latest-clue"  # lands on the new clue
    assert player.page.find(id="latest-clue").find_parent("li")["id"] == "clue-1"
    assert player.notice.startswith("Wrong: Lanterns Over Kyoto (2004). 5 attempts left. New clue")
    player.skip()
    player.guess("The Quiet Harbour")
    assert player.last.headers["Location"] == "/#result"
    assert player.page.find(id="result")["data-result"] == "won"


def test_history_restore_and_plain_get_get_the_full_page(app: Flask, answer: str) -> None:
    client = app.test_client()
    for headers in ({}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        response = client.get("/", headers=headers)
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert page.find("html") is not None and page.find(id="guess-form") is not None


def test_page_has_csrf_in_form_and_hx_headers(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    body_token = player.page.find("body")["data-hx-headers"]
    assert player.form["csrf_token"] and player.form["csrf_token"] in body_token


def test_player_cookie_flags(app: Flask, answer: str) -> None:
    response = app.test_client().get("/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in app.test_client().get("/").headers["Set-Cookie"]


def test_guesses_are_per_player(app: Flask, answer: str) -> None:
    first = Player(app.test_client(), htmx=False)
    second = Player(app.test_client(), htmx=False)
    first.guess("Lanterns Over Kyoto")
    second.load()
    assert second.outcomes == []
    assert second.attempts_left == 6


def test_the_reveal_names_the_film_large_and_links_its_page(app: Flask, player: Player) -> None:
    with app.app_context():
        movie = db.session.scalar(db.select(Movie).filter_by(title="The Quiet Harbour"))
        db.session.add(
            MovieSource(source="rt2020", external_id="m/the_quiet_harbour", movie_id=movie.id)
        )
        db.session.commit()
        puzzles.forget_puzzle(db.session.scalar(db.select(Puzzle)))  # as an import would
    player.skip()
    assert "rottentomatoes" not in player.raw  # the page's path names the film: only at the end
    player.guess("The Quiet Harbour")
    result = player.page.find(id="result")
    assert result.select_one(".reveal-title").get_text() == "The Quiet Harbour"
    assert result.select_one(".reveal-year").get_text() == "(1998)"
    link = result.select_one(".film-link a")
    assert link["href"] == "https://www.rottentomatoes.com/m/the_quiet_harbour"
    assert link.get_text() == "The Quiet Harbour on Rotten Tomatoes"
    assert "won" in result["class"]  # the stylesheet's flourish hangs on it


def test_a_lost_game_has_no_flourish_and_no_link_without_a_known_page(player: Player) -> None:
    for _ in range(6):
        player.skip()
    result = player.page.find(id="result")
    assert result.select_one(".reveal-title").get_text() == "The Quiet Harbour"
    assert "won" not in result["class"]
    assert result.select_one(".film-link") is None


@pytest.mark.parametrize(
    ("typed", "expected"), [("Titanic", TITANICS), ("little women", LITTLE_WOMEN)]
)
def test_which_one_lists_the_better_known_first(
    app: Flask, player: Player, typed: str, expected: list[str]
) -> None:
    with app.app_context():
        catalogue_import.load_movies(NAMESAKES)
    status, html = player.guess(typed)
    assert status == player.refused
    notice = html.find(id="notice")
    assert "Which one did you mean?" in notice.get_text()
    assert "notice-body error" not in str(notice)
    picks = [b.select_one(".pick").get_text() for b in notice.select("form button")]
    assert picks == expected  # four at most are shown: all of these
    assert notice.select_one(".more") is None
    # Each choice carries its film's id, so a pick without JavaScript is that film.
    form = notice.select("form")[0]
    data = {i["name"]: i["value"] for i in form.find_all("input")} | {"action": "guess"}
    headers = {"HX-Request": "true"} if player.htmx else {}
    assert player.client.post(form["action"], data=data, headers=headers).status_code < 400
    player.load()
    assert [line.get_text() for line in player.page.select("[data-guess] .label")] == [expected[0]]


def test_a_misspelling_asks_did_you_mean_and_counts_what_is_left_out(
    app: Flask, player: Player
) -> None:
    with app.app_context():
        catalogue_import.load_movies(NAMESAKES)
    status, html = player.guess("terminater 2")
    assert status == player.refused
    notice = html.find(id="notice")
    question = notice.p.get_text(" ", strip=True)
    assert question.startswith("Did you mean Terminator 2: Judgment Day (1991) ?"), question
    assert "not in our catalogue" not in notice.get_text()
    picks = [b.select_one(".pick").get_text() for b in notice.select("form button")]
    assert picks[0] == "Terminator 2: Judgment Day (1991)"
    assert len(picks) == 3
    assert notice.select_one(".more").get_text(" ", strip=True).startswith("and 2 more")


def test_namesakes_of_one_label_are_told_apart() -> None:
    films = [(1, "Night", 80), (2, "Night", 40), (3, "Night (1990)", 70)]
    assert [(s.label, s.detail) for s in titles.told_apart(films)] == [
        ("Night", "critics 80%"),
        ("Night", "critics 40%"),
        ("Night (1990)", ""),
    ]
