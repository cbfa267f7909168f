"""The web workers' PostgreSQL role (store/app_role.py): a game plays, the schema stays shut."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.store import app_role, puzzles
from guessthatmovie.store import catalogue as catalogue_queries
from tests.catalogue import MOVIES
from tests.conftest import LAUNCH, Player, alembic_config, fresh_database_url, postgres_admin_url

PASSWORD = "app-role-test-password"


@pytest.fixture
def owner_url(tmp_path: Path) -> str:
    """A migrated PostgreSQL database with today's puzzle, as its owner sees it."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("roles are PostgreSQL's: this runs in the PostgreSQL run (TEST_DATABASE_URL)")
    url = fresh_database_url(tmp_path, "app_role")
    command.upgrade(alembic_config(url), "head")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        catalogue_import.load_movies(MOVIES)
        movie = catalogue_queries.movies_matching(titles.parse_guess("The Quiet Harbour"))[0]
        puzzles.set_puzzle(datetime.now(UTC).date(), movie, LAUNCH, datetime.now(UTC))
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture
def role(owner_url: str) -> Iterator[str]:
    """A role name of this test's own (roles are shared by every database of the server)."""
    name = f"gtm_app_test_{uuid.uuid4().hex[:8]}"
    yield name
    database = sa.engine.make_url(owner_url).database
    admin = app_role._libpq_url(postgres_admin_url(owner_url))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def as_role(owner_url: str, role: str, password: str = PASSWORD) -> str:
    url = sa.engine.make_url(owner_url).set(username=role, password=password, host="127.0.0.1")
    return url.render_as_string(hide_password=False)


def test_the_app_plays_a_game_as_its_role(owner_url: str, role: str) -> None:
    """Every read and write a game makes is allowed to the role."""
    app_role.grant_app_role(owner_url, role, PASSWORD)
    url = as_role(owner_url, role)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
         "SESSION_COOKIE_SECURE": False, "GAME_LAUNCH_DATE": LAUNCH, "GAME_TIMEZONE": "UTC"}
    )  # fmt: skip
    player = Player(app.test_client(), htmx=False)
    player.guess("Lanterns Over Kyoto")
    player.skip()
    player.guess("The Quiet Harbour")
    assert player.outcomes == ["wrong", "skipped", "right"]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (id integer)",
        "DROP TABLE alembic_version",
        "ALTER TABLE alembic_version ADD COLUMN x integer",
        "TRUNCATE alembic_version",
        "CREATE ROLE another",
    ],
)
def test_the_role_cannot_change_the_schema(owner_url: str, role: str, statement: str) -> None:
    """DDL, TRUNCATE and role changes stay with the owner."""
    app_role.grant_app_role(owner_url, role, PASSWORD)
    with psycopg.connect(app_role._libpq_url(as_role(owner_url, role))) as connection:
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_granting_again_sets_the_new_password(owner_url: str, role: str) -> None:
    """A second run (a new password in SSM) updates the role's password, and only that."""

    def stored_password() -> str:
        with psycopg.connect(app_role._libpq_url(owner_url)) as connection:
            row = connection.execute(
                "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
            ).fetchone()
        assert row is not None and row[0].startswith("SCRAM-SHA-256$")
        return str(row[0])

    app_role.grant_app_role(owner_url, role, PASSWORD)
    first = stored_password()
    app_role.grant_app_role(owner_url, role, PASSWORD + "-rotated")
    assert stored_password() != first


def test_a_short_password_is_refused(owner_url: str, role: str) -> None:
    with pytest.raises(ValueError, match="16 characters"):
        app_role.grant_app_role(owner_url, role, "short")
