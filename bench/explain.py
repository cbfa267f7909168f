"""EXPLAIN (ANALYZE, BUFFERS) of every SQL statement a page view and a guess run (not a test).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gtm_bench_load SECRET_KEY=... \
        .venv/bin/python bench/explain.py [--out explain.txt] [--league 50]

bench/load.py --growth calls it on its grown database. Through Flask's test client it makes a
player, plays three wrong guesses, then records (SQLAlchemy's before_cursor_execute event) the
statements of a page view of that returning player (cache warm) and of a fourth, htmx guess;
then runs each again under EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back, so
writes leave nothing behind (an INSERT gets a plain EXPLAIN: its row exists already). Prints
the statements with their plans, and flags sequential scans of the tables that grow with
players (plays, guesses, puzzle_result_counts). With --league N it does the same for a view of
the page of bench/load.py's league of N members (10 or 50), by its first member."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

GROWING = ("plays", "guesses", "puzzle_result_counts")
LIFTED = "1000000 per second"


def csrf_token(html: str) -> str:
    """Return the CSRF token of the page's guess form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found[1]


def explain_requests() -> str:
    """Record a page view's and a guess's statements and return them with their plans."""
    from guessthatmovie import create_app
    from guessthatmovie.clock import today
    from guessthatmovie.extensions import db
    from guessthatmovie.models import Movie, Puzzle

    app = create_app({"GUESS_RATE_LIMIT": LIFTED, "SEARCH_RATE_LIMIT": LIFTED})
    client = app.test_client()
    with app.test_request_context("/"):
        puzzle = db.session.scalars(sa.select(Puzzle).where(Puzzle.day == today())).one()
        answer = db.session.get(Movie, puzzle.movie_id)
        assert answer is not None
        wrong = db.session.execute(
            sa.select(Movie.id, Movie.title, Movie.year)
            .where(Movie.title != answer.title, Movie.year.is_not(None))
            .order_by(Movie.id)
            .limit(4)
        ).all()
        engine = db.engine
        path = f"/puzzle/{puzzle.number}/moves"

    def guess(position: int, token: str) -> int:
        movie_id, title, year = wrong[position]
        form = {
            "csrf_token": token,
            "position": str(position),
            "action": "guess",
            "movie_id": str(movie_id),
            "guess": f"{title} ({year})",
        }
        return client.post(path, data=form, headers={"HX-Request": "true"}).status_code

    token = csrf_token(client.get("/").get_data(as_text=True))
    for position in range(3):
        assert guess(position, token) == 200, "a setup guess was refused"
    client.get("/")  # the cache is warm for what follows

    recorded: dict[str, list[tuple[str, Any]]] = {"page view": [], "guess": []}
    current: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        current.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        current = recorded["page view"]
        assert client.get("/").status_code == 200
        current = recorded["guess"]
        assert guess(3, token) == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)

    return plans(engine, recorded)


def plans(engine: Any, recorded: dict[str, list[tuple[str, Any]]]) -> str:
    """Return each request's statements with their plans (writes rolled back)."""
    out: list[str] = []
    with engine.connect() as connection:
        for request, statements in recorded.items():
            out.append(f"=== {request}: {len(statements)} statements\n")
            for number, (statement, parameters) in enumerate(statements, 1):
                out.append(f"--- {request} #{number}\n{statement}\n-- parameters: {parameters}\n")
                if not re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", statement, re.I):
                    continue
                params = parameters[0] if isinstance(parameters, list) else parameters
                # The request stored its rows already: running an INSERT again would only hit
                # the unique constraints, so inserts get the plan without running it.
                insert = re.match(r"\s*INSERT\b", statement, re.I) is not None
                options = "(COSTS)" if insert else "(ANALYZE, BUFFERS)"
                transaction = connection.begin()
                try:
                    plan = connection.exec_driver_sql(
                        f"EXPLAIN {options} {statement}", params
                    ).scalars()
                    lines = list(plan)
                finally:
                    transaction.rollback()
                out.extend(lines)
                scans = [
                    line.strip()
                    for line in lines
                    if "Seq Scan" in line and any(f" on {table}" in line for table in GROWING)
                ]
                out.append(
                    "-- SEQUENTIAL SCAN OF A GROWING TABLE: " + "; ".join(scans) if scans else ""
                )
                out.append("")
    return "\n".join(out)


def explain_league(size: int) -> str:
    """Record the statements of a view of bench/load.py's league of `size` members (its first
    member viewing, as the bench does) and return them with their plans."""
    from load import league_player

    from guessthatmovie import create_app
    from guessthatmovie.extensions import db
    from guessthatmovie.models import League

    app = create_app()
    client = app.test_client()
    with app.test_request_context("/"):
        league_id = db.session.scalar(
            sa.select(League.id).where(League.name == f"Bench league of {size}")
        )
        assert league_id is not None, "run bench/load.py first: it makes the leagues"
        engine = db.engine
    with client.session_transaction() as session:
        session["player"] = league_player(size, 0)
    path = f"/leagues/{league_id}"
    assert client.get(path).status_code == 200  # the cache is warm for what follows
    recorded: dict[str, list[tuple[str, Any]]] = {f"league page, {size} members": []}
    current = recorded[f"league page, {size} members"]

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        current.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return plans(engine, recorded)


def main() -> None:
    """Print (or write) the plans."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write here instead of printing")
    parser.add_argument(
        "--league", type=int, help="instead: the page of bench/load.py's league of this size"
    )
    args = parser.parse_args()
    text = explain_league(args.league) if args.league else explain_requests()
    if args.out:
        args.out.write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
