"""add transfer_codes: each player's one live code for moving to another device (hashed)

Revision ID: f4c2a8e60005
Revises: c5a7e1d20003
Create Date: 2026-11-25 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4c2a8e60005"
down_revision: str | None = "c5a7e1d20003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table of transfer codes, one row per player, looked up by keyed hash."""
    op.create_table(
        "transfer_codes",
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("player_id", name=op.f("pk_transfer_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_transfer_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_transfer_codes_expires_at"), "transfer_codes", ["expires_at"], unique=False
    )


def downgrade() -> None:
    """Drop the transfer codes (live ones simply stop working)."""
    op.drop_index(op.f("ix_transfer_codes_expires_at"), table_name="transfer_codes")
    op.drop_table("transfer_codes")
