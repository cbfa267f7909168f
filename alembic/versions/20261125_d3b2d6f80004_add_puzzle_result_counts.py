"""add puzzle_result_counts: per-puzzle counters of finished games, filled from existing plays

Revision ID: d3b2d6f80004
Revises: d3a1c5e70003
Create Date: 2026-11-25 10:00:01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3b2d6f80004"
down_revision: str | None = "d3a1c5e70003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the counters and count the games already finished."""
    op.create_table(
        "puzzle_result_counts",
        sa.Column("puzzle_id", sa.Integer(), nullable=False),
        sa.Column("solved_in", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("players", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "solved_in >= 0", name=op.f("ck_puzzle_result_counts_solved_in_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["puzzle_id"],
            ["puzzles.id"],
            name=op.f("fk_puzzle_result_counts_puzzle_id_puzzles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("puzzle_id", "solved_in", name=op.f("pk_puzzle_result_counts")),
    )
    op.execute(
        """
        INSERT INTO puzzle_result_counts (puzzle_id, solved_in, players)
        SELECT puzzle_id, solved_in, COUNT(*) FROM (
            SELECT p.puzzle_id AS puzzle_id,
                   CASE WHEN p.status = 'won'
                        THEN (SELECT COUNT(*) FROM guesses g WHERE g.play_id = p.id)
                        ELSE 0 END AS solved_in
            FROM plays p WHERE p.status IN ('won', 'lost')
        ) finished
        GROUP BY puzzle_id, solved_in
        """
    )


def downgrade() -> None:
    """Drop the counters (plays and guesses still hold every result)."""
    op.drop_table("puzzle_result_counts")
