"""The shared cache: Redis when REDIS_URL is set, else in-process; an outage is only a cache miss.

Flask-Caching's Redis backend raises whatever redis-py raises, so every read and write goes
through here: a failure is logged, answered as a miss (the caller reads the database), and Redis
is then left alone for a few seconds, so that a hung server costs a worker one socket timeout per
interval rather than one per request. Cached values stay on the server; none goes to a client.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar

import redis
from cachelib import SimpleCache
from flask import Flask, current_app

from guessthatmovie.extensions import cache

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_SECONDS = 15.0
DEFAULT_TIMEOUT = 600


@dataclass
class CacheState:
    """Whether this process currently leaves a failing Redis alone, and until when."""

    redis_url: str | None
    down_until: float = 0.0
    client: redis.Redis | None = None


def settings(config: MutableMapping[str, Any]) -> None:
    """Fill in the Flask-Caching and Flask-Limiter settings that follow from REDIS_URL."""
    url = config["REDIS_URL"]
    timeout = config["REDIS_SOCKET_TIMEOUT"]
    # Short socket timeouts: a hung Redis must not hold a sync worker (and its player) hostage.
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    config.setdefault("CACHE_DEFAULT_TIMEOUT", DEFAULT_TIMEOUT)
    # A prefix keeps clear() to our own keys (without one it would flush the Redis database).
    config.setdefault("CACHE_KEY_PREFIX", "gtm:")
    if url:
        config.setdefault("CACHE_TYPE", "RedisCache")
        config.setdefault("CACHE_REDIS_URL", url)
        config.setdefault("CACHE_OPTIONS", dict(options))
        config.setdefault("RATELIMIT_STORAGE_URI", url)
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(options))
    else:
        config.setdefault("CACHE_TYPE", "SimpleCache")
        config.setdefault("RATELIMIT_STORAGE_URI", "memory://")


def init_app(app: Flask) -> None:
    """Bind the cache to the app and keep a Redis client for the readiness check."""
    settings(app.config)
    cache.init_app(app)
    url = app.config["REDIS_URL"]
    state = CacheState(redis_url=url)
    if url:
        timeout = app.config["REDIS_SOCKET_TIMEOUT"]
        state.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
    app.extensions["gtm_cache"] = state


def _state() -> CacheState:
    state: CacheState = current_app.extensions["gtm_cache"]
    return state


def _available() -> bool:
    state = _state()
    if state.down_until and time.monotonic() < state.down_until:
        return False
    if state.down_until:
        state.down_until = 0.0
        log.info("cache: trying Redis again")
    return True


def _failed(action: str, error: Exception) -> None:
    state = _state()
    state.down_until = time.monotonic() + RETRY_SECONDS
    log.warning(
        "cache unavailable (%s failed: %s: %s); reading from the database for %.0f s",
        action,
        type(error).__name__,
        error,
        RETRY_SECONDS,
    )


def shared() -> bool:
    """Tell whether every worker (and instance) sees the same cache: Redis, not in-process."""
    return current_app.config.get("CACHE_TYPE") == "RedisCache"


def get(key: str) -> Any | None:
    """Return a cached value, or None for a miss (including a cache that is down)."""
    if not _available():
        return None
    try:
        return cache.get(key)
    except Exception as error:  # any cache failure is a miss, never an error
        _failed("get", error)
        return None


def put(key: str, value: Any, timeout: int | None = None) -> None:
    """Store a value for `timeout` seconds (the default when None); a failure is only logged."""
    if not _available():
        return
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as error:
        _failed("set", error)


def forget(*keys: str) -> None:
    """Drop cached values; a cache that is down has nothing fresh to drop."""
    if not keys or not _available():
        return
    try:
        cache.delete_many(*keys)
    except Exception as error:
        _failed("delete", error)


def forget_all() -> None:
    """Drop every value this app cached (its key prefix only)."""
    if not _available():
        return
    try:
        cache.clear()
    except Exception as error:
        _failed("clear", error)


def remember(key: str, load: Callable[[], T], timeout: int | None = None) -> T:
    """Return the cached value of `key`, else load it, cache it and return it."""
    value = get(key)
    if value is not None:
        return value  # type: ignore[no-any-return]
    value = load()
    if value is not None:
        put(key, value, timeout)
    return value


def memo(name: str, threshold: int, seconds: int) -> SimpleCache:
    """Return this worker's memo called `name`: at most about `threshold` values, each kept for
    `seconds`. For answers many players ask alike (typeahead options, suggestions for a typo),
    in front of the database and Redis: a worker answers them again without a round trip.
    """
    memos: dict[str, SimpleCache] = current_app.extensions.setdefault(MEMOS, {})
    kept = memos.get(name)
    if kept is None:
        kept = memos[name] = SimpleCache(threshold=threshold, default_timeout=seconds)
    return kept


def kept(name: str, threshold: int, seconds: int, key: str, load: Callable[[], T]) -> T:
    """Return `key`'s value from this worker's memo `name` (see memo()), else load and keep it."""
    kept_in = memo(name, threshold, seconds)
    value = kept_in.get(key)
    if value is None:
        value = load()
        kept_in.set(key, value)
    return value  # type: ignore[no-any-return]


def forget_memos() -> None:
    """Drop every memo of this worker (after the catalogue changed under it)."""
    for kept in current_app.extensions.get(MEMOS, {}).values():
        kept.clear()


MEMOS = "guessthatmovie.memos"


def redis_ready() -> bool | None:
    """Ping Redis for the readiness check: True, False, or None when none is configured."""
    client = _state().client
    if client is None:
        return None
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError) as error:
        log.warning("readiness: Redis unreachable: %s: %s", type(error).__name__, error)
        return False


class BoundedBytes:
    """Byte strings kept in this process, least recently used first out, within a byte budget.

    For what is cheap to make again but may be asked for in unbounded variety (a result picture
    per puzzle and grid): Redis would grow with every new key, this stays within its budget.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> bytes | None:
        """Return a kept value (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        """Keep a value, dropping the least recently used ones to stay within the budget."""
        if len(value) > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = value
            self.size += len(value)
            while self.size > self.budget:
                _key, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def remember(self, key: str, load: Callable[[], bytes]) -> bytes:
        """Return the kept value of `key`, else make it, keep it and return it."""
        value = self.get(key)
        if value is None:
            value = load()
            self.put(key, value)
        return value
