"""Bad input gets a clear 4xx or an inline message; never a 5xx, never echoed unescaped."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie import create_app
from guessthatmovie.extensions import db
from guessthatmovie.models import Guess
from tests.conftest import Player

HOSTILE = [
    pytest.param("", "Type a movie title", id="empty"),
    pytest.param("   \t ", "Type a movie title", id="blank"),
    pytest.param("x" * 5000, "longer than any title", id="5000-chars"),
    pytest.param("<script>alert(1)</script>", "not in our catalogue", id="script"),
    pytest.param("'; DROP TABLE movies; --", "not in our catalogue", id="sql"),
    pytest.param("🎬🍿🎥", "Type a movie title", id="emoji-only"),
    pytest.param("Quiet 🎬 Harbourz", "Did you mean", id="emoji-mixed"),
    pytest.param("nul\x00byte", "not in our catalogue", id="nul"),
    pytest.param("ＴＨＥ ＱＵＩＥＴ", "Did you mean", id="fullwidth"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_guesses_get_a_message_and_cost_nothing(
    player: Player, text: str, message: str
) -> None:
    status, html = player.guess(text)
    assert status == player.refused
    assert message in html.find(id="notice").get_text()
    raw = player.last.get_data(as_text=True) if player.htmx else player.raw
    assert "<script>alert(1)</script>" not in raw
    assert "\x00" not in raw
    assert player.attempts_left == 6
    assert player.outcomes == []


# 60 000 characters fit in a form under the 64 KB cap; each shape once made the parsing quadratic.
LONG_GUESSES = [
    pytest.param("a" + " " * 60_000 + "b", id="spaces-inside"),
    pytest.param("Quiet" + " " * 60_000 + "(1999)", id="spaces-before-a-year"),
    pytest.param("x" * 60_000, id="one-long-word"),
]


@pytest.mark.parametrize("text", LONG_GUESSES)
def test_a_long_guess_is_refused_before_any_parsing(player: Player, text: str) -> None:
    started = time.perf_counter()
    status, html = player.guess(text)
    taken = time.perf_counter() - started
    assert status == player.refused
    assert "longer than any title" in html.find(id="notice").get_text()
    assert len(html.find("input", id="guess")["value"]) <= 200
    assert player.outcomes == []
    # Refusing it costs what any refused move costs; parsing it first took 20 s and more.
    assert taken < 1.0, f"{taken:.2f} s to refuse a {len(text)}-character guess"


def test_a_long_typeahead_query_answers_at_once(app: Flask, answer: str) -> None:
    started = time.perf_counter()
    response = app.test_client().get("/titles", query_string={"guess": "a" + " " * 3_000 + "b"})
    taken = time.perf_counter() - started
    assert response.status_code == 200
    assert taken < 1.0


def test_nothing_is_lost_after_a_rejection(player: Player) -> None:
    player.guess("Lanterns Over Kyoto")
    player.guess("<b>not a film</b>")
    status, _ = player.guess("The Quiet Harbour")
    assert status == (200 if player.htmx else 303)
    assert player.outcomes == ["wrong", "right"]


def test_huge_body_gets_a_friendly_413(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    status, html = player.send("guess", "y" * 200_000)
    assert status == 413
    assert "far too much text" in html.get_text()
    assert player.load().find(id="guess-form") is not None


def test_missing_csrf_token_is_refused_with_the_guess_kept(player: Player) -> None:
    status, html = player.send("guess", "Lanterns Over Kyoto", csrf_token="")
    assert status == (400 if player.htmx else 303)
    assert "form had expired" in html.find(id="notice").get_text()
    assert html.find("input", id="guess")["value"] == "Lanterns Over Kyoto"
    assert player.outcomes == []


def test_forged_cookie_starts_a_new_player_and_never_500s(app: Flask, answer: str) -> None:
    client = app.test_client()
    client.set_cookie("gtm", "eyJwbGF5ZXIiOiJoYWNrZXIifQ.forged.signature")
    response = client.get("/")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    client.set_cookie("gtm", "eyJwbGF5ZXIiOiJoYWNrZXIifQ.forged.signature")
    response = client.post(
        "/puzzle/69/moves",
        data={"csrf_token": token, "position": "0", "action": "guess", "guess": "Jaws"},
    )
    # A forged cookie is no session: refused before its token is judged, with no new cookie;
    # the notice travels in the redirect's query.
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200
    notice = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="notice")
    assert "nothing was changed" in notice.get_text()


def test_malformed_player_id_in_a_validly_signed_cookie_is_replaced(
    app: Flask, answer: str
) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["player"] = "<script>"
    client.get("/")
    with client.session_transaction() as session:
        assert session["player"] != "<script>"
        assert len(session["player"]) == 22


@pytest.mark.parametrize(
    "form",
    [
        {"position": "abc", "action": "guess", "guess": "Jaws"},
        {"action": "guess", "guess": "Jaws"},
        {"position": "99999999999999999999", "action": "skip"},
        {"position": "-1", "action": "skip"},
        {"position": "0", "action": "explode"},
        {"position": "0", "guess": ["a", "b"]},
        {"position": "\uff10", "action": "skip"},
        {"position": "0" * 40_000, "action": "skip"},
    ],
    ids=[
        "position-text",
        "position-missing",
        "position-huge",
        "position-negative",
        "unknown-action",
        "repeated-field",
        "position-fullwidth-digit",
        "position-40k-digits",
    ],
)
def test_malformed_forms_never_500(player: Player, form: dict[str, object]) -> None:
    """Each is refused or answered as stale: no move is stored from a malformed position."""
    headers = {"HX-Request": "true"} if player.htmx else {}
    data = {"csrf_token": player.form["csrf_token"], **form}
    response = player.client.post("/puzzle/69/moves", data=data, headers=headers)
    assert 200 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)
    player.load()
    assert len(player.outcomes) <= 1


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/puzzle/0", 404),
        ("get", "/puzzle/999999", 404),
        ("get", "/puzzle/99999999999999999999999", 404),
        ("get", f"/puzzle/{2**31}", 404),
        ("get", "/nope", 404),
        ("get", "/puzzle/69/moves", 405),
        ("post", "/", 405),
        ("post", "/puzzle/999/moves", 400),
    ],
)
def test_unknown_urls_and_methods_get_friendly_pages(
    app: Flask, answer: str, method: str, path: str, status: int
) -> None:
    client = app.test_client()
    client.get("/")  # a player: a POST without a session is refused before anything else
    response = getattr(client, method)(path)
    assert response.status_code == status
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find(id="notice").get_text(strip=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_double_submit_stores_one_guess(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    form = player.form
    data = {
        "csrf_token": form["csrf_token"],
        "position": form["position"],
        "action": "guess",
        "guess": "Lanterns Over Kyoto",
    }
    first = player.client.post(form["action_url"], data=data)
    second = player.client.post(form["action_url"], data=data)
    assert first.status_code == second.status_code == 303
    htmx_again = player.client.post(form["action_url"], data=data, headers={"HX-Request": "true"})
    assert htmx_again.headers.get("HX-Refresh") == "true"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Guess)) == 1
    player.load()
    assert player.outcomes == ["wrong"]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_unreachable_database_gets_a_friendly_503(htmx: bool) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            # Port 1 refuses connections at once: the database is "down".
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/gtm",
        }
    )
    headers = {"HX-Request": "true"} if htmx else {}
    response = app.test_client().get("/", headers=headers)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "briefly unavailable" in BeautifulSoup(body, "html.parser").find(id="notice").get_text()
    assert "Traceback" not in body and "psycopg" not in body


def test_a_move_on_a_huge_puzzle_number_is_a_404(player: Player) -> None:
    form = player.form
    headers = {"HX-Request": "true"} if player.htmx else {}
    response = player.client.post(
        "/puzzle/99999999999999999999999/moves",
        data={"csrf_token": form["csrf_token"], "position": "0", "guess": "x"},
        headers=headers,
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "position", ["\uff10", "\u0660", "+0", " 0"], ids=["fullwidth", "arabic-indic", "plus", "space"]
)
def test_a_position_is_ascii_digits_only(player: Player, position: str) -> None:
    """int() reads other scripts' digits and signs: the form's field never holds them."""
    status, html = player.send("skip", position=position)
    # A bad form is a 400 to htmx, and a redirect to the page with the message for a plain form.
    assert status == (400 if player.htmx else 303)
    assert html.find(id="notice").get_text(strip=True)
    assert player.outcomes == []
