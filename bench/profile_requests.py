"""Server CPU per request of bench/load.py's scenarios, in one process, with a profile (not a test).

    .venv/bin/python bench/profile_requests.py                     # every scenario, 300 requests
    .venv/bin/python bench/profile_requests.py --only htmx --profile 25
    PROFILE_SORT=tottime .venv/bin/python bench/profile_requests.py --only returning --profile 40

bench/load.py gives the figures to quote (gunicorn, wrk, five workers); this script is the quick
loop between two of its runs: the same scenarios and floors through Flask's test client, so that
a change can be weighed in seconds and its profile read. It needs the database a run of
bench/load.py leaves (gtm_bench_load: the compact catalogue, the sample and today's puzzle) and
redis-server, of which it starts its own on a free port. Figures are CPU seconds of this process
(time.process_time), so they leave out gunicorn, the access log and the network, and count the
client's own work too (small: a test client request is a few microseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import secrets
import subprocess  # nosec B404: starts a redis-server of its own
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from load import DEFAULT_URL, LIFTED, free_port, league_player  # noqa: E402

Request = Callable[[int], Any]


@contextmanager
def redis_server() -> Iterator[str]:
    """Run a Redis of its own on a free port, for as long as the block runs."""
    port = free_port()
    process = subprocess.Popen(  # nosec B603 B607
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.3)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()


def scenarios(database_url: str, redis_url: str) -> dict[str, tuple[Request, Request | None]]:
    """Build each scenario's request, and a warm-up to run before it is measured."""
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_hex(32),
        SESSION_COOKIE_SECURE="false",
        GUESS_RATE_LIMIT=LIFTED,
        GUESS_ADDRESS_LIMIT=LIFTED,
        SEARCH_RATE_LIMIT=LIFTED,
        PROXY_HOPS="0",
    )
    os.environ.pop("WEB_CONCURRENCY", None)
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from guessthatmovie import create_app, warm_up
    from guessthatmovie.extensions import db
    from guessthatmovie.models import League, Movie, Puzzle, TitleKey

    app = create_app()
    warm_up(app)
    hello = importlib.import_module("hello_app").app
    game, floor = app.test_client(use_cookies=False), hello.test_client(use_cookies=False)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]

    def player(player_id: str | None = None) -> tuple[str, str]:
        with app.test_request_context("/"):
            session["player"] = player_id or secrets.token_urlsafe(16)
            session.permanent = True
            token = generate_csrf()
            return f"gtm={serializer.dumps(dict(session))}", token

    with app.app_context():
        today = datetime.now(UTC).date()
        puzzle = db.session.scalars(sa.select(Puzzle).where(Puzzle.day == today)).first()
        assert puzzle is not None, "run bench/load.py first: it builds the database"
        number, answer = puzzle.number, puzzle.movie_id
        rows = db.session.execute(
            sa.select(Movie.id, Movie.title, Movie.year)
            .where(Movie.id != answer, Movie.year.is_not(None))
            .order_by(Movie.id)
            .limit(3000)
        ).all()
        keys = db.session.scalars(sa.select(TitleKey.key).limit(2000)).all()
        # bench/load.py's leagues, by size: "Bench league of 50" and the like.
        leagues = {
            int(name.rsplit(" ", 1)[1]): league_id
            for league_id, name in db.session.execute(
                sa.select(League.id, League.name).where(League.name.like("Bench league of %"))
            ).tuples()
        }
    wrong = [(r.id, f"{r.title} ({r.year})") for r in rows[::7]][:200]
    prefixes = sorted({k[: 3 + i % 6] for i, k in enumerate(keys) if len(k) > 8})[:400]
    typos = [k[:3] + "qz" + k[3:] for k in keys if len(k) > 8][:200]

    def form(cookie: str, token: str, position: int, extra: str) -> dict[str, Any]:
        body = f"csrf_token={token}&position={position}&action=guess&{extra}"
        return {
            "data": body,
            "content_type": "application/x-www-form-urlencoded",
            "headers": {"Cookie": cookie, "HX-Request": "true"},
        }

    returning, returning_token = player()
    for position in range(3):
        movie_id, label = wrong[position]
        extra = f"movie_id={movie_id}&guess={urllib.parse.quote_plus(label)}"
        game.post(f"/puzzle/{number}/moves", **form(returning, returning_token, position, extra))
    players = [player() for _ in range(3000)]
    unknown = player()

    def htmx(i: int) -> Any:
        # Windows of players: each plays position p in turn, six moves a game, never the answer.
        window, position = divmod(i, 6 * 50)
        cookie, token = players[(window * 50 + position % 50) % len(players)]
        movie_id, label = wrong[(position // 50 + i) % len(wrong)]
        extra = f"movie_id={movie_id}&guess={urllib.parse.quote_plus(label)}"
        return game.post(f"/puzzle/{number}/moves", **form(cookie, token, position // 50, extra))

    def floor_move(i: int) -> Any:
        cookie, token = players[i % len(players)]
        return floor.post(f"/puzzle/{number}/moves", **form(cookie, token, 0, "guess=x"))

    hx = {"HX-Request": "true"}

    def viewing(url: str, headers: dict[str, str]) -> Request:
        return lambda i: game.get(url, headers=headers)

    league_pages: dict[str, tuple[Request, Request | None]] = {}
    for size, league_id in sorted(leagues.items()):
        viewer = {"Cookie": player(league_player(size, 0))[0]}
        for what, headers in (("page", viewer), ("board htmx", {**viewer, **hx})):
            league_pages[f"league {what}, {size} members"] = (
                viewing(f"/leagues/{league_id}", headers),
                None,
            )
    return {
        "floor: cookie + 1 query": (
            lambda i: floor.get("/floor", headers={"Cookie": returning}),
            None,
        ),
        "floor: a move's minimum": (floor_move, None),
        "page, new player": (lambda i: game.get("/"), None),
        "page, returning mid-game": (lambda i: game.get("/", headers={"Cookie": returning}), None),
        "typeahead": (
            lambda i: game.get(
                f"/titles?guess={urllib.parse.quote_plus(prefixes[i % len(prefixes)])}", headers=hx
            ),
            None,
        ),
        "guess, htmx fragment": (htmx, None),
        "guess, unknown title (422)": (
            lambda i: game.post(
                f"/puzzle/{number}/moves",
                **form(*unknown, 0, f"guess={urllib.parse.quote_plus(typos[i % len(typos)])}"),
            ),
            None,
        ),
        **league_pages,
    }


def measure(request: Request, count: int, profile: int) -> tuple[float, set[int], str]:
    """Run `count` requests in five rounds; return the least CPU ms per request of a round, the
    statuses, and a profile if asked (of all the rounds)."""
    for i in range(400):  # a worker that has served a while: its memos warm
        request(10_000 + i)
    statuses: set[int] = set()
    profiler = cProfile.Profile(time.process_time) if profile else None
    rounds, per_round, spent = 5, max(1, count // 5), float("inf")
    for r in range(rounds):
        started = time.process_time()
        if profiler:
            profiler.enable()
        for i in range(r * per_round, (r + 1) * per_round):
            statuses.add(request(i).status_code)
        if profiler:
            profiler.disable()
        spent = min(spent, (time.process_time() - started) / per_round * count)
    text = ""
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(profile)
        text = out.getvalue()
    return spent / count * 1000, statuses, text


def main() -> None:
    """Measure each scenario and print its CPU per request beside its floor's."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", help="comma-separated substrings of scenario names")
    parser.add_argument("--profile", type=int, default=0, help="print this many profile lines")
    args = parser.parse_args()
    page = "floor: cookie + 1 query"
    floors = {"page": page, "typeahead": page, "league page": page, "league board htmx": page}
    with redis_server() as redis_url:
        built = scenarios(args.database_url, redis_url)
        figures: dict[str, float] = {}
        for name, (request, _) in built.items():
            wanted = not args.only or any(part in name for part in args.only.split(","))
            if not (wanted or name.startswith("floor")):
                continue
            ms, statuses, text = measure(request, args.requests, args.profile if wanted else 0)
            figures[name] = ms
            base = floors.get(name.split(",")[0], "floor: a move's minimum")
            share = f"{figures[base] / ms:6.0%}" if not name.startswith("floor") else ""
            print(f"{name:<30} {ms:7.3f} ms CPU  {share:>6}  statuses {sorted(statuses)}")
            if text and not name.startswith("floor"):
                print(text)


if __name__ == "__main__":
    main()
