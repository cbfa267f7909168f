"""Migrations: upgrade builds the schema, every revision downgrades, no drift from the models."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from guessthatmovie.extensions import db
from tests.conftest import alembic_config, fresh_database_url


def diff_against_models(url: str) -> list[object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, db.metadata))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_and_no_drift(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "_migrations")
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert diff_against_models(url) == []
    assert {
        "movies",
        "review_snippets",
        "title_keys",
        "puzzles",
        "plays",
        "guesses",
    } <= table_names(url)
    # Step down one revision at a time, then back up: every downgrade works.
    revisions = list(ScriptDirectory.from_config(config).walk_revisions())
    for _ in revisions:
        command.downgrade(config, "-1")
    assert table_names(url) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert diff_against_models(url) == []
