"""create catalogue: movies, their title keys and review snippets

Revision ID: a1c3e5f70001
Revises:
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c3e5f70001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the movie catalogue tables."""
    op.create_table(
        "movies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("alt_titles", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("genres", sa.JSON(), nullable=False),
        sa.Column("critic_score", sa.Integer(), nullable=True),
        sa.Column("audience_score", sa.Integer(), nullable=True),
        sa.Column("synopsis", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "audience_score BETWEEN 0 AND 100", name=op.f("ck_movies_audience_score_range")
        ),
        sa.CheckConstraint(
            "critic_score BETWEEN 0 AND 100", name=op.f("ck_movies_critic_score_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movies")),
        sa.UniqueConstraint("title", "year", name=op.f("uq_movies_title_year")),
    )
    op.create_table(
        "review_snippets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("critic", sa.String(length=200), nullable=False),
        sa.Column("publication", sa.String(length=200), nullable=False),
        sa.Column("fresh", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_review_snippets_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_snippets")),
        sa.UniqueConstraint(
            "movie_id", "position", name=op.f("uq_review_snippets_movie_id_position")
        ),
    )
    op.create_table(
        "title_keys",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_title_keys_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "movie_id", name=op.f("pk_title_keys")),
    )
    op.create_index(op.f("ix_title_keys_movie_id"), "title_keys", ["movie_id"], unique=False)


def downgrade() -> None:
    """Drop the movie catalogue tables."""
    op.drop_index(op.f("ix_title_keys_movie_id"), table_name="title_keys")
    op.drop_table("title_keys")
    op.drop_table("review_snippets")
    op.drop_table("movies")
