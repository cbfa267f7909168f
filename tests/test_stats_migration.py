"""The counters migration counts the games finished before it, so figures start right."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from tests.conftest import alembic_config, fresh_database_url

NOW = "2026-03-10 12:00:00+00:00"


def test_result_counters_are_filled_from_existing_plays(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "_counters")
    config = alembic_config(url)
    command.upgrade(config, "d3a1c5e70003")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            run = connection.execute
            run(
                sa.text(
                    "INSERT INTO movies (id, title, alt_titles, genres, synopsis) "
                    "VALUES (1, 'A', '[]', '[]', ''), (2, 'B', '[]', '[]', '')"
                )
            )
            run(
                sa.text(
                    "INSERT INTO puzzles (id, day, number, movie_id, created_at) VALUES "
                    f"(1, '2026-03-09', 68, 1, '{NOW}'), (2, '2026-03-10', 69, 2, '{NOW}')"
                )
            )
            plays = [
                (1, 1, "won", 3),
                (2, 1, "won", 3),
                (3, 1, "lost", 6),
                (4, 1, "playing", 2),
                (5, 2, "won", 1),
            ]
            for play_id, puzzle_id, status, moves in plays:
                run(
                    sa.text(
                        "INSERT INTO plays (id, player_id, puzzle_id, status, started_at) "
                        f"VALUES ({play_id}, 'p{play_id}', {puzzle_id}, '{status}', '{NOW}')"
                    )
                )
                for position in range(moves):
                    outcome = "right" if status == "won" and position == moves - 1 else "skipped"
                    run(
                        sa.text(
                            "INSERT INTO guesses (play_id, position, text, outcome, "
                            f"created_at) VALUES ({play_id}, {position}, '', '{outcome}', "
                            f"'{NOW}')"
                        )
                    )
        command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT puzzle_id, solved_in, players FROM puzzle_result_counts "
                    "ORDER BY puzzle_id, solved_in"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 0, 1), (1, 3, 2), (2, 1, 1)]
