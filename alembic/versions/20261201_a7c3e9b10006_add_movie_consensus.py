"""add movies.consensus: the critics' consensus a dump gives, shown on the reveal only

Revision ID: a7c3e9b10006
Revises: f4c2a8e60005
Create Date: 2026-12-01 15:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e9b10006"
down_revision: str | None = "f4c2a8e60005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the consensus column, empty for every movie already stored."""
    with op.batch_alter_table("movies") as batch:
        batch.add_column(sa.Column("consensus", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the consensus column."""
    with op.batch_alter_table("movies") as batch:
        batch.drop_column("consensus")
