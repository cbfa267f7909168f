"""add movies' known-ness: audience count, box office, directors, known ratings and score

Revision ID: b8d2f4a60007
Revises: a7c3e9b10006
Create Date: 2026-12-07 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8d2f4a60007"
down_revision: str | None = "a7c3e9b10006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the known-ness columns, empty until the next catalogue load fills them."""
    with op.batch_alter_table("movies") as batch:
        batch.add_column(sa.Column("audience_count", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("box_office", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("directors", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("known_ratings", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("known_score", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_movies_known_score_range"), "known_score BETWEEN 0 AND 100"
        )


def downgrade() -> None:
    """Drop the known-ness columns."""
    with op.batch_alter_table("movies") as batch:
        batch.drop_constraint(op.f("ck_movies_known_score_range"), type_="check")
        batch.drop_column("known_score")
        batch.drop_column("known_ratings")
        batch.drop_column("directors")
        batch.drop_column("box_office")
        batch.drop_column("audience_count")
