"""Fuzzing (Hypothesis) of form fields, headers and cookies: never a 5xx, never the answer early.

Each example is a new browser that opens today's page (a session and a CSRF token), then sends
one request built from generated parts: a move with any fields, or a page with any query, under
any htmx headers and cookies (the real session cookie, a tampered one, garbage, none). Until the
player's game has ended, nothing the client sees (status, headers, decoded cookies, body) may
contain the answer's title or a link to its movie. The typeahead (/titles) is left out of that
check: it lists catalogue titles, the answer's among them, by design, for every player alike.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from guessthatmovie.extensions import db, limiter
from guessthatmovie.models import Play, Puzzle
from guessthatmovie.web.display import CONTRAST_COOKIE
from tests.catalogue import MOVIES
from tests.test_secrecy import decode_session_cookie, exposed_text

FUZZ = settings(
    max_examples=60,
    deadline=None,  # a request against PostgreSQL is not a unit of time to hold to
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI stays reproducible
)

# Header values a client can send: printable Latin-1 (HTTP forbids line breaks in them).
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60)
any_text = st.text(max_size=300)
titles = st.sampled_from([movie.title for movie in MOVIES])
CATALOGUE_LABELS = {f"{movie.title} ({movie.year})" for movie in MOVIES} | {m.title for m in MOVIES}
numbers = st.one_of(st.integers(-3, 8).map(str), st.integers().map(str), any_text)

# Mostly well-formed moves (a valid position, a real action), so that the rules run; then anything.
positions = st.one_of(st.just("0"), st.just("0"), st.integers(-3, 8).map(str), numbers)
moves = st.fixed_dictionaries(
    {
        "guess": st.one_of(titles, any_text, titles.map(str.upper), titles.map(lambda t: t[:-1])),
        "position": positions,
        "action": st.one_of(st.sampled_from(["guess", "guess", "skip", "", "SKIP"]), any_text),
    },
    optional={"movie_id": numbers, "csrf_token": any_text, "next": any_text},
)
dropped = st.sets(st.sampled_from(["guess", "position", "action"]), max_size=1)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HX-Request": st.one_of(st.sampled_from(["true", "false", ""]), header_text),
        "HX-History-Restore-Request": st.sampled_from(["true", "false"]),
        "HX-Current-URL": header_text,
        "HX-Target": header_text,
        "HX-Trigger": header_text,
        "Accept": st.sampled_from(["text/html", "*/*", "application/json", ""]),
        "Accept-Language": header_text,
        "Referer": header_text,
        "X-Forwarded-For": st.one_of(st.ip_addresses().map(str), header_text),
        "X-Forwarded-Proto": st.sampled_from(["https", "http", "gopher", ""]),
        "X-Request-ID": header_text,
        "User-Agent": header_text,
    },
)
cookie_value = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,\\"'), max_size=120
)
session_cookies = st.sampled_from(["keep", "keep", "keep", "keep", "tamper", "drop", "garbage"])


def tampered(value: str) -> str:
    """Change one character of a signed cookie's payload: its signature no longer matches."""
    index = len(value) // 3
    return value[:index] + ("A" if value[index] != "A" else "B") + value[index + 1 :]


def game_over(app: Flask, response: TestResponse, cookie: str | None) -> bool:
    """Return whether the player this response belongs to has finished today's game."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("gtm="):
            cookie = header.split(";")[0].split("=", 1)[1] or None
    if cookie is None:
        return False
    try:
        player = json.loads(decode_session_cookie(cookie)).get("player")
    except ValueError:
        return False  # garbage the server did not accept: no game
    with app.app_context():
        status = db.session.scalar(db.select(Play.status).where(Play.player_id == player))
        db.session.remove()
    return status not in (None, "playing")


def secrets_of(app: Flask) -> tuple[list[str], int]:
    """Return what must not show before the end (lower case), and the answer's movie id."""
    with app.app_context():
        movie_id = db.session.scalars(db.select(Puzzle.movie_id)).one()
    return ["the quiet harbour", "quiet harbour", f"/movies/{movie_id}"], movie_id


def assert_safe(
    app: Flask, response: TestResponse, cookie: str | None, check_secret: bool, sent: str = ""
) -> None:
    """No 5xx; and, unless the game is over, nothing of the answer anywhere in the response.

    `sent` is what the client itself sent: a guess it typed may be shown back to it.
    """
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if not check_secret or game_over(app, response, cookie):
        return
    # "Did you mean" lists catalogue titles close to what was typed, from the whole catalogue
    # whatever the day's puzzle (as the typeahead does): the answer may be one of them, as any
    # title may. Each must be a catalogue title; the rest of the response is checked without them.
    page = BeautifulSoup(body, "html.parser")
    # A misspelling's question ("Did you mean <the first of them>?") names one of them too.
    for listing in page.select(".notice-body.question, .notice-body.choice"):
        labels = {pick.get_text() for pick in listing.select(".pick")}
        assert labels and labels <= CATALOGUE_LABELS, labels
        listing.decompose()
    seen = exposed_text(response).replace(body, str(page)).lower()
    secrets, movie_id = secrets_of(app)
    for secret in secrets:
        if secret not in sent.lower():
            assert secret not in seen, secret
    assert f'"movie_id": {movie_id}' not in seen and f"movie={movie_id}" not in seen


def new_browser(app: Flask, choice: str, garbage: str, contrast: str | None) -> Any:
    """Open today's page in a new browser, then set its cookies as the example says."""
    with app.app_context():
        limiter.reset()  # the examples all come from one address: no 429 in the way
    client = app.test_client()
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("gtm")
    assert cookie is not None
    value = {"keep": cookie.value, "tamper": tampered(cookie.value), "garbage": garbage}
    if choice == "drop":
        client.delete_cookie("gtm")
    else:
        client.set_cookie("gtm", value[choice])
    if contrast is not None:
        client.set_cookie(CONTRAST_COOKIE, contrast)
    return client, value.get(choice)


def csrf_of(client: Any) -> str:
    """Return the CSRF token of the browser's session (what its page's form would carry)."""
    page = client.get("/").get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@FUZZ
@given(
    form=moves,
    sent_headers=headers,
    choice=session_cookies,
    garbage=cookie_value,
    contrast=st.none() | cookie_value,
    drop=dropped,
    real_token=st.sampled_from([True, True, True, False]),
    number=st.one_of(st.just(69), st.just(69), st.just(69), st.integers(0, 2**31 - 1)),
)
def test_fuzzed_moves_never_fail_or_leak(
    app: Flask,
    answer: str,
    form: dict[str, str],
    sent_headers: dict[str, str],
    choice: str,
    garbage: str,
    contrast: str | None,
    drop: set[str],
    real_token: bool,
    number: int,
) -> None:
    client, cookie = new_browser(app, choice, garbage, contrast)
    form = {name: value for name, value in form.items() if name not in drop}
    if real_token and choice == "keep":
        form = {**form, "csrf_token": csrf_of(client)}
    response = client.post(f"/puzzle/{number}/moves", data=form, headers=sent_headers)
    event(f"move answered {response.status_code}")
    sent = " ".join([*form.values(), *sent_headers.values()])
    assert_safe(app, response, cookie, check_secret=True, sent=sent)
    # And the page the player sees next.
    assert_safe(app, client.get("/", headers=sent_headers), cookie, check_secret=True, sent=sent)


@FUZZ
@given(
    path=st.sampled_from(
        ["/", "/puzzle/69", "/puzzle/1", "/stats", "/archive", "/titles", "/r/69/xso"]
    ),
    query=st.dictionaries(
        st.sampled_from(["guess", "page", "q", "next", "number", "_"]), any_text, max_size=3
    ),
    sent_headers=headers,
    choice=session_cookies,
    garbage=cookie_value,
    contrast=st.none() | cookie_value,
)
def test_fuzzed_pages_never_fail_or_leak(
    app: Flask,
    answer: str,
    path: str,
    query: dict[str, str],
    sent_headers: dict[str, str],
    choice: str,
    garbage: str,
    contrast: str | None,
) -> None:
    client, cookie = new_browser(app, choice, garbage, contrast)
    response = client.get(path, query_string=query, headers=sent_headers)
    event(f"{path} answered {response.status_code}")
    sent = " ".join([*query.values(), *sent_headers.values()])
    assert_safe(app, response, cookie, check_secret=path != "/titles", sent=sent)


@pytest.fixture(autouse=True)
def _today_is_puzzle_69(clock: Any) -> None:
    """The tests' clock (2026-03-10) makes today's puzzle number 69: check it stays so."""
    assert (clock.now.date() - date(2026, 1, 1)).days + 1 == 69
