"""Statements built once and compiled once per worker, run by their SQL as it stands.

SQLAlchemy 2.0 caches no INSERT .. ON CONFLICT (its PostgreSQL and SQLite `Insert` are not
cacheable): a finishing move compiled its counters' upsert every time. And a statement it does
cache still pays for its cache key and its results' processing on every run. A statement run
here is compiled on its first run and then handed to the driver as it is.

Only for parameters the driver takes as they are: on SQLite, integers and strings (its dates
need SQLAlchemy's conversion); on PostgreSQL (psycopg), those and dates with their zone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

# (statement, dialect) -> its SQL, the parameters it binds itself, and their order if positional.
_COMPILED: dict[tuple[int, str], tuple[str, dict[str, Any], tuple[str, ...] | None]] = {}


def run(session: Session, statement: Any, params: dict[str, Any]) -> list[Row[Any]]:
    """Run a statement built once (a module's constant) with `params`; return its rows."""
    connection = session.connection()
    dialect = connection.dialect
    key = (id(statement), dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        found = _COMPILED[key] = (str(compiled), dict(compiled.params), order)
    sql, defaults, order = found
    values = {**defaults, **params}
    bound: Any = values if order is None else tuple(values[name] for name in order)
    result = connection.exec_driver_sql(sql, bound)
    return list(result.all()) if result.returns_rows else []
