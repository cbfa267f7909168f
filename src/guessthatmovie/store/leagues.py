"""League queries: make, join, leave and keep a league; its page's data in three statements.

Every write is one short transaction. A join counts the new member into `member_count` with a
conditional UPDATE (under the league row's lock): of concurrent joins to a league with one
place left, one gets it. A leave counts them out the same way, and the last one out deletes the
league. The page reads the league with its members, the last seven days' games with their moves'
outcomes, and every member's finished daily games summed (one row a member): three statements,
whatever the league's size or the length of its members' histories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from guessthatmovie.extensions import db
from guessthatmovie.game import leagues
from guessthatmovie.game.rules import Outcome, Status
from guessthatmovie.models import Guess, League, LeagueMember, Play, Puzzle

# A new invite selector that meets another league's (one chance in ~10^12) is drawn again.
TRIES = 3
LEAGUES, MEMBERS = League.__table__, LeagueMember.__table__
PLAYS, PUZZLES, GUESSES = Play.__table__, Puzzle.__table__, Guess.__table__


class Refused(Exception):
    """A league action that cannot be done; `reason` names why (web/leagues.py words it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MemberRecord:
    """A member as stored: the player id stays in the store and the views' checks."""

    id: int
    player_id: str
    name: str


@dataclass(frozen=True)
class LeagueRecord:
    """A league with its members, oldest first (the first keeps the league)."""

    id: int
    name: str
    selector: str
    first_day: date
    members: tuple[MemberRecord, ...]

    def member_of(self, player_id: str) -> MemberRecord | None:
        """Return the player's membership, None if they are not in the league."""
        return next((m for m in self.members if m.player_id == player_id), None)

    def kept_by(self, player_id: str) -> bool:
        """Tell whether the player keeps the league (game/leagues.keeper: the first to join)."""
        member = self.member_of(player_id)
        kept = leagues.keeper([leagues.Member(m.id, m.name) for m in self.members])
        return member is not None and kept is not None and kept.id == member.id


_LEAGUE_WITH_MEMBERS = (
    select(
        LEAGUES.c.id,
        LEAGUES.c.name,
        LEAGUES.c.invite_selector,
        LEAGUES.c.first_day,
        MEMBERS.c.id,
        MEMBERS.c.player_id,
        MEMBERS.c.display_name,
    )
    .outerjoin(MEMBERS, MEMBERS.c.league_id == LEAGUES.c.id)
    .order_by(MEMBERS.c.id)
)


def _record(rows: Sequence[tuple[object, ...]]) -> LeagueRecord | None:
    if not rows:
        return None
    first = rows[0]
    members = tuple(
        MemberRecord(int(str(row[4])), str(row[5]), str(row[6])) for row in rows if row[4]
    )
    league_day = first[3]
    assert isinstance(league_day, date)
    return LeagueRecord(int(str(first[0])), str(first[1]), str(first[2]), league_day, members)


def league(league_id: int) -> LeagueRecord | None:
    """Return a league with its members (one statement), None if there is none."""
    rows = db.session.execute(_LEAGUE_WITH_MEMBERS.where(LEAGUES.c.id == league_id)).all()
    return _record([tuple(row) for row in rows])


def league_by_selector(selector: str) -> LeagueRecord | None:
    """Return the league whose current invite has this selector, with its members."""
    statement = _LEAGUE_WITH_MEMBERS.where(LEAGUES.c.invite_selector == selector)
    return _record([tuple(row) for row in db.session.execute(statement).all()])


@dataclass(frozen=True)
class Joined:
    """A league a player is in, as their list of leagues shows it."""

    id: int
    name: str
    members: int


def leagues_of(player_id: str) -> list[Joined]:
    """Return the leagues a player is in, by name."""
    rows = db.session.execute(
        select(LEAGUES.c.id, LEAGUES.c.name, LEAGUES.c.member_count)
        .join(MEMBERS, MEMBERS.c.league_id == LEAGUES.c.id)
        .where(MEMBERS.c.player_id == player_id)
        .order_by(LEAGUES.c.name, LEAGUES.c.id)
    ).all()
    return [Joined(int(id_), str(name), int(count)) for id_, name, count in rows]


def _count_leagues(player_id: str) -> int:
    statement = select(func.count()).select_from(MEMBERS).where(MEMBERS.c.player_id == player_id)
    return int(db.session.scalar(statement) or 0)


def create(
    name: str, display_name: str, player_id: str, now: datetime, first_day: date, most: int
) -> int:
    """Make a league with its creator as first member; return its id.

    Refused("too-many") when the player is already in `most` leagues.
    """
    if _count_leagues(player_id) >= most:
        db.session.rollback()
        raise Refused("too-many")
    for attempt in range(TRIES):
        try:
            league_id = db.session.execute(
                insert(LEAGUES)
                .values(
                    name=name,
                    invite_selector=leagues.new_selector(),
                    member_count=1,
                    first_day=first_day,
                    created_at=now.astimezone(UTC),
                )
                .returning(LEAGUES.c.id)
            ).scalar_one()
            _add_member(league_id, player_id, display_name, now)
            db.session.commit()
        except IntegrityError:  # a selector drawn twice: draw again
            db.session.rollback()
            if attempt == TRIES - 1:
                raise
            continue
        return int(league_id)
    raise AssertionError("unreachable")


def _add_member(league_id: int, player_id: str, name: str, now: datetime) -> None:
    db.session.execute(
        insert(MEMBERS).values(
            league_id=league_id,
            player_id=player_id,
            display_name=name,
            name_key=leagues.name_key(name),
            joined_at=now.astimezone(UTC),
        )
    )


def join(
    found: LeagueRecord, player_id: str, display_name: str, now: datetime, most: int, room: int
) -> None:
    """Add a player to a league under a display name, in one transaction.

    Refused: "member" (already in it), "too-many" (in `most` leagues), "taken" (the name is
    another member's), "full" (`room` members), "stale" (the league or its link has gone since).
    """
    if found.member_of(player_id) is not None:
        raise Refused("member")
    key = leagues.name_key(display_name)
    if any(leagues.name_key(m.name) == key for m in found.members):
        raise Refused("taken")
    if _count_leagues(player_id) >= most:
        db.session.rollback()
        raise Refused("too-many")
    counted = db.session.execute(
        update(LEAGUES)
        .where(
            LEAGUES.c.id == found.id,
            LEAGUES.c.invite_selector == found.selector,
            LEAGUES.c.member_count < room,
        )
        .values(member_count=LEAGUES.c.member_count + 1)
        .returning(LEAGUES.c.id)
    ).all()
    if not counted:
        db.session.rollback()
        raise Refused(_why_not_counted(found))
    try:
        _add_member(found.id, player_id, display_name, now)
        db.session.commit()
    except IntegrityError:  # a racing join took the name (or this player joined twice at once)
        db.session.rollback()
        raise Refused("taken") from None


def _why_not_counted(found: LeagueRecord) -> str:
    now_selector = db.session.scalar(
        select(LEAGUES.c.invite_selector).where(LEAGUES.c.id == found.id)
    )
    return "full" if now_selector == found.selector else "stale"


def rename_league(found: LeagueRecord, name: str) -> None:
    """Give a league a new name."""
    db.session.execute(update(LEAGUES).where(LEAGUES.c.id == found.id).values(name=name))
    db.session.commit()


def new_invite(found: LeagueRecord) -> None:
    """Give a league a new invite link: the old one stops working."""
    for attempt in range(TRIES):
        try:
            db.session.execute(
                update(LEAGUES)
                .where(LEAGUES.c.id == found.id)
                .values(invite_selector=leagues.new_selector())
            )
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if attempt == TRIES - 1:
                raise
            continue
        return


def rename_member(member: MemberRecord, league_id: int, name: str) -> None:
    """Change a member's display name; Refused("taken") when another member has it."""
    try:
        db.session.execute(
            update(MEMBERS)
            .where(MEMBERS.c.id == member.id, MEMBERS.c.league_id == league_id)
            .values(display_name=name, name_key=leagues.name_key(name))
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("taken") from None


def remove(league_id: int, member_id: int) -> bool:
    """Take a member out of a league (the last out deletes it); False if they had gone."""
    gone = db.session.execute(
        delete(MEMBERS)
        .where(MEMBERS.c.id == member_id, MEMBERS.c.league_id == league_id)
        .returning(MEMBERS.c.id)
    ).all()
    if gone:
        _count_out(league_id, len(gone))
    db.session.commit()
    return bool(gone)


def _count_out(league_id: int, how_many: int) -> None:
    """Count members out of a league and delete it if none is left (caller's transaction)."""
    db.session.execute(
        update(LEAGUES)
        .where(LEAGUES.c.id == league_id)
        .values(member_count=LEAGUES.c.member_count - how_many)
    )
    db.session.execute(
        delete(LEAGUES).where(LEAGUES.c.id == league_id, LEAGUES.c.member_count <= 0)
    )


def merge_memberships(from_player: str, into_player: str) -> None:
    """Give a device's memberships to the player it now plays as (a transfer's transaction).

    Where both were in the same league, the earlier membership stays (its name, and the keeping
    of the league if it was the keeper's), now the player's, and the later one goes.
    """
    rows = db.session.execute(
        select(MEMBERS.c.id, MEMBERS.c.league_id, MEMBERS.c.player_id)
        .where(MEMBERS.c.player_id.in_((from_player, into_player)))
        .order_by(MEMBERS.c.id)
        .with_for_update()
    ).all()
    kept: dict[int, tuple[int, str]] = {}
    dropped: list[tuple[int, int]] = []
    for member_id, league_id, player in rows:
        if league_id in kept:
            dropped.append((member_id, league_id))
        else:
            kept[league_id] = (member_id, player)
    for member_id, league_id in dropped:
        db.session.execute(delete(MEMBERS).where(MEMBERS.c.id == member_id))
        _count_out(league_id, 1)
    moving = [member_id for member_id, player in kept.values() if player != into_player]
    if moving:
        db.session.execute(
            update(MEMBERS).where(MEMBERS.c.id.in_(moving)).values(player_id=into_player)
        )


# The page's games: every member's plays of the last days, with their moves' outcomes in order.
_RECENT_GAMES = (
    select(
        MEMBERS.c.id,
        PUZZLES.c.number,
        PLAYS.c.status,
        GUESSES.c.outcome,
    )
    .join(PLAYS, PLAYS.c.player_id == MEMBERS.c.player_id)
    .join(PUZZLES, PUZZLES.c.id == PLAYS.c.puzzle_id)
    .outerjoin(GUESSES, GUESSES.c.play_id == PLAYS.c.id)
    .where(PLAYS.c.archive.is_(False))
    .order_by(MEMBERS.c.id, PUZZLES.c.number, GUESSES.c.position)
)
# Stored values to the game's enums, looked up per row (an enum call costs ~1 µs: a league's
# page reads thousands of rows).
_STATUS = {status.value: status for status in Status}
_OUTCOME = {outcome.value: outcome for outcome in Outcome}


def recent_games(league_id: int, first: int, last: int) -> dict[tuple[int, int], leagues.Game]:
    """Return the members' daily games of puzzles first..last, keyed (member id, number)."""
    rows = db.session.execute(
        _RECENT_GAMES.where(
            MEMBERS.c.league_id == league_id,
            and_(PUZZLES.c.number >= first, PUZZLES.c.number <= last),
        )
    ).all()
    outcomes: dict[tuple[int, int], list[Outcome]] = {}
    status: dict[tuple[int, int], Status] = {}
    for member_id, number, stored_status, outcome in rows:
        key = (member_id, number)
        if key not in status:
            status[key] = _STATUS[stored_status]
            outcomes[key] = []
        if outcome is not None:
            outcomes[key].append(_OUTCOME[outcome])
    return {key: leagues.Game(status[key], tuple(outcomes[key])) for key in status}


# One row per finished daily game: its moves are counted by a subquery on the guesses' unique
# index (play_id, position), with no join to group back.
_MOVES = (
    select(func.count()).where(GUESSES.c.play_id == PLAYS.c.id).correlate(PLAYS).scalar_subquery()
)
# Every member's finished daily games, summed by the database: a page reads one row per member
# whatever the length of their histories. A streak is the run of consecutive puzzle numbers won
# that ends at the latest win (gaps and islands: number - row_number() is constant along a run).
_GAMES = (
    select(
        MEMBERS.c.id.label("member"),
        PUZZLES.c.number.label("number"),
        case((PLAYS.c.status == Status.WON.value, 1), else_=0).label("won"),
        # Moves are counted only where a window needs them: since the league began.
        case((PUZZLES.c.number >= bindparam("first"), _MOVES), else_=0).label("used"),
    )
    .join(PLAYS, PLAYS.c.player_id == MEMBERS.c.player_id)
    .join(PUZZLES, PUZZLES.c.id == PLAYS.c.puzzle_id)
    .where(
        MEMBERS.c.league_id == bindparam("league_id"),
        PLAYS.c.archive.is_(False),
        PLAYS.c.status.in_((Status.WON.value, Status.LOST.value)),
    )
    .cte("games")
)
_WINS = (
    select(
        _GAMES.c.member,
        _GAMES.c.number,
        (
            _GAMES.c.number
            - func.row_number().over(partition_by=_GAMES.c.member, order_by=_GAMES.c.number)
        ).label("island"),
    )
    .where(_GAMES.c.won == 1)
    .cte("wins")
)
# Each run of wins; a member's current one is the run whose last number is their latest win.
_RUNS = (
    select(
        _WINS.c.member,
        func.count().label("run"),
        func.max(_WINS.c.number).label("last"),
    )
    .group_by(_WINS.c.member, _WINS.c.island)
    .cte("runs")
)


def _window(since: str) -> tuple[Any, Any, Any]:
    """Return the sums of one window (games from puzzle `since` on): played, won, attempts."""
    inside = _GAMES.c.number >= bindparam(since)
    won = and_(inside, _GAMES.c.won == 1)
    return (
        func.sum(case((inside, 1), else_=0)),
        func.sum(case((won, 1), else_=0)),
        func.sum(case((won, _GAMES.c.used), else_=0)),
    )


_SUMS = (
    select(
        _GAMES.c.member,
        *_window("first"),
        *_window("monday"),
        func.coalesce(func.max(case((_GAMES.c.won == 1, _GAMES.c.number))), 0).label("last_win"),
        func.coalesce(func.max(case((_GAMES.c.won == 0, _GAMES.c.number))), 0).label("last_loss"),
    )
    .group_by(_GAMES.c.member)
    .subquery("sums")
)
_TALLIES = select(*_SUMS.c, func.coalesce(_RUNS.c.run, 0)).outerjoin(
    _RUNS, and_(_RUNS.c.member == _SUMS.c.member, _RUNS.c.last == _SUMS.c.last_win)
)


def tallies(league_id: int, first: int, monday: int) -> dict[int, leagues.Tally]:
    """Return each member's finished daily games summed since puzzle `first` (the league's
    start) and since `monday`, with the run of wins ending at their latest, by member id."""
    rows = db.session.execute(
        _TALLIES, {"league_id": league_id, "first": first, "monday": monday}
    ).all()
    return {
        int(row[0]): leagues.Tally(
            all_time=leagues.Record(int(row[1]), int(row[2]), int(row[3])),
            week=leagues.Record(int(row[4]), int(row[5]), int(row[6])),
            last_win=int(row[7]),
            last_loss=int(row[8]),
            run=int(row[9]),
        )
        for row in rows
    }


@dataclass(frozen=True)
class Listed:
    """A league as the operator's list shows it."""

    id: int
    name: str
    members: int
    first_day: date


def listed(name_contains: str = "") -> list[Listed]:
    """Return every league (those whose name holds the text, in any case), newest first."""
    statement = select(
        LEAGUES.c.id, LEAGUES.c.name, LEAGUES.c.member_count, LEAGUES.c.first_day
    ).order_by(LEAGUES.c.id.desc())
    if name_contains:
        statement = statement.where(func.lower(LEAGUES.c.name).contains(name_contains.lower()))
    return [Listed(int(a), str(b), int(c), d) for a, b, c, d in db.session.execute(statement)]


def delete_league(league_id: int) -> bool:
    """Delete a league and its memberships; False if there was none."""
    deleted = db.session.execute(
        delete(LEAGUES).where(LEAGUES.c.id == league_id).returning(LEAGUES.c.id)
    ).all()
    db.session.commit()
    return bool(deleted)


def usual_name(player_id: str) -> str | None:
    """Return the display name the player took last in a league (the invite page offers it)."""
    return db.session.scalar(
        select(MEMBERS.c.display_name)
        .where(MEMBERS.c.player_id == player_id)
        .order_by(MEMBERS.c.id.desc())
        .limit(1)
    )
