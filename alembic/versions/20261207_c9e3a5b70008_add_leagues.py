"""Add leagues and their members.

Revision ID: c9e3a5b70008
Revises: b8d2f4a60007
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9e3a5b70008"
down_revision: str | None = "b8d2f4a60007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the leagues and league_members tables."""
    op.create_table(
        "leagues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("invite_selector", sa.String(length=8), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("member_count >= 0", name=op.f("ck_leagues_member_count_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leagues")),
        sa.UniqueConstraint("invite_selector", name=op.f("uq_leagues_invite_selector")),
    )
    op.create_table(
        "league_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("league_id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=96), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["league_id"],
            ["leagues.id"],
            name=op.f("fk_league_members_league_id_leagues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_league_members")),
        sa.UniqueConstraint(
            "league_id", "name_key", name=op.f("uq_league_members_league_id_name_key")
        ),
        sa.UniqueConstraint(
            "league_id", "player_id", name=op.f("uq_league_members_league_id_player_id")
        ),
    )
    op.create_index(
        op.f("ix_league_members_player_id"), "league_members", ["player_id"], unique=False
    )


def downgrade() -> None:
    """Drop the leagues and their members."""
    op.drop_index(op.f("ix_league_members_player_id"), table_name="league_members")
    op.drop_table("league_members")
    op.drop_table("leagues")
