"""Flask extensions, created here and bound to the app in create_app()."""

from __future__ import annotations

import logging
import time

from flask import Flask
from flask_caching import Cache
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, RateLimiter
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


log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Limits:
    """The rate limits' storage (the `limits` library): Redis when configured, else memory.

    web/limits.py counts with it. When the shared storage fails, each worker counts in its own
    memory (`dead`), and checks every few seconds whether the storage is back. It adds nothing
    to a request that counts nothing: no hooks, no headers.
    """

    RETRY_SECONDS = 5.0

    def __init__(self) -> None:
        self.shared: RateLimiter | None = None
        self.alone = FixedWindowRateLimiter(MemoryStorage())
        self._dead_until: float | None = None

    def init_app(self, app: Flask) -> None:
        """Open the storage the app's settings name (RATELIMIT_STORAGE_URI and its options)."""
        uri = str(app.config["RATELIMIT_STORAGE_URI"])
        options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        self.alone = FixedWindowRateLimiter(MemoryStorage())
        self.shared = None
        if not uri.startswith("memory://"):
            self.shared = FixedWindowRateLimiter(storage_from_string(uri, **options))
        # One module-level object serves every app of a process (the tests build many): an
        # outage belongs to the storage it was seen on, which this replaces.
        self._dead_until = None
        app.extensions["limits"] = self

    @property
    def limiter(self) -> RateLimiter:
        """Return where counts go now: the shared storage, or this worker's memory."""
        return self.alone if self.shared is None or self.dead else self.shared

    @property
    def dead(self) -> bool:
        """Tell whether the shared storage failed and has not answered since."""
        if self._dead_until is None:
            return False
        if time.monotonic() < self._dead_until:
            return True
        assert self.shared is not None
        try:
            alive = bool(self.shared.storage.check())
        except Exception:  # a storage still away answers its check with an error
            alive = False
        if alive:
            log.info("Rate limit storage recovered")
            self._dead_until = None
            return False
        self._dead_until = time.monotonic() + self.RETRY_SECONDS
        return True

    def failed(self) -> None:
        """Note that the shared storage failed: count in memory, and look again in a while."""
        self._dead_until = time.monotonic() + self.RETRY_SECONDS

    def reset(self) -> None:
        """Forget every count (tests: each starts with none against its client)."""
        for limiter in (self.shared, self.alone):
            if limiter is not None:
                limiter.storage.reset()


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
# Redis when REDIS_URL is set, else this process's memory; reach it through guessthatmovie.cache,
# which turns a Redis outage into a logged cache miss.
cache = Cache()
# Moves, searches and transfer codes are counted per client (web/limits.py); with Redis gone,
# in each worker's memory instead, and a storage error never fails a request. No X-RateLimit-*
# headers: a 429 says when to come back (Retry-After, web/errors.py).
limiter = Limits()
