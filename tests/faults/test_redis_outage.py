"""Redis stopped under load: no player sees an error, limits count in memory, then Redis again."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import redis

from tests.faults.client import Client, Load, form_of, post_move
from tests.faults.conftest import WORKERS, RedisServer, Serve, database_with_puzzle
from tests.faults.test_worker_kill import check_moves, stored_moves
from tests.servers import wait_for

# Moves per minute per player. Counted alone, each worker allows its share (LIMIT // WORKERS = 10),
# more than a whole game, so the load's players never meet it while one client flooding does.
LIMIT = 30
OUTAGE_SECONDS = 3.0


def keys(server: RedisServer) -> dict[str, list[str]]:
    """Return our keys in Redis: the cache's and the rate limiter's."""
    names = [k.decode() for k in redis.Redis.from_url(server.url(), socket_timeout=2).keys("*")]
    return {
        "cache": [n for n in names if n.startswith("gtm:")],
        "limits": [n for n in names if "LIMITER" in n],
    }


def moves_until_429(client: Client) -> int:
    """Post unknown titles until the app answers 429; return how many moves were let through."""
    found = form_of(client.get())
    assert found is not None
    url, fields = found
    fields.update(action="guess", guess="Not A Film At All")
    for sent in range(WORKERS * LIMIT + 5):
        status = post_move(client, url, fields, htmx=True).status
        if status == 429:
            return sent
        assert status == 422, status  # refused, and counted all the same
    raise AssertionError("no 429 while Redis was away: the limits did not fall back")


def test_the_game_goes_on_without_redis_and_uses_it_again(
    serve: Serve, workdir: Path, postgres: str, redis_server: RedisServer
) -> None:
    url = database_with_puzzle(workdir, "_faults_redis")
    server, port = serve(url, REDIS_URL=redis_server.url(), GUESS_RATE_LIMIT=f"{LIMIT}/minute")
    with Load(port, threads=4, addresses=True) as load:
        wait_for(lambda: all(keys(redis_server).values()), "keys in Redis")
        redis_server.stop()
        down = time.monotonic()
        let_through = moves_until_429(Client(port, address="192.0.2.1"))
        # Each worker counts alone, with its share of the limit: the limit still holds.
        assert let_through <= LIMIT, f"{let_through} moves let through, the limit is {LIMIT}"
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down)))
        redis_server.start()
        back = time.monotonic()
        assert keys(redis_server) == {"cache": [], "limits": []}  # a new, empty Redis
        wait_for(lambda: bool(keys(redis_server)["limits"]), "rate limits counted in Redis")
        limits_back = time.monotonic() - back
        # The cache leaves a failed Redis alone for 15 s (guessthatmovie.cache.RETRY_SECONDS).
        wait_for(lambda: bool(keys(redis_server)["cache"]), "the cache written to Redis")
        cache_back = time.monotonic() - back
        time.sleep(0.5)
    assert load.failures == [], load.failures
    statuses = Counter(seen.reply.status for seen in load.seen)
    assert set(statuses) <= {200, 303}, statuses  # not one error for the players
    during = [s for s in load.seen if down <= s.sent and s.at <= back]
    assert during, "no request during the outage"
    log = server.log()
    assert "rate limit storage unreachable" in log  # web/limits.py: counting in each worker
    assert "cache unavailable" in log
    assert "Rate limit storage recovered" in log
    assert "Traceback" not in log
    figures = check_moves(load.moves, stored_moves(url))
    print(
        f"\nFAULT redis-stop: outage {back - down:.1f}s with {len(during)} answers, all 2xx/3xx; "
        f"in-memory limit: 429 after {let_through} moves (limit {LIMIT}/min, a share of "
        f"{LIMIT // WORKERS} in each of {WORKERS} workers); Redis back: limits in Redis after "
        f"{limits_back:.1f}s, cache after {cache_back:.1f}s; {len(load.seen)} answers "
        f"{dict(statuses)}; {figures}"
    )
