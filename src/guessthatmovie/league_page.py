"""A league's page as plain values: the day's board, the standings and the last days' grids.

Calls the store (three statements, whatever the league's size) and the game's rules; no Flask.
Nothing in it names a film or holds a guess: only outcomes (squares), as the share text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guessthatmovie.game import leagues, schedule
from guessthatmovie.store import leagues as store
from guessthatmovie.store.leagues import LeagueRecord


@dataclass(frozen=True)
class DayColumn:
    """A column of the table of grids: a puzzle's number and its day."""

    number: int
    day: date

    @property
    def short(self) -> str:
        """Return the day as its column's heading: "Mo"."""
        return self.day.strftime("%a")[:2]

    @property
    def long(self) -> str:
        """Return the day in full, with its puzzle's number."""
        return f"{self.day:%A} {self.day.day} {self.day:%B}, puzzle #{self.number}"


@dataclass(frozen=True)
class LeaguePage:
    """What the league's page shows."""

    id: int
    name: str
    today_number: int
    members: tuple[leagues.Member, ...]
    viewer: leagues.Member
    keeper: leagues.Member
    board: tuple[leagues.Line, ...]
    week: tuple[leagues.Standing, ...]
    all_time: tuple[leagues.Standing, ...]
    days: tuple[DayColumn, ...]
    recent: tuple[leagues.Line, ...]

    @property
    def viewer_keeps(self) -> bool:
        """Tell whether the viewer keeps the league (renames it, removes members)."""
        return self.viewer.id == self.keeper.id

    @property
    def viewer_finished(self) -> bool:
        """Tell whether the viewer has finished today's puzzle."""
        return any(line.member.is_viewer and line.cells[-1].finished for line in self.board)

    @property
    def viewer_playing(self) -> bool:
        """Tell whether the viewer has started today's puzzle without finishing it."""
        return any(
            line.member.is_viewer and line.cells[-1].state == "playing" for line in self.board
        )

    @property
    def finished_today(self) -> int:
        """Return how many members have finished today's puzzle."""
        return sum(1 for line in self.board if line.cells[-1].finished)


def members_seen_by(found: LeagueRecord, player_id: str) -> tuple[leagues.Member, ...]:
    """Return the members as the player sees them: names and row ids, the viewer marked."""
    return tuple(
        leagues.Member(m.id, m.name, is_viewer=m.player_id == player_id) for m in found.members
    )


def league_page(
    found: LeagueRecord, player_id: str, today: date, launch: date, attempts: int
) -> LeaguePage:
    """Build the page of a league the player is in (the caller checked they are)."""
    members = members_seen_by(found, player_id)
    viewer = next(m for m in members if m.is_viewer)
    keeper = leagues.keeper(members)
    assert keeper is not None
    today_number = schedule.puzzle_number(today, launch)
    numbers = leagues.recent_numbers(today_number)
    games = store.recent_games(found.id, numbers[0] if numbers else today_number, today_number)
    first = max(schedule.puzzle_number(found.first_day, launch), 1)
    monday = max(schedule.puzzle_number(leagues.week_start(today), launch), first)
    tallies = store.tallies(found.id, first, monday)
    today_games = {member_id: game for (member_id, n), game in games.items() if n == today_number}
    return LeaguePage(
        id=found.id,
        name=found.name,
        today_number=today_number,
        members=members,
        viewer=viewer,
        keeper=keeper,
        board=tuple(leagues.day_board(members, today_games, attempts)),
        week=tuple(leagues.standings(members, tallies, True, today_number)),
        all_time=tuple(leagues.standings(members, tallies, False, today_number)),
        days=tuple(DayColumn(n, schedule.date_of_number(n, launch)) for n in numbers),
        recent=tuple(leagues.recent_table(members, games, numbers, attempts)),
    )
