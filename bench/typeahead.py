"""Benchmark the typeahead's search over the 16,364-movie compact catalogue (not a test).

    .venv/bin/python bench/typeahead.py [--database-url URL] [--queries N]

Loads ../shared/data/rt_movies_compact.csv into a fresh database (PostgreSQL by default, the
machine's own at 127.0.0.1:5432; or any URL, e.g. sqlite:////tmp/bench.db), then times the
server side of the typeahead: once the search query alone (store.search.search_titles), once the
whole request through Flask's test client (query + template), for N typed prefixes and
misspellings of random catalogue titles. Prints p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.config import PROJECT_ROOT, normalise_database_url
from guessthatmovie.extensions import db
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.models import Movie
from guessthatmovie.store.search import search_titles

CSV = PROJECT_ROOT.parent / "shared" / "data" / "rt_movies_compact.csv"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/gtm_bench_typeahead"


def records(path: Path) -> Iterator[MovieRecord]:
    """Read the compact list as movie records (no snippets)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):

            def score(value: str) -> int | None:
                return int(float(value)) if value.strip() else None

            yield MovieRecord(
                title=row["movie_title"].strip(),
                year=int(row["year_released"]) if row["year_released"].strip() else None,
                genres=[g.strip() for g in row["genres"].split(",") if g.strip()],
                critic_score=score(row["critic_rating"]),
                audience_score=score(row["audience_rating"]),
            )


def fresh_database(url: str) -> None:
    """Drop and recreate a PostgreSQL database, or remove a SQLite file; then migrate it."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    elif parsed.database:
        Path(parsed.database).unlink(missing_ok=True)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def typed_queries(titles: list[str], count: int, rng: random.Random) -> list[str]:
    """What players type: prefixes of 2-12 letters, later words, and a few misspellings."""
    queries = []
    for _ in range(count):
        title = rng.choice(titles)
        kind = rng.random()
        if kind < 0.6:
            queries.append(title[: rng.randint(2, 12)])
        elif kind < 0.85 and " " in title:
            queries.append(title.split(" ", 1)[1][: rng.randint(3, 10)])
        else:
            chars = list(title[:12])
            if len(chars) > 3:
                i = rng.randrange(len(chars) - 1)
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            queries.append("".join(chars))
    return queries


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return (
        f"p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms, p99 {cuts[98]:.2f} ms, "
        f"max {max(samples):.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    if not args.reuse:
        fresh_database(url)
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            # One client sends every request here; the per-client limit is not what is measured.
            "SEARCH_RATE_LIMIT": "1000000 per minute",
        }
    )
    with app.app_context():
        if not args.reuse:
            started = time.perf_counter()
            summary = catalogue_import.load_movies(records(CSV))
            took = time.perf_counter() - started
            print(f"loaded {summary.added} movies in {took:.1f} s ({url.split('@')[-1]})")
        titles = list(db.session.scalars(sa.select(Movie.title)))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
    rng = random.Random(args.seed)
    queries = typed_queries(titles, args.queries, rng)
    client = app.test_client()
    with app.app_context():
        for query in queries[:50]:  # warm the connection pool and caches
            search_titles(query)
        query_ms, hits = [], 0
        for query in queries:
            started = time.perf_counter()
            hits += bool(search_titles(query))
            query_ms.append((time.perf_counter() - started) * 1000)
    request_ms = []
    for query in queries:
        started = time.perf_counter()
        response = client.get(
            "/titles", query_string={"guess": query}, headers={"HX-Request": "true"}
        )
        request_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"{len(queries)} queries, {hits} with at least one title")
    print(f"search query  : {percentiles(query_ms)}")
    print(f"whole request : {percentiles(request_ms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
