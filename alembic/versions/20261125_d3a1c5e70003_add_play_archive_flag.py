"""add plays.archive: a play started after its puzzle's day

Revision ID: d3a1c5e70003
Revises: e3a1c7d90003
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3a1c5e70003"
down_revision: str | None = "e3a1c7d90003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Mark archive plays; plays stored before this revision count as played on their day."""
    op.add_column(
        "plays", sa.Column("archive", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    """Forget which plays came from the archive."""
    with op.batch_alter_table("plays") as batch:
        batch.drop_column("archive")
