"""The test databases: each run makes its own (`gtm_test…`) and drops every one at its end.

fresh_database_url notes each PostgreSQL database it makes; when the session finishes (every test
and fixture done, failed, errored or stopped by `pytest.exit` or Ctrl-C) they are all dropped,
WITH (FORCE) since a server a test started may still hold a connection. A database that cannot be
dropped fails the run, naming it. tests/test_database_cleanup.py checks this in a run of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from guessthatmovie.config import normalise_database_url
from tests.touches_sql import expect_sql

# Parallel checkouts on one machine set GTM_TEST_DB_PREFIX so their PostgreSQL databases differ.
TEST_DB_PREFIX = os.environ.get("GTM_TEST_DB_PREFIX", "gtm_test")

# The URLs of the PostgreSQL databases this process made, in the order it made them.
made: list[str] = []
# What the end of the session did with them: the names dropped, and the errors.
dropped: list[str] = []
left: list[str] = []


def postgres_admin_url(url: str) -> str:
    """Return the URL of the server's maintenance database, to create and drop test databases."""
    return sa.engine.make_url(url).set(database="postgres").render_as_string(hide_password=False)


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database a PostgreSQL URL names; fail loudly if the server is down."""
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(postgres_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def fresh_database_url(tmp_path: Path, name: str) -> str:
    """Return the URL of a new empty database: PostgreSQL if TEST_DATABASE_URL names one."""
    name = TEST_DB_PREFIX + name
    expect_sql(f"it makes the test database {name}")
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI") == "true" and os.environ.get("TEST_DB_KIND") == "postgresql":
            pytest.fail("CI asked for PostgreSQL but TEST_DATABASE_URL is not set")
        return f"sqlite:///{tmp_path / (name + '.db')}"
    url = normalise_database_url(base)
    url = sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
    if url not in made:
        made.append(url)  # noted first: a failed CREATE may still have left it
    recreate_postgres_database(url)
    return url


def drop_made_databases() -> None:
    """Drop every database this process made (once each), noting which went and which did not."""
    while made:
        url = made.pop()
        name = sa.engine.make_url(url).database or ""
        admin = sa.create_engine(postgres_admin_url(url), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            dropped.append(name)
        except sa.exc.SQLAlchemyError as error:
            left.append(f"{name}: {str(error).splitlines()[0]}")
        finally:
            admin.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the run's databases after its last test; a database left behind fails the run."""
    drop_made_databases()
    if left and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which test databases the run dropped, and which it could not."""
    if dropped:
        terminalreporter.write_line(f"Dropped the run's test databases: {', '.join(dropped)}")
    for line in left:
        terminalreporter.write_line(f"LEFT BEHIND (could not drop) {line}", red=True)
