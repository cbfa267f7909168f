"""Which cases touch SQL (or Redis): marked `sql`, they run on SQLite and again on PostgreSQL.

The rest (the pure core, the shape of the code, the deploy files) run once, in the SQLite run:
on PostgreSQL they would do exactly the same. `make test-postgres` selects `-m sql`.

The rule is automatic, so a new test file needs no marker. A case touches SQL when
- it uses, directly or through its fixtures, `database_url` or `redis_url` (the `app`, `client`,
  `catalogue`, `answer` and `player` fixtures all do), or
- its module, or the function of any fixture it uses, mentions what makes or names a test
  database or Redis: see TELLING (a fixture or a test making its own database, or reading the
  run's settings).
A case classified as not touching SQL that makes a test database or asks for the run's Redis
anyway fails at once (expect_sql): the rule is checked on every run, not trusted.
tests/test_run_split.py checks that the two runs together collect every case.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

MARKER = "sql"
FIXTURES = {"database_url", "redis_url"}
# The settings that make the PostgreSQL run differ from the SQLite run (the Makefile sets them).
RUN_SETTINGS = ("TEST_DATABASE_URL", "TEST_DB_KIND", "TEST_REDIS_URL")
TELLING = ("fresh_database_url", "recreate_postgres_database", *FIXTURES, *RUN_SETTINGS)

# Whether the case running now is marked `sql` (None between cases, in session set-up).
running_sql: bool | None = None


@cache
def mentions(source_of: Callable[..., Any] | Any) -> bool:
    """Return whether a module's or a function's source mentions a test database or Redis."""
    try:
        source = inspect.getsource(source_of)
    except (OSError, TypeError):
        return True  # unreadable: count it as touching, never as free
    return any(word in source for word in TELLING)


def touches_sql(item: pytest.Item) -> bool:
    """Return whether a collected case touches SQL or Redis, by the rule above."""
    if FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    if module is None or mentions(module):
        return True
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    return any(mentions(fixture.func) for chain in definitions for fixture in chain)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (the suite runs with --strict-markers)."""
    config.addinivalue_line(
        "markers", f"{MARKER}: touches SQL or Redis (tests/touches_sql.py): runs on both databases"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every case that touches SQL, before `-m` selects."""
    for item in items:
        if touches_sql(item):
            item.add_marker(MARKER)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note whether the case about to run (and its fixtures' set-up) may touch SQL."""
    global running_sql
    running_sql = item.get_closest_marker(MARKER) is not None


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    global running_sql
    running_sql = None


def expect_sql(what: str) -> None:
    """Fail a case classified as not touching SQL that reaches for a test database or Redis."""
    if running_sql is False:
        pytest.fail(
            f"{what}, but tests/touches_sql.py classified this case as not touching SQL, so the "
            "PostgreSQL run leaves it out: use the database_url fixture (or fresh_database_url "
            "in the test module) so that the rule sees it",
            pytrace=False,
        )
