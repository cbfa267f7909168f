"""Where a request's reads run: outside a transaction, when nothing it writes needs one.

A page only reads, and a move on PostgreSQL writes one statement, atomic alone: their reads need
no transaction, and outside one they need no BEGIN and no ROLLBACK or COMMIT, round trips the
database would otherwise cost each request. The connection is set so when the first read takes
it, not before: a request that reads nothing (a refusal answered from the worker's memos) takes
no connection at all.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from guessthatmovie.extensions import db

_OUTSIDE = "reads_outside_transactions"


def outside_transactions() -> None:
    """Let this request's reads run outside a transaction (its session ends with the request)."""
    db.session().info[_OUTSIDE] = True


def reading() -> Session:
    """Return the request's session, outside a transaction if asked and none has begun."""
    session = db.session()
    if session.info.get(_OUTSIDE) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session


def outside(session: Session) -> bool:
    """Tell whether the session's transaction-less connection is what its statements run on."""
    options = session.connection().get_execution_options()
    return bool(options.get("isolation_level") == "AUTOCOMMIT")
