"""A foreign page never touches a player's identity: forms from elsewhere, large texts, odd
digits, forged-token floods, and a code redeemed while the device finishes its game."""

from __future__ import annotations

import random
import string
import threading
import time

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from guessthatmovie.extensions import db
from guessthatmovie.game import transfer as transfer_core
from guessthatmovie.models import Play, PuzzleResultCount
from tests.conftest import Player
from tests.test_transfer import Device

COOKIE = "gtm"
POST_ROUTES = ["/puzzle/69/moves", "/transfer/code", "/transfer/redeem", "/settings/contrast"]
MOVE = {"position": "0", "guess": "Jaws", "action": "guess"}


def session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie is not None else None


def token_of(client: FlaskClient, path: str = "/") -> str:
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return str(page.find("input", attrs={"name": "csrf_token"})["value"])


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("path", POST_ROUTES)
def test_a_post_without_the_players_cookie_never_sets_one(
    app: Flask, answer: str, path: str, htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = app.test_client().post(path, data={**MOVE, "csrf_token": "x"}, headers=headers)
    assert "Set-Cookie" not in response.headers
    assert response.status_code == (403 if htmx else 303)
    if htmx:
        notice = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="notice")
        assert "nothing was changed" in notice.get_text()
    else:
        assert response.headers["Location"].endswith("?notice=foreign")


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_cross_site_form_neither_plays_nor_replaces_the_player(
    app: Flask, answer: str, htmx: bool
) -> None:
    player = Player(app.test_client(), htmx=htmx)
    player.skip()
    before = session_cookie(player.client)
    # Even with the player's cookie and a good token (as a browser ignoring SameSite would send):
    # the browser says the form came from another site.
    form = player.form
    headers = {"Sec-Fetch-Site": "cross-site", **({"HX-Request": "true"} if htmx else {})}
    response = player.client.post(
        form["action_url"],
        data={**MOVE, "position": form["position"], "csrf_token": form["csrf_token"]},
        headers=headers,
    )
    assert response.status_code == (403 if htmx else 303)
    assert "Set-Cookie" not in response.headers
    assert session_cookie(player.client) == before
    player.load()
    assert player.outcomes == ["skipped"]


def test_the_foreign_form_notice_lands_on_the_game_as_it_stands(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    player.skip()
    stranger = app.test_client()  # the request as the player's browser sends it: no cookie
    response = stranger.post("/puzzle/69/moves", data=MOVE)
    assert response.headers["Location"] == "/puzzle/69?notice=foreign"
    # The player's own browser follows the redirect with their cookie (a top-level GET).
    page = player.client.get(response.headers["Location"], follow_redirects=True)
    html = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert "nothing was changed" in html.find(id="notice").get_text()
    assert [li["data-guess"] for li in html.select("[data-guess]")] == ["skipped"]


def test_a_notice_code_in_the_query_is_only_ever_a_known_one(app: Flask, answer: str) -> None:
    response = app.test_client().get("/puzzle/69?notice=%0d%0aSet-Cookie:x")
    assert response.headers["Location"] == "/"


def random_text(alphabet: str, length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


# As long as the form's 64 KiB allow once percent-encoded (a larger body is a 413 before the app).
LONG_TEXTS = {
    "letters": random_text(string.ascii_letters, 40_000, 1),
    "cjk": random_text("".join(chr(c) for c in range(0x4E00, 0x4E00 + 2000)), 4_000, 2),
    "emoji": random_text("".join(chr(c) for c in range(0x1F600, 0x1F650)), 4_000, 3),
}


@pytest.mark.parametrize("kind", sorted(LONG_TEXTS))
def test_a_long_refused_guess_keeps_the_cookie_small(app: Flask, answer: str, kind: str) -> None:
    text = LONG_TEXTS[kind]
    player = Player(app.test_client(), htmx=False)
    status, page = player.guess(text)
    assert status == 303
    cookie = player.last.headers["Set-Cookie"]
    assert len(cookie) < 1500, len(cookie)
    # The page it leads to: what was typed, cut to the first 200 characters, and why.
    kept = page.find("input", id="guess")["value"]
    assert 0 < len(kept) <= 200 and text.startswith(kept)
    assert "longer than any title" in player.notice
    assert player.client.get("/").status_code == 200
    assert len(session_cookie(player.client) or "") < 1500


def test_an_unknown_title_with_suggestions_keeps_the_cookie_small(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    player.guess("Quiet Harbor " + "x" * 180)  # under 200 characters: unknown, with picks
    assert len(player.last.headers["Set-Cookie"]) < 1500


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/puzzle/\u0666\u0669"),  # Arabic-Indic 69
        ("get", "/puzzle/\uff16\uff19"),  # fullwidth 69
        ("get", "/puzzle/\u096c\u096f"),  # Devanagari 69
        ("post", "/puzzle/\u0666\u0669/moves"),
        ("post", "/puzzle/\uff16\uff19/moves"),
        ("get", "/r/\uff16\uff19/xo"),
    ],
)
def test_only_ascii_digits_name_a_puzzle(app: Flask, answer: str, method: str, path: str) -> None:
    client = app.test_client()
    client.get("/")
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert client.get("/puzzle/69").status_code == 302  # ASCII digits still name it


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_moves_with_a_forged_token_are_counted(app: Flask, answer: str, htmx: bool) -> None:
    app.config["GUESS_RATE_LIMIT"] = "5 per minute"
    client = app.test_client()
    client.get("/")
    headers = {"HX-Request": "true"} if htmx else {}
    statuses = [
        client.post("/puzzle/69/moves", data={**MOVE, "csrf_token": "forged"}, headers=headers)
        for _ in range(8)
    ]
    codes = [response.status_code for response in statuses]
    assert codes[:5] == [400 if htmx else 303] * 5  # judged: the expired-form notice
    assert codes[5:] == [429] * 3
    assert all("Retry-After" in response.headers for response in statuses[5:])


def test_posts_without_a_session_count_against_the_address(app: Flask, answer: str) -> None:
    app.config["GUESS_ADDRESS_LIMIT"] = "4 per minute"
    client = app.test_client()
    codes = [client.post("/puzzle/69/moves", data=MOVE).status_code for _ in range(6)]
    assert codes == [303] * 4 + [429] * 2


def counters_and_finished(app: Flask, puzzle_id: int) -> tuple[int, int]:
    with app.app_context():
        counted = db.session.scalar(
            select(func.coalesce(func.sum(PuzzleResultCount.players), 0)).where(
                PuzzleResultCount.puzzle_id == puzzle_id
            )
        )
        finished = db.session.scalar(
            select(func.count(Play.id)).where(Play.puzzle_id == puzzle_id, Play.status != "playing")
        )
        db.session.remove()
    return int(counted or 0), int(finished or 0)


def puzzle_id_of(app: Flask) -> int:
    with app.app_context():
        puzzle_id = db.session.scalar(select(Play.puzzle_id).limit(1))
        db.session.remove()
    assert puzzle_id is not None
    return int(puzzle_id)


def race_once(app: Flask, merge_has_read: threading.Event | None = None) -> None:
    """The device redeems a code while its last move of today's puzzle goes in."""
    phone, laptop = Device(app), Device(app, htmx=True)
    Player(phone.client, htmx=True).skip()  # the original player's play of today's puzzle
    code = phone.make_code()
    game = Player(laptop.client, htmx=True)
    for _ in range(5):
        game.skip()
    form = game.form
    redeem_token = token_of(laptop.client, "/stats")
    second = app.test_client()  # the same browser, another tab: the same cookie
    second.set_cookie(COOKIE, session_cookie(laptop.client) or "")
    start = threading.Barrier(2)

    def finish() -> None:
        start.wait()
        if merge_has_read is not None:
            assert merge_has_read.wait(timeout=10)
        move = {"position": form["position"], "action": "skip", "csrf_token": form["csrf_token"]}
        status = second.post(form["action_url"], data=move, headers={"HX-Request": "true"})
        assert status.status_code < 500

    def redeem() -> None:
        start.wait()
        answer = laptop.client.post(
            "/transfer/redeem", data={"code": code, "csrf_token": redeem_token}
        )
        assert answer.status_code == 303

    threads = [threading.Thread(target=finish), threading.Thread(target=redeem)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_a_redeem_racing_the_finishing_move_keeps_the_counters_true(
    app: Flask, answer: str
) -> None:
    for _ in range(40):
        race_once(app)
    counted, finished = counters_and_finished(app, puzzle_id_of(app))
    assert counted == finished


def test_a_move_finishing_between_the_merges_read_and_write_is_not_left_counted(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving the race hits now and then, made to happen every time."""
    plan = transfer_core.plan_merge
    merge_has_read = threading.Event()

    def slow_plan(*args: object) -> object:
        # The merge has read the plays: the racing move goes now, and has a second to finish
        # (it cannot while the plays are locked, and then finds its play gone).
        merge_has_read.set()
        time.sleep(1.0)
        return plan(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(transfer_core, "plan_merge", slow_plan)
    for _ in range(3):
        merge_has_read.clear()
        race_once(app, merge_has_read)
    counted, finished = counters_and_finished(app, puzzle_id_of(app))
    assert counted == finished
