"""Answers that shared caches may keep never carry the player's cookie (or any cookie)."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from guessthatmovie.web.sessions import REFRESH_AFTER_SECONDS

PUBLIC = [
    pytest.param("/titles?guess=qui", {"HX-Request": "true"}, id="typeahead-fragment"),
    pytest.param("/r/69/xso.png", {}, id="result-picture"),
    pytest.param("/icons/icon-192.png", {}, id="icon"),
    pytest.param("/icons/icon-192.png?v=old", {}, id="icon-old-version"),
]


@pytest.mark.parametrize(("path", "headers"), PUBLIC)
def test_public_answers_set_no_cookie(
    app: Flask, answer: str, path: str, headers: dict[str, str]
) -> None:
    client = app.test_client()
    assert client.get("/").headers.get("Set-Cookie")  # a player with a session cookie
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_a_page_refreshes_the_session_once_a_day(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Private answers keep the session alive: a cookie signed a day ago is sent again."""
    client = app.test_client()
    assert client.get("/").headers["Set-Cookie"].startswith("gtm=")
    response = client.get("/stats")
    assert "private" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # signed moments ago: nothing to refresh
    later = time.time() + REFRESH_AFTER_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
    refreshed = client.get("/stats")
    assert refreshed.headers["Set-Cookie"].startswith("gtm=")
    monkeypatch.setattr(time, "time", lambda: later + 60)
    assert "Set-Cookie" not in client.get("/stats").headers  # the new cookie is fresh again
