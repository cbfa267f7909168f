"""add import identities: movie sources, critic counts, snippet source keys and top critics

Revision ID: c5a7e1d20003
Revises: d3b2d6f80004
Create Date: 2026-11-25 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a7e1d20003"
down_revision: str | None = "d3b2d6f80004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Give imported movies and snippets a stable identity in their dump."""
    op.create_table(
        "movie_sources",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_movie_sources_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source", "external_id", name=op.f("pk_movie_sources")),
    )
    op.create_index(op.f("ix_movie_sources_movie_id"), "movie_sources", ["movie_id"], unique=False)
    with op.batch_alter_table("movies") as batch:
        batch.add_column(sa.Column("critic_count", sa.Integer(), nullable=True))
    with op.batch_alter_table("review_snippets") as batch:
        batch.add_column(
            sa.Column("top_critic", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("source_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            op.f("uq_review_snippets_movie_id_source_key"), ["movie_id", "source_key"]
        )


def downgrade() -> None:
    """Drop the import identities."""
    with op.batch_alter_table("review_snippets") as batch:
        batch.drop_constraint(op.f("uq_review_snippets_movie_id_source_key"), type_="unique")
        batch.drop_column("source_key")
        batch.drop_column("top_critic")
    with op.batch_alter_table("movies") as batch:
        batch.drop_column("critic_count")
    op.drop_index(op.f("ix_movie_sources_movie_id"), table_name="movie_sources")
    op.drop_table("movie_sources")
