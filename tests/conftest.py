"""Fixtures: a fresh schema per session (built by the migrations), a clean slate per test."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.extensions import db, limiter
from guessthatmovie.game import titles
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.catalogue import MOVIES
from tests.databases import TEST_DB_PREFIX, fresh_database_url
from tests.databases import postgres_admin_url as postgres_admin_url  # where tests import them
from tests.databases import recreate_postgres_database as recreate_postgres_database
from tests.touches_sql import expect_sql

LAUNCH = date(2026, 1, 1)

# CI's rule for skips (tests/ci_skips.py); every database a run makes is dropped at its end
# (tests/databases.py); the cases that touch SQL are marked `sql` (tests/touches_sql.py).
pytest_plugins = ["tests.ci_skips", "tests.databases", "tests.touches_sql"]

# Roles, and dropping the databases a run made, are PostgreSQL's: their tests are collected only
# in the PostgreSQL run (not skipped).
collect_ignore = (
    [] if os.environ.get("TEST_DATABASE_URL") else ["test_app_role.py", "test_database_cleanup.py"]
)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def alembic_config(url: str) -> Config:
    """Return an Alembic config aimed at `url`."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the test schema once, through the real migrations."""
    url = fresh_database_url(tmp_path_factory.mktemp("db"), "")
    command.upgrade(alembic_config(url), "head")
    return url


def reachable_test_redis_url() -> str | None:
    """Return the Redis the PostgreSQL run plays against (TEST_REDIS_URL), checked to answer."""
    expect_sql("it asks for the run's Redis")
    url = os.environ.get("TEST_REDIS_URL") or None
    if url is None:
        if os.environ.get("CI") == "true" and os.environ.get("TEST_DB_KIND") == "postgresql":
            pytest.fail("CI runs the PostgreSQL suite against Redis, but TEST_REDIS_URL is not set")
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        pytest.fail(f"TEST_REDIS_URL {url} is unreachable: {error}", pytrace=False)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    """The real Redis of this run, or None (the SQLite run uses in-process cache and limits)."""
    return reachable_test_redis_url()


@dataclass
class Clock:
    """A clock the tests move by hand."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 10, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock, redis_url: str | None) -> Iterator[Flask]:
    app = create_app(
        {
            "REDIS_URL": redis_url,
            # Our own keys in the shared test Redis, so that parallel runs do not meet.
            "CACHE_KEY_PREFIX": f"{TEST_DB_PREFIX}:cache:",
            # ...and our own rate-limit counters, which limiter.reset() below clears alone.
            "RATELIMIT_STORAGE_OPTIONS": {
                "socket_timeout": 0.5,
                "socket_connect_timeout": 0.5,
                "key_prefix": f"{TEST_DB_PREFIX}:limits",
            },
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CLOCK": clock,
            "GAME_LAUNCH_DATE": LAUNCH,
            "GAME_TIMEZONE": "UTC",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        catalogue_queries.forget_title_entries()
        limiter.reset()  # every test starts with no moves counted against its client
    yield app
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def catalogue(app: Flask) -> None:
    """Load the small test catalogue."""
    with app.app_context():
        catalogue_import.load_movies(MOVIES)


@pytest.fixture
def answer(app: Flask, catalogue: None, clock: Clock) -> str:
    """Schedule "The Quiet Harbour" as today's puzzle and return its title."""
    with app.app_context():
        movie = catalogue_queries.movies_matching(titles.parse_guess("The Quiet Harbour"))[0]
        puzzles.set_puzzle(clock.now.date(), movie, LAUNCH, clock.now)
    return "The Quiet Harbour"


class Player:
    """A browser stand-in: reads the form from the last page and submits it like a player."""

    def __init__(self, client: FlaskClient, htmx: bool) -> None:
        self.client = client
        self.htmx = htmx
        self.page = self.load()

    def load(self, path: str = "/") -> BeautifulSoup:
        response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        self.raw = response.get_data(as_text=True)
        self.page = BeautifulSoup(self.raw, "html.parser")
        return self.page

    @property
    def form(self) -> dict[str, str]:
        form = self.page.find("form", id="guess-form")
        assert form is not None, "no guess form on the page"
        return {
            "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
            "position": form.find("input", attrs={"name": "position"})["value"],
            "action_url": form["action"],
        }

    def send(self, action: str, text: str = "", **overrides: str) -> tuple[int, BeautifulSoup]:
        form = self.form
        data = {"csrf_token": form["csrf_token"], "position": form["position"], "action": action}
        data["guess"] = text
        data.update(overrides)
        headers = {"HX-Request": "true"} if self.htmx else {}
        response = self.client.post(form["action_url"], data=data, headers=headers)
        self.last = response
        html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if self.htmx:
            assert "HX-Request" in response.headers.get("Vary", "")
            self.load()  # the page as the server now sees it; the fragment is returned
        elif response.status_code == 303:
            # Post/Redirect/Get, refusals too: what the player sees is the page it leads to.
            html = self.load(response.headers["Location"])
        else:
            self.page = html
        return response.status_code, html

    @property
    def refused(self) -> int:
        """Return the status of a refused move: 422 to htmx, 303 to the page for a plain form."""
        return 422 if self.htmx else 303

    def guess(self, text: str) -> tuple[int, BeautifulSoup]:
        return self.send("guess", text)

    def skip(self) -> tuple[int, BeautifulSoup]:
        return self.send("skip")

    @property
    def attempts_left(self) -> int:
        return int(self.page.find(attrs={"data-attempts-left": True})["data-attempts-left"])

    @property
    def outcomes(self) -> list[str]:
        return [li["data-guess"] for li in self.page.select("[data-guess]")]

    @property
    def notice(self) -> str:
        node = self.page.find(id="notice")
        return re.sub(r"\s+", " ", node.get_text(" ", strip=True)) if node else ""


@pytest.fixture(params=[False, True], ids=["no-js", "htmx"])
def player(request: pytest.FixtureRequest, app: Flask, answer: str) -> Player:
    """A player of today's puzzle, once with plain forms and once through htmx."""
    return Player(app.test_client(), htmx=request.param)
