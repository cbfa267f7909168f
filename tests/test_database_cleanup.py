"""A run drops every PostgreSQL database it made, when its tests fail and when it is stopped.

Collected in the PostgreSQL run only (conftest.py): SQLite's databases are files in pytest's
temporary folders. The run checked here is a pytest of its own, with a prefix of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from guessthatmovie.config import PROJECT_ROOT, normalise_database_url
from tests.databases import TEST_DB_PREFIX, postgres_admin_url

RUN = """
import pytest

from tests.databases import fresh_database_url


@pytest.fixture(scope="session")
def session_database(tmp_path_factory):
    return fresh_database_url(tmp_path_factory.mktemp("db"), "_session")


def test_fails_after_making_two(session_database, tmp_path):
    fresh_database_url(tmp_path, "_failed")
    assert False, "this test fails on purpose"


@pytest.fixture
def broken(tmp_path):
    fresh_database_url(tmp_path, "_errored")
    raise RuntimeError("this fixture errors on purpose")


def test_errors_in_its_fixture(broken):
    pass


def test_stops_the_run(tmp_path):
    fresh_database_url(tmp_path, "_stopped")
    pytest.exit("stopped midway, as Ctrl-C would")


def test_never_runs(tmp_path):
    fresh_database_url(tmp_path, "_never")
"""


def databases_named(admin_url: str, prefix: str) -> list[str]:
    """Return the server's databases whose names start with `prefix`."""
    engine = sa.create_engine(admin_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"),
                {"p": prefix},
            )
            return sorted(rows.scalars())
    finally:
        engine.dispose()


def test_a_failing_and_stopped_run_leaves_no_database(tmp_path: Path) -> None:
    prefix = f"{TEST_DB_PREFIX}_cleanup_{uuid.uuid4().hex[:8]}"
    (tmp_path / "test_leaves_nothing.py").write_text(RUN)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.databases", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=PROJECT_ROOT, env={**os.environ, "GTM_TEST_DB_PREFIX": prefix},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.INTERRUPTED, output
    assert "1 failed, 1 error" in output and "stopped midway" in output, output
    made = [f"{prefix}_session", f"{prefix}_failed", f"{prefix}_errored", f"{prefix}_stopped"]
    dropped = next(line for line in output.splitlines() if line.startswith("Dropped the run's"))
    assert sorted(dropped.split(": ", 1)[1].split(", ")) == sorted(made)
    admin = postgres_admin_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    assert databases_named(admin, prefix) == []
