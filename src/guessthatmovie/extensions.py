"""Flask extensions, created here and bound to the app in create_app()."""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so that migrations can create, compare and drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppLimiter(Limiter):
    """Flask-Limiter that starts each app it is bound to with a healthy storage."""

    def init_app(self, app: Flask) -> None:
        """Bind to an app, forgetting an outage seen by the storage of a previous app."""
        # One module-level limiter serves every app of a process (the tests build many); the
        # outage flag belongs to the storage it was raised for, which init_app replaces.
        self._storage_dead = False
        super().init_app(app)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
# Redis when REDIS_URL is set, else this process's memory; reach it through guessthatmovie.cache,
# which turns a Redis outage into a logged cache miss.
cache = Cache()
# Keyed by the client's address (the real one: ProxyFix undoes the proxy hops). With Redis gone,
# limits are counted in each worker's memory instead, and a limiter error never fails a request.
# No X-RateLimit-* headers: each would cost a second storage round trip per limited request; a
# 429 still says when to come back (Retry-After, web/errors.py).
limiter = AppLimiter(
    key_func=get_remote_address,
    in_memory_fallback_enabled=True,
    swallow_errors=True,
    headers_enabled=False,
    key_prefix="gtm",
)
