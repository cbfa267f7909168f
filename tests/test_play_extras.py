"""The play page's helpers: picks by id, comparison hints, move summaries, help and contrast."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie.game import titles
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.conftest import LAUNCH, Clock, Player


def movie_id(app: Flask, guess: str) -> str:
    with app.app_context():
        return str(catalogue_queries.movies_matching(titles.parse_guess(guess))[0].id)


def test_a_pick_by_id_settles_a_namesake(player: Player, app: Flask) -> None:
    status, _ = player.guess("Glass Meridian")
    # Two films share the title: which one?
    assert status == player.refused and player.outcomes == []
    player.send("guess", "Glass Meridian", movie_id=movie_id(app, "Glass Meridian (1961)"))
    assert player.outcomes == ["wrong"]
    assert player.page.select_one("[data-guess] .label").get_text() == "Glass Meridian (1961)"


def test_both_namesakes_can_be_guessed(player: Player, app: Flask) -> None:
    player.guess("Glass Meridian (2016)")
    status, _ = player.guess("Glass Meridian (1961)")
    assert status in (200, 303)
    assert player.outcomes == ["wrong", "wrong"]


def test_a_pick_whose_text_was_changed_goes_by_the_text(player: Player, app: Flask) -> None:
    kyoto = movie_id(app, "Lanterns Over Kyoto")
    player.send("guess", "The Quiet Harbour", movie_id=kyoto)
    assert player.outcomes == ["right"]


def test_an_alternate_title_pick_is_that_movie_only(player: Player, app: Flask) -> None:
    # "12 Angry Jurors" names two films; the 1957 one also goes by "Twelve Angry Jurors".
    remake = movie_id(app, "12 Angry Jurors (1997)")
    player.send("guess", "12 Angry Jurors", movie_id=remake)
    assert player.page.select_one("[data-guess] .label").get_text() == "12 Angry Jurors (1997)"


def test_a_forged_or_odd_movie_id_is_ignored(player: Player) -> None:
    for forged in ("abc", "-1", "99999999999999", "١٢", ""):
        status, _ = player.send("guess", "Nothing Like This Title", movie_id=forged)
        assert status == player.refused
    assert player.outcomes == []
    player.send("guess", "Lanterns Over Kyoto", movie_id="999999")
    assert player.outcomes == ["wrong"]


def hints(player: Player) -> dict[str, str]:
    items = player.page.select("[data-guess]")[-1].select("[data-hint]")
    return {li["data-hint"]: re.sub(r"\s+", " ", li.get_text(" ", strip=True)) for li in items}


def test_a_wrong_guess_shows_how_it_compares(player: Player) -> None:
    # The answer: The Quiet Harbour, 1998, Drama/Mystery, critics 91, audience 85.
    player.guess("Lanterns Over Kyoto")  # 2004, Romance, 45, 62
    assert hints(player) == {
        "year": "▼ 2004: the answer is earlier",
        "genres": "No genres in common",
        "critics": "▲ Critics 45%: the answer scores higher",
        "audience": "▲ Audience 62%: the answer scores higher",
    }
    player.guess("12 Angry Jurors (1957)")  # 1957, Classics/Drama, 100, 97
    assert hints(player) == {
        "year": "▲ 1957: the answer is later",
        "genres": "Genres in common: Drama",
        "critics": "▼ Critics 100%: the answer scores lower",
        "audience": "▼ Audience 97%: the answer scores lower",
    }


def test_unknown_figures_give_no_arrow_and_skips_no_hints(player: Player) -> None:
    player.guess("No Facts At All")  # 2020, no genres, no scores
    assert hints(player) == {
        "year": "▼ 2020: the answer is earlier",
        "genres": "No genres in common",
    }
    player.skip()
    assert player.page.select("[data-guess]")[-1].select("[data-hints]") == []


def test_the_right_guess_has_no_hints(player: Player) -> None:
    player.guess("The Quiet Harbour")
    assert player.page.select("[data-hints]") == []


def test_each_move_is_summed_up_for_the_live_region(player: Player) -> None:
    player.guess("Lanterns Over Kyoto")
    # On screen a short line; the new clue is read out only (it is on screen in its card).
    assert re.fullmatch(
        r"Wrong: Lanterns Over Kyoto \(2004\)\. 5 attempts left\. New clue: “[^”]+”", player.notice
    )
    live = player.page.find(id="notice")
    spoken = live.select_one(".visually-hidden").get_text()
    shown = live.select_one("p").find_all(string=True, recursive=False)
    assert spoken.startswith("New clue: “") and "New clue" not in "".join(shown)
    assert "Quiet Harbour" not in player.notice
    player.skip()
    assert player.notice.startswith("Skipped. 4 attempts left. New clue: “")
    player.skip()
    player.skip()
    player.skip()
    assert player.notice.startswith("Skipped. Last attempt. New clue: “")
    player.guess("The Quiet Harbour")
    # The end is said once, by the result (focused after a swap), not by the notice too.
    assert player.notice == ""
    assert player.page.find(id="result-heading").get_text() == "You got it in 6/6!"
    assert "Game over" not in player.page.get_text()
    assert live["role"] == "status"
    assert player.page.find(id="clues").get("aria-live") is None  # the summary speaks instead


def test_the_help_panel_works_without_script(app: Flask, answer: str) -> None:
    page = Player(app.test_client(), htmx=False).page
    help_panel = page.find("details", id="help")
    assert help_panel.find("summary").get_text() == "How to play"
    assert "6 attempts" in help_panel.get_text()


def test_skip_is_a_labelled_secondary_button(app: Flask, answer: str) -> None:
    page = Player(app.test_client(), htmx=False).page
    skip = page.select_one('#guess-form button[value="skip"]')
    assert "secondary" in skip["class"]
    assert skip.get_text(" ", strip=True) == "Skip: next clue (uses an attempt)"


def test_the_guess_field_is_a_combobox(app: Flask, answer: str) -> None:
    page = Player(app.test_client(), htmx=False).page
    field = page.find("input", id="guess")
    assert field["role"] == "combobox"
    assert field["aria-controls"] == "guess-options"
    assert field["aria-expanded"] == "false"
    assert page.find(id="guess-options")["role"] == "listbox"
    assert field["data-hx-get"] == "/titles" and field["data-hx-target"] == "#guess-options"
    assert page.select_one('#guess-form input[name="movie_id"]')["value"] == ""


def contrast_page(app: Flask, client: object, choice: str, next_path: str) -> tuple[str, object]:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")  # type: ignore[attr-defined]
    token = page.select_one("form.contrast input[name=csrf_token]")["value"]
    response = client.post(  # type: ignore[attr-defined]
        "/settings/contrast", data={"csrf_token": token, "contrast": choice, "next": next_path}
    )
    return response.headers.get("Location", ""), response


def test_high_contrast_is_remembered(app: Flask, answer: str) -> None:
    client = app.test_client()
    location, response = contrast_page(app, client, "high", "/")
    assert response.status_code == 303 and location == "/"  # type: ignore[attr-defined]
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert page.find("html")["data-contrast"] == "high"
    assert page.select_one("form.contrast button")["aria-pressed"] == "true"
    contrast_page(app, client, "normal", "/")
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert page.find("html").get("data-contrast") is None


def test_the_contrast_form_never_redirects_off_site(app: Flask, answer: str) -> None:
    client = app.test_client()
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:x",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\x7f/x",
    ):
        location, _ = contrast_page(app, client, "high", target)
        assert location == "/"
    location, _ = contrast_page(app, client, "high", "/puzzle/3")
    assert location == "/puzzle/3"


def test_the_contrast_form_needs_its_token(app: Flask, answer: str) -> None:
    client = app.test_client()
    client.get("/")
    response = client.post("/settings/contrast", data={"contrast": "high"})
    assert response.status_code == 400
    assert "gtm_contrast" not in response.headers.get("Set-Cookie", "")


def test_the_answer_never_reaches_the_page_through_hints_or_picks(
    app: Flask, catalogue: None, clock: Clock
) -> None:
    with app.app_context():
        movie = catalogue_queries.movies_matching(titles.parse_guess("Lanterns Over Kyoto"))[0]
        puzzles.set_puzzle(clock.now.date(), movie, LAUNCH, clock.now)
    for htmx in (False, True):
        player = Player(app.test_client(), htmx=htmx)
        bodies = []
        for guess in ("The Quiet Harbour", "Glass Meridian (2016)", "Café Lumière Nights"):
            _, html = player.guess(guess)
            bodies += [str(html), str(player.page)]
        assert player.outcomes == ["wrong", "wrong", "wrong"]
        assert not any("kyoto" in body.casefold() for body in bodies)
