"""Pooled connections are pinged before use only after sitting idle; a dead one is replaced."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from guessthatmovie import pings
from guessthatmovie.extensions import db


class Ticking:
    """A stand-in for time.monotonic that the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def use_once(app: Flask) -> Any:
    """Run one statement as a request would; return the DBAPI connection it ran on."""
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        dbapi_connection = db.session.connection().connection.dbapi_connection
        db.session.remove()
    return dbapi_connection


def test_only_an_idle_connection_is_pinged_and_a_dead_one_is_replaced(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Ticking()
    monkeypatch.setattr(pings.time, "monotonic", clock)
    with app.app_context():
        engine = db.engine
    engine.dispose()  # start from an empty pool, on the ticking clock
    dialect = engine.dialect
    pinged: list[Any] = []
    ping = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pinged.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)

    first = use_once(app)  # a new connection: just made, not pinged
    clock.now += 0.5
    assert use_once(app) is first and pinged == []  # used half a second ago: not pinged
    clock.now += pings.IDLE_SECONDS
    assert use_once(app) is first and pinged == [first]  # idle for a second: pinged

    def dead(dbapi_connection: Any) -> bool:
        pinged.append(dbapi_connection)
        raise dialect.loaded_dbapi.OperationalError("server closed the connection")

    monkeypatch.setattr(dialect, "do_ping", dead)
    clock.now += pings.IDLE_SECONDS
    replacement = use_once(app)  # the ping fails: the request runs on a new connection
    assert pinged[-1] is first and replacement is not first
