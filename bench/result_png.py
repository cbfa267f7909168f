"""Measure the result link's preview picture: drawn cold, and served again from the cache.

Usage: .venv/bin/python bench/result_png.py [NUMBERS]   (default 3 puzzle numbers x 127 grids)

Every valid grid of a 6-attempt game (63 wins, 64 losses) for NUMBERS puzzles, each drawn once:
1. the renderer alone (result_card.render_png), every input distinct, nothing cached;
2. through the app (Flask test client): drawn, kept in the worker's bounded store (never in
   Redis: with BENCH_REDIS_URL, Redis's used_memory is printed before and after);
3. through the app again, the most recent URLs that the store keeps, without the ETag: hits;
4. a client sending the ETag back: 304, nothing read or drawn.
The cache is the app's own (guessthatmovie.cache): in-process SimpleCache, or Redis when
BENCH_REDIS_URL names one (keys under "gtm_bench:", cleared before and after). Targets: cold p95
<= 50 ms, cached p95 <= 5 ms. A temporary SQLite database holds the puzzles.
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import redis
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from guessthatmovie import cache, create_app, result_card
from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.extensions import db
from guessthatmovie.game import result_link

ATTEMPTS = 6
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LAUNCH = date(2026, 1, 1)  # so that 2026-03-10 is puzzle #69


def every_grid(attempts: int) -> list[str]:
    """Return every grid a finished game of `attempts` attempts can have."""
    wins = [
        "".join(misses) + "o"
        for length in range(attempts)
        for misses in itertools.product("xs", repeat=length)
    ]
    losses = ["".join(misses) for misses in itertools.product("xs", repeat=attempts)]
    grids = wins + losses
    assert all(result_link.parse_grid(grid, attempts) is not None for grid in grids)
    return grids


def summary(label: str, samples: Sequence[float]) -> None:
    p95 = statistics.quantiles(samples, n=100)[94]
    print(
        f"{label:<44} n={len(samples):4d}  p50 {statistics.median(samples):7.2f} ms  "
        f"p95 {p95:7.2f} ms  max {max(samples):7.2f} ms"
    )


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def redis_memory(url: str | None) -> int | None:
    """Return Redis's used_memory in bytes, or None without Redis."""
    if not url:
        return None
    return int(redis.Redis.from_url(url).info("memory")["used_memory"])


def database() -> str:
    """Migrate a temporary SQLite database; return its URL."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='gtm_bench_')) / 'bench.db'}"
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    return url


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    redis_url = os.environ.get("BENCH_REDIS_URL") or None
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-only",
            "SQLALCHEMY_DATABASE_URI": database(),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": "gtm_bench:",
            "RATELIMIT_ENABLED": False,  # one client asks for every picture on purpose
            "GAME_LAUNCH_DATE": LAUNCH,
            "GAME_ATTEMPTS": ATTEMPTS,
            "CLOCK": lambda: NOW,
        }
    )
    numbers = [69 - n for n in range(count)]
    grids = every_grid(ATTEMPTS)
    paths = [f"/r/{number}/{grid}.png" for number in numbers for grid in grids]
    load = os.getloadavg()
    print(
        f"{len(paths)} distinct pictures ({len(grids)} grids x {count} puzzles); cache: "
        f"{'Redis ' + redis_url if redis_url else 'in-process SimpleCache'}; "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    with app.app_context():
        for number in numbers:  # one movie per puzzle (a movie is a puzzle once)
            db.session.execute(
                sa.text("INSERT INTO movies (id, title, alt_titles, genres, synopsis) "
                        "VALUES (:id, 'Bench', '[]', '[]', '')"),
                {"id": number},
            )  # fmt: skip
            db.session.execute(
                sa.text("INSERT INTO puzzles (day, number, movie_id, created_at) "
                        "VALUES (:day, :number, :number, :now)"),
                {"day": NOW.date() - timedelta(days=69 - number), "number": number, "now": NOW},
            )  # fmt: skip
        db.session.commit()
        cache.forget_all()

    first = timed(lambda: result_card.render_png(1, ("right",), ATTEMPTS))
    print(f"{'first picture of a process (loads the font)':<44} {first:7.2f} ms")
    summary(
        "cold: renderer alone",
        [
            timed(lambda n=number, g=grid: result_card.render_png(
                n, result_link.parse_grid(g, ATTEMPTS) or (), ATTEMPTS))
            for number in numbers
            for grid in grids
        ],
    )  # fmt: skip

    drawn: list[int] = []
    real = result_card.render_png

    def counting(number: int, outcomes: Sequence[str], attempts: int) -> bytes:
        drawn.append(number)
        return real(number, outcomes, attempts)

    result_card.render_png = counting  # type: ignore[assignment]
    client = app.test_client()
    client.get("/r/69/o")  # warm the app up (first request, puzzle lookup)
    etags: dict[str, str] = {}

    def fetch(path: str, headers: dict[str, str] | None = None, status: int = 200) -> None:
        response = client.get(path, headers=headers or {})
        assert response.status_code == status, (path, response.status_code)
        etags[path] = response.headers["ETag"]

    memory_before = redis_memory(redis_url)
    summary(
        "cold: through the app (drawn, kept in-process)",
        [timed(lambda p=p: fetch(p)) for p in paths],
    )
    assert len(drawn) == len(paths), (len(drawn), len(paths))
    memory_after = redis_memory(redis_url)
    if memory_before is not None and memory_after is not None:
        print(
            f"Redis used_memory after {len(paths)} distinct pictures: {memory_after} bytes "
            f"({memory_after - memory_before:+d} bytes)"
        )
    # Each worker keeps its most recent pictures within RESULT_PICTURE_CACHE_BYTES.
    kept = app.extensions["gtm_pictures"]
    recent = paths[-len(kept) :]
    summary("kept: through the app (in-process hit)", [timed(lambda p=p: fetch(p)) for p in recent])
    assert len(drawn) == len(paths), "a kept picture was drawn again"
    print(f"kept in this worker: {len(kept)} pictures, {kept.size} bytes (budget {kept.budget})")
    summary(
        "revalidated: If-None-Match -> 304",
        [timed(lambda p=p: fetch(p, {"If-None-Match": etags[p]}, 304)) for p in paths],
    )
    with app.app_context():
        cache.forget_all()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
