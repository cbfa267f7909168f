"""Configuration read from the environment and checked at start-up."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from guessthatmovie import create_app
from guessthatmovie.config import (
    PROJECT_ROOT,
    SETTINGS,
    ConfigError,
    database_url,
    from_environment,
)
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


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("GAME_ATTEMPTS", "six", "a whole number from 2 to 20, not 'six'"),
        ("GAME_LAUNCH_DATE", "1 Jan 2026", "a day written YYYY-MM-DD, not '1 Jan 2026'"),
        ("REDIS_SOCKET_TIMEOUT", "soon", "a number of seconds above 0 and at most 10"),
        ("WEB_CONCURRENCY", "2.5", "a whole number from 1, not '2.5'"),
        ("SESSION_COOKIE_SECURE", "maybe", "one of 1, true, yes, on or 0, false, no, off"),
        ("TRUSTED_HOSTS", " , ", "host names, comma-separated"),
    ],
)
def test_unreadable_values_name_the_setting_and_what_it_expects(
    name: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        from_environment({name: value})
    assert str(refused.value) == f"{name} must be {expected}" + (
        "." if expected.endswith("'") else f", not {value!r}."
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("GAME_ATTEMPTS", "40", "GAME_ATTEMPTS must be a whole number from 2 to 20, not 40."),
        ("CATALOGUE_LANGUAGE", "eng", "CATALOGUE_LANGUAGE must be a two-letter code such as en"),
        ("SEARCH_RATE_LIMIT", "many", "SEARCH_RATE_LIMIT must be a rate limit in limits notation"),
        ("REDIS_URL", "http://:hunter2@cache/", "not 'http://:***@cache/'."),
    ],
)
def test_values_that_fail_their_check_stop_the_start(name: str, value: str, expected: str) -> None:
    config = {**from_environment({name: value}), "TESTING": True}
    with pytest.raises(ConfigError) as refused:
        create_app(config)
    assert expected in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_secret_key_is_never_repeated() -> None:
    with pytest.raises(ConfigError) as refused:
        create_app({"SECRET_KEY": 12345, "TESTING": True})
    assert str(refused.value) == "SECRET_KEY must be a long random value, not the value given."


def test_blank_variables_take_the_defaults() -> None:
    blank = {setting.name: " " for setting in SETTINGS}
    assert from_environment(blank) == from_environment({})


def test_a_bad_setting_stops_a_command_without_a_traceback(tmp_path: Path) -> None:
    environ = {**os.environ, "GTM_INSTANCE_PATH": str(tmp_path), "GAME_TIMEZONE": "Mars/Base"}
    environ.pop("SECRET_KEY", None)
    environ["FLASK_DEBUG"] = "1"
    flask = Path(sys.executable).with_name("flask")
    run = subprocess.run(
        [flask, "--app", "guessthatmovie", "routes"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "GAME_TIMEZONE must be an IANA timezone such as Europe/Paris, not 'Mars/Base'." in (
        run.stderr
    )


# Read by gunicorn.conf.py alone; WEB_CONCURRENCY's default there (2 x CPUs + 1) is Gunicorn's.
GUNICORN_ONLY = {"GUNICORN_BIND"}
GUNICORN_DEFAULTS = {"WEB_CONCURRENCY"}


def documented_settings() -> dict[str, str]:
    """Return docs/operations.md's table of settings: each variable and its default's cell."""
    text = (PROJECT_ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]*) \|", text, flags=re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_the_operations_doc_lists_every_setting_with_its_default() -> None:
    documented = documented_settings()
    assert set(documented) == {setting.name for setting in SETTINGS} | GUNICORN_ONLY
    for setting in SETTINGS:
        shown = isinstance(setting.default, str | int | float | date)
        shown = shown and not isinstance(setting.default, bool) and not setting.secret
        if shown and setting.name not in GUNICORN_DEFAULTS:
            assert documented[setting.name] == f"`{setting.default}`", setting.name
