"""Add searchable words to title keys, with a trigram index on PostgreSQL, for the typeahead.

Revision ID: e3a1c7d90003
Revises: b2d4f6a80002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from guessthatmovie.game import titles

revision = "e3a1c7d90003"
down_revision = "b2d4f6a80002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add title_keys.words, fill it from the movies' names, and index it."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("title_keys") as batch:
        batch.add_column(sa.Column("words", sa.String(300), nullable=True))
    movies = sa.table(
        "movies", sa.column("id", sa.Integer), sa.column("title"), sa.column("alt_titles", sa.JSON)
    )
    keys = sa.table(
        "title_keys", sa.column("key"), sa.column("movie_id", sa.Integer), sa.column("words")
    )
    for movie_id, title, alternates in bind.execute(
        sa.select(movies.c.id, movies.c.title, movies.c.alt_titles)
    ):
        for words in titles.title_search_words(title, alternates or ()).values():
            bind.execute(
                keys.update()
                .where(keys.c.movie_id == movie_id, keys.c.key == words.replace(" ", "")[:300])
                .values(words=words[:300])
            )
    # A key whose name no longer derives from the movie (none expected) stays searchable by key.
    bind.execute(keys.update().where(keys.c.words.is_(None)).values(words=keys.c.key))
    with op.batch_alter_table("title_keys") as batch:
        batch.alter_column("words", existing_type=sa.String(300), nullable=False)
    if postgres:
        op.create_index(
            "ix_title_keys_words",
            "title_keys",
            ["words"],
            postgresql_using="gist",
            postgresql_ops={"words": "gist_trgm_ops"},
        )
    else:
        op.create_index("ix_title_keys_words", "title_keys", ["words"])


def downgrade() -> None:
    """Drop the search words and their index (the pg_trgm extension stays: others may use it)."""
    op.drop_index("ix_title_keys_words", table_name="title_keys")
    with op.batch_alter_table("title_keys") as batch:
        batch.drop_column("words")
