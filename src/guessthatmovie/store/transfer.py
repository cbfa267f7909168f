"""Transfer-code queries: make a player's code; redeem one (claim it, merge plays) atomically.

A code's row (only its keyed hash) stays a day after it expires or is used, so that a late or
second try is told "expired" or "used" rather than "not right"; a new code of the same player
replaces it at once (one row per player).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import Executable

from guessthatmovie.extensions import db
from guessthatmovie.game import transfer
from guessthatmovie.game.rules import Status
from guessthatmovie.models import Guess, Play, PuzzleResultCount, TransferCode
from guessthatmovie.store import leagues, stats

# A new code that meets another live code's hash (one chance in ~10^12 per live code), or a
# redeem racing the original player's own first move on a puzzle, is simply tried again.
TRIES = 3
# How long a spent code's hash is kept after it expires, to tell a late try why it failed.
KEPT_AFTER_EXPIRY = timedelta(days=1)


@dataclass(frozen=True)
class NewCode:
    """A code just made: shown once to the player who made it, stored only as its hash."""

    code: str
    expires_at: datetime


def create_code(
    player_id: str, key: bytes, now: datetime, new_code: Callable[[], str] = transfer.new_code
) -> NewCode:
    """Make a player's new code, replacing any earlier one, and return it in clear (once).

    `new_code` makes a candidate code; it is called again in the rare case of a clash.
    """
    now = now.astimezone(UTC)
    expiry = transfer.expires_at(now)
    for attempt in range(TRIES):
        code = new_code()
        try:
            # Codes that can never be redeemed again are kept no longer than needed.
            stale = now - KEPT_AFTER_EXPIRY
            db.session.execute(delete(TransferCode).where(TransferCode.expires_at <= stale))
            db.session.execute(_upsert(player_id, transfer.code_hash(code, key), now, expiry))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if attempt == TRIES - 1:
                raise
            continue
        return NewCode(code=code, expires_at=expiry)
    raise AssertionError("unreachable")


def _upsert(player_id: str, code_hash: str, now: datetime, expiry: datetime) -> Executable:
    """Return the one statement that puts a player's new code in place of the old one."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"code_hash": code_hash, "created_at": now, "expires_at": expiry, "used_at": None}
    return (
        insert(TransferCode)
        .values(player_id=player_id, **values)
        .on_conflict_do_update(index_elements=["player_id"], set_=values)
    )


def live_expiry(player_id: str, code_hash: str, now: datetime) -> datetime | None:
    """Return when a player's code with this hash expires, None unless it is live and unused."""
    return db.session.scalar(
        select(TransferCode.expires_at).where(
            TransferCode.player_id == player_id,
            TransferCode.code_hash == code_hash,
            TransferCode.used_at.is_(None),
            TransferCode.expires_at > now.astimezone(UTC),
        )
    )


def spent(code_hash: str) -> str | None:
    """Tell why a code that did not redeem was once real: "used", "expired", or None (never)."""
    row = db.session.execute(
        select(TransferCode.used_at).where(TransferCode.code_hash == code_hash)
    ).first()
    if row is None:
        return None
    return "used" if row.used_at is not None else "expired"


def redeem(code_hash: str, device_player: str, now: datetime) -> str | None:
    """Claim a live code and merge this device's plays into its player; return that player.

    None when no live, unused code has this hash. Claim and merge are one transaction: a failure
    midway leaves the code unused and the plays untouched.
    """
    now = now.astimezone(UTC)
    for attempt in range(TRIES):
        try:
            original = _claim(code_hash, now)
            if original is None:
                db.session.rollback()
                return None
            recounted = []
            if original != device_player:
                recounted = merge_plays(device_player, original)
                leagues.merge_memberships(device_player, original)
            db.session.commit()
        except IntegrityError:
            # The original player started the same puzzle between our read and our move.
            db.session.rollback()
            if attempt == TRIES - 1:
                raise
            continue
        for puzzle_id in recounted:
            stats.forget_puzzle_figures(puzzle_id)  # after the commit: no stale re-caching
        return original
    raise AssertionError("unreachable")


def _claim(code_hash: str, now: datetime) -> str | None:
    """Mark a live code used, in one conditional UPDATE; return its player, None if none was.

    The condition `used_at IS NULL` is evaluated under the row's lock: of two concurrent redeems
    of one code, the second waits for the first and then matches no row, so a code works once.
    """
    claimed = db.session.execute(
        update(TransferCode)
        .where(
            TransferCode.code_hash == code_hash,
            TransferCode.used_at.is_(None),
            TransferCode.expires_at > now,
        )
        .values(used_at=now)
        .returning(TransferCode.player_id)
    ).all()
    return claimed[0][0] if len(claimed) == 1 else None


def merge_plays(from_player: str, into_player: str) -> list[int]:
    """Move `from_player`'s plays to `into_player` by the merge rule (caller's transaction).

    Both players' plays are locked first (PostgreSQL; SQLite's writer already holds the whole
    database since the code's claim): a finishing move racing the merge either ends before the
    plays are read, and its finish is taken off the counters with a dropped play, or waits, and
    then finds its play moved (and counts it) or gone (and fails, counting nothing).
    """
    players = (from_player, into_player)
    db.session.execute(select(Play.id).where(Play.player_id.in_(players)).with_for_update())
    rows = db.session.execute(
        select(Play.id, Play.puzzle_id, Play.player_id, Play.status, func.count(Guess.id))
        .outerjoin(Guess, Guess.play_id == Play.id)
        .where(Play.player_id.in_(players))
        .group_by(Play.id, Play.puzzle_id, Play.player_id, Play.status)
    ).all()
    original = [transfer.PlayRecord(r[0], r[1]) for r in rows if r[2] == into_player]
    incoming = [transfer.PlayRecord(r[0], r[1]) for r in rows if r[2] == from_player]
    plan = transfer.plan_merge(original, incoming)
    if plan.move:
        db.session.execute(update(Play).where(Play.id.in_(plan.move)).values(player_id=into_player))
    dropped = [r for r in rows if r[0] in set(plan.drop)]
    if dropped:
        _drop_plays(dropped)
    # The device's old identity is gone: a code it made would now hand over nothing.
    db.session.execute(delete(TransferCode).where(TransferCode.player_id == from_player))
    # The puzzles whose counters changed: their cached figures go once this commits.
    return sorted({r[1] for r in dropped if Status(r[3]) is not Status.PLAYING})


def _drop_plays(rows: list[Any]) -> None:
    """Delete plays (id, puzzle, player, status, guesses) and take them off the counters."""
    for _, puzzle_id, _, stored_status, used in rows:
        status = Status(stored_status)
        if status is Status.PLAYING:
            continue
        # The global counters hold one count per stored finished play: keep them so.
        solved_in = used if status is Status.WON else 0
        counter = (
            PuzzleResultCount.puzzle_id == puzzle_id,
            PuzzleResultCount.solved_in == solved_in,
        )
        db.session.execute(
            update(PuzzleResultCount)
            .where(*counter, PuzzleResultCount.players > 0)
            .values(players=PuzzleResultCount.players - 1)
        )
        db.session.execute(
            delete(PuzzleResultCount).where(*counter, PuzzleResultCount.players == 0)
        )
    ids = [row[0] for row in rows]
    db.session.execute(delete(Guess).where(Guess.play_id.in_(ids)))
    db.session.execute(delete(Play).where(Play.id.in_(ids)))
