"""Ping a pooled database connection before use only if it has sat idle.

SQLAlchemy's pool_pre_ping pings on every checkout: a round trip to the database before every
request. A connection that answered a statement less than a second ago is as good as a fresh
ping, so only connections idle for longer are pinged (after a restart or a failover they all
are: the outage outlasts the second). A dead one is replaced before the request sees it.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

IDLE_SECONDS = 1.0
_LAST_USED = "gtm_last_used"


def ping_when_idle(engine: Engine, idle_seconds: float = IDLE_SECONDS) -> None:
    """Install the pings on an engine's pool (in place of pool_pre_ping)."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def connected(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is not None and time.monotonic() - last < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool throws this connection away and checks out a new one.
            raise DisconnectionError(f"stale connection: {type(error).__name__}") from error
