"""Limits on moves, searches and transfer codes: counted in Redis when configured, else per worker.

Moves are counted per player, so that the players behind one address (a carrier's NAT, an
office, a school) each have their own budget, and per address with a ceiling many times higher,
so that a client making a new player for every move is still held back (each new player costs it
a page load for its form and CSRF token). An IPv6 client counts by its /64, the block one
subscriber is given, so that it cannot take a new budget with each of its addresses.

Where the counts are not shared (no Redis configured, or Redis unreachable) each worker counts
alone, so each worker is given its share of every limit: the limit divided by WEB_CONCURRENCY,
rounded up, but never fewer than SMALLEST_SHARE tries (nor more than the whole limit). A large
limit (30 moves a minute, 3 workers: 10 each) then lets one instance through at most the limit,
as with Redis. A small one is never rounded down to 1 or 2: a person retrying (a mistyped
transfer code: 5 per 15 minutes) gets at least 5 tries whichever worker answers, even if 1 is
all a worker's share would be; the price is that a client spreading tries over the workers gets
up to 5 per worker (15 with 3 workers), still a handful against a code's 60 bits. Scaled out, the
instances each count alone: at most that times the number of instances.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

import redis
from flask import current_app, request, session
from limits import RateLimitItem, parse, parse_many
from limits.storage import RedisStorage
from werkzeug.exceptions import TooManyRequests

from guessthatmovie.extensions import limiter
from guessthatmovie.web.player import is_player_id

F = TypeVar("F", bound=Callable[..., object])


def counts_alone() -> bool:
    """Tell whether this worker counts limits alone: no shared storage, or it is unreachable."""
    return limiter.shared is None or limiter.dead


def worker_share(limit: str) -> str:
    """Return a limit as it applies here: whole when counts are shared, else this worker's share."""
    workers = int(current_app.config["WEB_CONCURRENCY"])
    if workers <= 1 or not counts_alone():
        return limit
    return "; ".join(str(_share(item, workers)) for item in parse_many(limit))


# The fewest tries a worker counting alone gives per window (a limit smaller than this: all of it).
SMALLEST_SHARE = 5


def _share(item: RateLimitItem, workers: int) -> RateLimitItem:
    """Return one worker's share of a limit: min(limit, max(ceil(limit / workers), 5))."""
    share = max(-(-item.amount // workers), SMALLEST_SHARE)
    return type(item)(min(item.amount, share), item.multiples)


def address_block() -> str:
    """Key a client by its address; an IPv6 client by its /64 network."""
    address = request.remote_addr or "127.0.0.1"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def player_key() -> str:
    """Key a move by the player who makes it; a request with no player yet, by its address."""
    player = session.get("player")
    if is_player_id(player):
        return f"player:{player}"
    return f"address:{address_block()}"


class OverLimit(TooManyRequests):
    """A move over one of its limits; `item` is the limit it went over (for Retry-After)."""

    def __init__(self, item: RateLimitItem) -> None:
        super().__init__()
        self.item = item


@lru_cache(maxsize=64)
def _items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(str(limit)))


def count_move() -> None:
    """Count a move per player and per address; raise OverLimit when either is over."""
    config = current_app.config
    count(
        (config["GUESS_RATE_LIMIT"], "moves-per-player", player_key()),
        (config["GUESS_ADDRESS_LIMIT"], "moves-per-address", address_block()),
    )


def count_search() -> None:
    """Count a typeahead search (or a result picture: each endpoint has its own count) per
    address; raise OverLimit when over."""
    limit = current_app.config["SEARCH_RATE_LIMIT"]
    count((limit, f"searches:{request.endpoint}", address_block()))


def count(*counted: tuple[str, str, str]) -> None:
    """Count one try against each (limit, scope, key); raise OverLimit when one is over.

    All the counts go to Redis in one round trip (a pipeline of the limits library's own
    increment-with-expiry script, under the keys of its fixed windows). Where counts are not
    shared, this worker counts its share of each limit in its memory.
    """
    if not counts_alone():
        shared = [(item, scope, key) for limit, scope, key in counted for item in _items(limit)]
        try:
            counts = _incr_in_redis(shared)
        except Exception as error:  # any storage failure: count here, never fail the request
            current_app.logger.warning(
                "rate limit storage unreachable (%s): counting in this worker",
                type(error).__name__,
            )
            limiter.failed()
        else:
            for (item, _, _), tries in zip(shared, counts, strict=True):
                if tries > item.amount:
                    raise OverLimit(item)
            return
    for limit, scope, key in counted:
        for item in _items(worker_share(limit)):
            if not limiter.limiter.hit(item, "gtm", scope, key):
                raise OverLimit(item)


def _incr_in_redis(counted: Sequence[tuple[RateLimitItem, str, str]]) -> list[int]:
    """Add one to each count in one round trip to Redis; return the counts."""
    storage = limiter.limiter.storage
    if not isinstance(storage, RedisStorage):  # another shared storage: a trip per count
        return [
            0 if limiter.limiter.hit(item, "gtm", *ids) else item.amount + 1
            for item, *ids in counted
        ]
    client = cast("redis.Redis", storage.get_connection())
    script = storage.lua_incr_expire
    windows = [
        (storage.prefixed_key(item.key_for("gtm", scope, key)), item.get_expiry())
        for item, scope, key in counted
    ]
    for _attempt in range(2):
        # EVALSHA by the script's known digest: a pipeline of Script calls would first ask Redis
        # whether the script exists, a second round trip on every move.
        pipe = client.pipeline(transaction=False)
        for window, expiry in windows:
            pipe.evalsha(script.sha, 1, window, expiry, 1)
        try:
            return [int(count) for count in pipe.execute()]
        except redis.exceptions.NoScriptError:
            client.script_load(script.script)  # a new Redis (restarted, failed over)
    raise redis.exceptions.NoScriptError("the counting script could not be loaded")


def limit_moves(view: F) -> F:
    """Mark a view whose every request counts as a move, per player and per address.

    The count is taken by web/forgery.py before the request's CSRF token is judged, so forged or
    stale tokens are counted like any other move. Over either limit it raises OverLimit, a 429,
    which web/errors.py answers as a friendly page or, to htmx, as a notice fragment.
    """
    view.counts_moves = True  # type: ignore[attr-defined]
    return view


def counts_moves(view: Callable[..., object]) -> bool:
    """Tell whether a view's requests count as moves (limit_moves)."""
    return bool(getattr(view, "counts_moves", False))


def limit_searches(view: F) -> F:
    """Limit a search view per address: the typeahead asks once per pause in typing, and a
    client far beyond that is a scraper or a loop."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        count_search()
        return view(*args, **kwargs)

    return limited  # type: ignore[return-value]


def spend(limit: str, scope: str, key: str, cost: int = 1) -> bool:
    """Count `cost` tries against a limit in one storage operation; False once it is over.

    One INCR, compared after: of many concurrent tries no more than the limit pass, unlike a
    check followed by a count. A negative cost gives tries back.
    """
    return _counted(lambda item: limiter.limiter.hit(item, "gtm", scope, key, cost=cost), limit)


def has_room(limit: str, scope: str, key: str) -> bool:
    """Tell whether a limit has room for one more try, without counting one."""
    return _counted(lambda item: limiter.limiter.test(item, "gtm", scope, key), limit)


def _counted(call: Callable[[RateLimitItem], bool], limit: str) -> bool:
    """Run a limit operation; an unreachable storage switches this worker to counting alone."""
    try:
        return call(parse(worker_share(limit)))
    except Exception as error:  # any storage failure: count here, never fail the request
        if counts_alone():
            raise
        current_app.logger.warning(
            "rate limit storage unreachable (%s): counting in this worker", type(error).__name__
        )
        limiter.failed()
        return call(parse(worker_share(limit)))
