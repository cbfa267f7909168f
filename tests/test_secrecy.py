"""The answer never reaches the client before the game ends: bodies, headers, cookies."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date

from flask import Flask
from werkzeug.test import TestResponse

from guessthatmovie.extensions import db
from guessthatmovie.game.titles import parse_guess
from guessthatmovie.models import Puzzle
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.conftest import Clock, Player


def decode_session_cookie(value: str) -> str:
    """Decode Flask's signed (not encrypted) session cookie the way any player could."""
    compressed = value.startswith(".")  # itsdangerous marks zlib-compressed payloads with a dot
    payload = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        data = zlib.decompress(data)
    return data.decode()


def exposed_text(response: TestResponse) -> str:
    """Everything a client sees of a response: status line, headers, decoded cookies and body."""
    parts = [str(response.status_code), response.get_data(as_text=True)]
    for name, value in response.headers.items():
        parts.append(f"{name}: {value}")
        if name == "Set-Cookie":
            cookie = value.split(";")[0].split("=", 1)[1]
            if cookie:
                parts.append(decode_session_cookie(cookie))
    return "\n".join(parts)


def test_a_lost_game_never_shows_the_answer_before_the_end(
    app: Flask, answer: str, player: Player
) -> None:
    with app.app_context():
        puzzle = db.session.scalars(db.select(Puzzle)).one()
        secrets = {answer.lower(), "quiet harbour", f"/movies/{puzzle.movie_id}"}
        movie_id = str(puzzle.movie_id)
    responses = [player.client.get("/")]
    moves = [("guess", "Lanterns Over Kyoto"), ("skip", ""), ("guess", "nonsense title zz")]
    moves += [("guess", "Glass Meridian (2016)"), ("skip", ""), ("guess", "Spider-Moth")]
    moves += [("skip", "")]
    for action, text in moves:
        player.send(action, text)
        responses.append(player.last)
        responses.append(player.client.get("/"))
        if player.page.find(attrs={"data-result": True}):
            break
    before_end, at_end = responses[:-2], responses[-2:]
    assert len(before_end) >= 10
    for response in before_end:
        seen = exposed_text(response).lower()
        for secret in secrets:
            assert secret not in seen
        assert f'"movie_id": {movie_id}' not in seen and f"movie={movie_id}" not in seen
    # The decoded cookie holds only the player id and the CSRF token.
    cookie = player.client.get_cookie("gtm")
    assert cookie is not None
    assert set(json.loads(decode_session_cookie(cookie.value))) <= {
        "player",
        "csrf_token",
        "_permanent",
    }
    # At the end, the answer is shown.
    assert "The Quiet Harbour" in at_end[-1].get_data(as_text=True)
    assert player.page.find(attrs={"data-result": True})["data-result"] == "lost"


def test_snippets_are_redacted_on_the_page(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    for _ in range(5):
        player.skip()
    cards = player.page.select('[data-clue="review"]')
    assert len(cards) == 5
    texts = [card.get_text(" ", strip=True) for card in cards]
    # The test snippets name the title in the 2nd and 4th of these five.
    assert ["▇▇▇▇" in text for text in texts] == [False, True, False, True, False]
    assert all("quiet harbour" not in text.lower() for text in texts)


def test_future_puzzles_are_not_reachable(app: Flask, answer: str, clock: Clock) -> None:
    client = app.test_client()
    with app.app_context():
        movie = catalogue_queries.movies_matching(parse_guess("Spider-Moth"))[0]
        puzzles.set_puzzle(date(2026, 3, 11), movie, date(2026, 1, 1), clock.now)
    assert client.get("/puzzle/70").status_code == 404
    token = Player(client, htmx=False).form["csrf_token"]
    response = client.post(
        "/puzzle/70/moves", data={"csrf_token": token, "position": "0", "action": "skip"}
    )
    assert response.status_code == 404
    assert "Spider-Moth" not in response.get_data(as_text=True)


def test_stats_archive_and_figures_never_show_an_unfinished_answer(
    app: Flask, answer: str, clock: Clock
) -> None:
    """Mid-game (today's, and an archive game): /stats and /archive, plain and htmx, say nothing."""
    with app.app_context():
        yesterday = catalogue_queries.movies_matching(parse_guess("Spider-Moth"))[0]
        puzzles.set_puzzle(date(2026, 3, 9), yesterday, date(2026, 1, 1), clock.now)
    secrets = {"quiet harbour", "spider-moth", "spider moth", "spidermoth"}
    # Someone else finished both: the figures exist, and still must not leak a thing.
    other = Player(app.test_client(), htmx=False)
    other.guess("The Quiet Harbour")
    other.load("/puzzle/68")
    other.guess("Spider-Moth")
    player = Player(app.test_client(), htmx=False)
    player.guess("Lanterns Over Kyoto")
    player.load("/puzzle/68")  # an archive game, left unfinished
    player.skip()
    responses = []
    for path in ("/stats", "/archive", "/puzzle/68", "/"):
        for headers in ({}, {"HX-Request": "true"}):
            responses.append(player.client.get(path, headers=headers))
    assert all(response.status_code == 200 for response in responses)
    for response in responses:
        seen = exposed_text(response).lower()
        for secret in secrets:
            assert secret not in seen, (response.request.path, secret)
    # The guesses this player made are theirs to see on the game page, never in shared figures.
    stats_page = responses[0].get_data(as_text=True)
    assert "Lanterns" not in stats_page


def test_a_result_link_of_today_tells_nothing_of_the_answer(app: Flask, answer: str) -> None:
    """The shared link, its page and its picture, seen by players who have not finished."""
    winner = Player(app.test_client(), htmx=False)
    winner.guess("Lanterns Over Kyoto")
    winner.guess(answer)
    box = winner.page.find("textarea", attrs={"data-share-text": True})
    link = str(box.string).split("\n")[-1]
    assert link == "http://localhost/r/69/xo"
    with app.app_context():
        movie_id = str(db.session.scalars(db.select(Puzzle)).one().movie_id)
    newcomer = app.test_client()
    mid_game = Player(app.test_client(), htmx=False)
    mid_game.skip()
    for client in (newcomer, mid_game.client):
        for path in ("/r/69/xo", "/r/69/xo.png", "/r/69/xxxxxx", "/r/69/xxxxxx.png"):
            response = client.get(path)
            assert response.status_code == 200, path
            if path.endswith(".png"):  # the picture: its headers, and no title in its bytes
                seen = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).lower()
                assert b"harbour" not in response.data.lower()
            else:
                seen = exposed_text(response).lower()
            for secret in ("quiet harbour", "quiet", "harbour", f"/movies/{movie_id}"):
                assert secret not in seen, (path, secret)
            assert f"movie={movie_id}" not in seen
