"""Configuration read from the environment and checked at start-up."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from guessthatmovie import create_app
from guessthatmovie.config import ConfigError, database_url, from_environment
from tests.conftest import Player


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_environment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {
        "DATABASE_URL": "postgres://u@db.example/gtm",
        "SECRET_KEY": "s",
        "GAME_ATTEMPTS": "8",
        "GAME_TIMEZONE": "Europe/Paris",
        "GAME_LAUNCH_DATE": "2026-02-01",
    }
    settings = from_environment(environ)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/gtm"
    assert settings["GAME_ATTEMPTS"] == 8
    assert settings["GAME_TIMEZONE"] == "Europe/Paris"
    assert settings["GAME_LAUNCH_DATE"] == date(2026, 2, 1)
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_default_database_is_sqlite_under_instance() -> None:
    url = database_url({})
    assert url.startswith("sqlite:///") and url.endswith("/instance/guessthatmovie.db")


@pytest.mark.parametrize(
    ("override", "message"),
    [({"GAME_ATTEMPTS": 1}, "GAME_ATTEMPTS"), ({"GAME_TIMEZONE": "Mars/Base"}, "GAME_TIMEZONE")],
)
def test_bad_game_settings_are_refused(override: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **override})


def test_attempts_are_configurable(app: Flask, answer: str) -> None:
    app.config["GAME_ATTEMPTS"] = 3
    player = Player(app.test_client(), htmx=False)
    assert player.attempts_left == 3
    player.skip()
    player.skip()
    player.skip()
    assert player.page.find(attrs={"data-result": True})["data-result"] == "lost"
