"""End or abandon the transaction of an import's batch: the store alone opens transactions."""

from __future__ import annotations

from guessthatmovie.extensions import db


def end_batch(dry_run: bool) -> None:
    """Commit the batch written so far; a dry run only flushes, to roll back at the end."""
    if dry_run:
        db.session.flush()
    else:
        db.session.commit()


def abandon() -> None:
    """Roll back the batch in flight (Ctrl-C, a database error, or the end of a dry run)."""
    db.session.rollback()
