"""create puzzles, plays and guesses

Revision ID: b2d4f6a80002
Revises: a1c3e5f70001
Create Date: 2026-11-25 09:00:01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b2d4f6a80002"
down_revision: str | None = "a1c3e5f70001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the daily puzzle and game progress tables."""
    op.create_table(
        "puzzles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_puzzles_movie_id_movies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_puzzles")),
        sa.UniqueConstraint("day", name=op.f("uq_puzzles_day")),
        sa.UniqueConstraint("movie_id", name=op.f("uq_puzzles_movie_id")),
        sa.UniqueConstraint("number", name=op.f("uq_puzzles_number")),
    )
    op.create_table(
        "plays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("puzzle_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('playing', 'won', 'lost')", name=op.f("ck_plays_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["puzzle_id"], ["puzzles.id"], name=op.f("fk_plays_puzzle_id_puzzles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plays")),
        sa.UniqueConstraint("player_id", "puzzle_id", name=op.f("uq_plays_player_id_puzzle_id")),
    )
    op.create_index(op.f("ix_plays_puzzle_id"), "plays", ["puzzle_id"], unique=False)
    op.create_table(
        "guesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("play_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('wrong', 'skipped', 'right')", name=op.f("ck_guesses_outcome_known")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_guesses_position_not_negative")),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_guesses_movie_id_movies")
        ),
        sa.ForeignKeyConstraint(
            ["play_id"], ["plays.id"], name=op.f("fk_guesses_play_id_plays"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guesses")),
        sa.UniqueConstraint("play_id", "position", name=op.f("uq_guesses_play_id_position")),
    )


def downgrade() -> None:
    """Drop the daily puzzle and game progress tables."""
    op.drop_table("guesses")
    op.drop_index(op.f("ix_plays_puzzle_id"), table_name="plays")
    op.drop_table("plays")
    op.drop_table("puzzles")
