"""Measure what today's global figures cost: the counters read vs a scan of plays and guesses.

Usage: .venv/bin/python bench/global_figures.py [PLAYS]   (default 100000)
Set BENCH_DATABASE_URL to a PostgreSQL database of your own (it is emptied) to measure there;
otherwise a temporary SQLite file is used.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from guessthatmovie import create_app
from guessthatmovie.config import PROJECT_ROOT, normalise_database_url
from guessthatmovie.extensions import db
from guessthatmovie.store import stats

ATTEMPTS = 6
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def scan_figures(puzzle_id: int) -> dict[int, int]:
    """The figures the naive way: every finished play of the puzzle and its guesses, per request."""
    moves = (
        sa.select(sa.text("plays.id"), sa.func.count().label("used"))
        .select_from(sa.text("plays JOIN guesses ON guesses.play_id = plays.id"))
        .where(sa.text("plays.puzzle_id = :p AND plays.status IN ('won', 'lost')"))
        .group_by(sa.text("plays.id, plays.status"))
        .add_columns(sa.text("plays.status"))
    )
    counts: dict[int, int] = {}
    for _id, used, status in db.session.execute(moves, {"p": puzzle_id}):
        key = used if status == "won" else 0
        counts[key] = counts.get(key, 0) + 1
    return counts


def fill(puzzle_id: int, plays: int) -> None:
    """Insert `plays` finished plays (wins in 1-6 and losses) with their guesses, in bulk."""
    connection = db.session.connection()
    batch = 5000
    for start in range(0, plays, batch):
        rows, guesses = [], []
        for n in range(start, min(start + batch, plays)):
            used = n % 7 + 1  # 7 means a loss after six misses
            won = used <= ATTEMPTS
            rows.append(
                {"id": n + 1, "player_id": f"p{n}", "puzzle_id": puzzle_id,
                 "status": "won" if won else "lost", "started_at": NOW, "finished_at": NOW}
            )  # fmt: skip
            for position in range(min(used, ATTEMPTS)):
                outcome = "right" if won and position == used - 1 else "skipped"
                guesses.append(
                    {"play_id": n + 1, "position": position, "text": "", "outcome": outcome,
                     "created_at": NOW}
                )  # fmt: skip
            stats.count_finish(puzzle_id, used if won else 0)
        connection.execute(
            sa.text(
                "INSERT INTO plays (id, player_id, puzzle_id, status, started_at, finished_at) "
                "VALUES (:id, :player_id, :puzzle_id, :status, :started_at, :finished_at)"
            ),
            rows,
        )
        connection.execute(
            sa.text(
                "INSERT INTO guesses (play_id, position, text, outcome, created_at) "
                "VALUES (:play_id, :position, :text, :outcome, :created_at)"
            ),
            guesses,
        )
    db.session.commit()


def timed(label: str, call: Callable[[], object], runs: int = 30) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{label:<34} median {statistics.median(samples):8.3f} ms   max {max(samples):8.3f} ms")


def main() -> None:
    plays = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = os.environ.get("BENCH_DATABASE_URL")
    folder = tempfile.mkdtemp(prefix="gtm_bench_")
    url = normalise_database_url(url) if url else f"sqlite:///{Path(folder) / 'bench.db'}"
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    if url.startswith("postgresql"):
        command.downgrade(config, "base")  # start empty: the database is the bench's own
    command.upgrade(config, "head")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.execute(
            sa.text("INSERT INTO movies (id, title, alt_titles, genres, synopsis) "
                    "VALUES (1, 'Bench', '[]', '[]', '')")
        )  # fmt: skip
        db.session.execute(
            sa.text("INSERT INTO puzzles (id, day, number, movie_id, created_at) "
                    "VALUES (1, :day, 69, 1, :now)"),
            {"day": date(2026, 3, 10), "now": NOW},
        )  # fmt: skip
        fill(1, plays)
        counted = stats.puzzle_figures(1, ATTEMPTS)
        scanned = scan_figures(1)
        assert counted.finished == plays == sum(scanned.values()), (counted, scanned)
        assert counted.distribution == tuple(scanned.get(n, 0) for n in range(1, ATTEMPTS + 1))
        print(f"{url.split(':')[0]}: {plays} finished plays of one puzzle")
        timed("counters (puzzle_result_counts)", lambda: stats.puzzle_figures(1, ATTEMPTS))
        timed("scan of plays + guesses", lambda: scan_figures(1), runs=5)
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
