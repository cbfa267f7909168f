"""Leagues of friends, no account: names, invites, who keeps the league, and the standings.

A league is a name and its members, each a player (the anonymous id of web/player.py) under a
display name unique within the league. Anyone with its invite link (`/l/<token>`) may join.

- **Invite tokens** are a random selector (stored in clear, new with every new link) followed
  by a validator, 80 bits of HMAC-SHA256(secret, selector): the server recomputes the link to
  show it to members, a copy of the database alone holds no working link, and a link is judged by
  comparing validators in constant time. A new link is a new selector: the old one stops.
- **The keeper** is the member who joined first: the creator, or after they leave the member
  who joined next. The keeper renames the league, removes members and makes new links.
- **Standings** count each puzzle played on its own day (an archive game counts for nobody's
  league) since the league began: played, won, the mean attempts over wins; the current streak
  is the player's own, as their statistics page shows it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from guessthatmovie.game import share
from guessthatmovie.game.rules import Outcome, Status

LEAGUE_NAME_MAX = 40
DISPLAY_NAME_MAX = 24
# Punctuation a display name may hold besides letters, digits and single spaces.
LIGHT_PUNCTUATION = frozenset(".,'’-_!?&()#+:")
# Lower-case Crockford base32: nothing reads as another character in a link typed by hand.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
SELECTOR_LENGTH = 8  # 40 random bits: finds the league
VALIDATOR_LENGTH = 16  # 80 bits of HMAC: proves the link is the league's current one
TOKEN_LENGTH = SELECTOR_LENGTH + VALIDATOR_LENGTH
_INVITE_PURPOSE = b"guessthatmovie league invite\x00"
# Days in the compact table of grids, today's the last.
RECENT_DAYS = 7


class NameRefused(ValueError):
    """A name that cannot be used; its message says why, in the player's words."""


def _collapsed(text: str) -> str:
    """Return text in NFC with runs of white space made one space and the ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def league_name(text: str) -> str:
    """Return a league's name as kept, or raise NameRefused saying what a name may be."""
    name = _collapsed(text)
    if not name:
        raise NameRefused("Give the league a name.")
    if len(name) > LEAGUE_NAME_MAX:
        raise NameRefused(f"A league's name has at most {LEAGUE_NAME_MAX} characters.")
    if any(unicodedata.category(char)[0] == "C" for char in name):
        raise NameRefused("A league's name cannot hold control or invisible characters.")
    return name


def _allowed_in_display_name(char: str) -> bool:
    category = unicodedata.category(char)
    # Letters of any script with their accents (Lm, Mn, Mc), digits, a space, light punctuation.
    return (
        category[0] == "L"
        or category in ("Nd", "Mn", "Mc")
        or char == " "
        or (char in LIGHT_PUNCTUATION)
    )


def display_name(text: str) -> str:
    """Return a member's display name as kept, or raise NameRefused saying what it may be."""
    name = _collapsed(text)
    if not name:
        raise NameRefused("Choose the name your friends will see.")
    if len(name) > DISPLAY_NAME_MAX:
        raise NameRefused(f"A display name has at most {DISPLAY_NAME_MAX} characters.")
    if not all(_allowed_in_display_name(char) for char in name):
        raise NameRefused(
            "A display name may hold letters, digits, spaces and . , ' - _ ! ? & ( ) # + : only."
        )
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise NameRefused("A display name needs at least one letter or digit.")
    return name


def name_key(name: str) -> str:
    """Return the key two display names clash on: the same letters in any case or width."""
    return unicodedata.normalize("NFKC", name).casefold()


def new_selector() -> str:
    """Return a fresh random selector for a league's invite link."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SELECTOR_LENGTH))


def _validator(selector: str, key: bytes) -> str:
    digest = hmac.new(key, _INVITE_PURPOSE + selector.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(VALIDATOR_LENGTH))


def invite_token(selector: str, key: bytes) -> str:
    """Return the token of a league's current invite link."""
    return selector + _validator(selector, key)


def split_token(token: str) -> tuple[str, str] | None:
    """Return (selector, validator) of a well-formed token, read in any case; else None."""
    token = token.strip().lower()
    if len(token) != TOKEN_LENGTH or any(char not in ALPHABET for char in token):
        return None
    return token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]


def validates(selector: str, validator: str, key: bytes) -> bool:
    """Tell whether a validator is the selector's, comparing in constant time."""
    return hmac.compare_digest(_validator(selector, key), validator)


@dataclass(frozen=True)
class Member:
    """A member as the league's page shows them: a row id, never their player id."""

    id: int
    name: str
    is_viewer: bool = False


def keeper(members: Sequence[Member]) -> Member | None:
    """Return the member who keeps the league: the one who joined first (lowest id)."""
    return min(members, key=lambda member: member.id, default=None)


@dataclass(frozen=True)
class Standing:
    """One member's line of a table: games played and won, mean attempts over wins, streak."""

    member: Member
    played: int
    won: int
    attempts_won: int
    streak: int

    @property
    def mean_attempts(self) -> float | None:
        """Return the mean attempts a win took (None without a win)."""
        return self.attempts_won / self.won if self.won else None

    @property
    def mean_text(self) -> str:
        """Return the mean attempts to one decimal, or a dash without a win."""
        mean = self.mean_attempts
        return "–" if mean is None else f"{mean:.1f}"


def _rank(standing: Standing) -> tuple[int, float, int, str]:
    mean = standing.mean_attempts
    return (
        -standing.won,
        mean if mean is not None else 99.0,
        -standing.played,
        name_key(standing.member.name),
    )


@dataclass(frozen=True)
class Record:
    """A member's finished daily games over a window: played, won, attempts the wins took."""

    played: int = 0
    won: int = 0
    attempts_won: int = 0


@dataclass(frozen=True)
class Tally:
    """A member's finished daily games as the store sums them: since the league began, this
    week, and their latest win, latest loss and the run of wins ending at that win."""

    all_time: Record = Record()
    week: Record = Record()
    last_win: int = 0
    last_loss: int = 0
    run: int = 0

    def streak(self, today_number: int) -> int:
        """Return the current streak, as the player's own statistics count it (game/streaks.py):
        the run of wins is alive while its last win is today's or yesterday's puzzle and no loss
        came after it."""
        alive = self.last_win > self.last_loss and self.last_win >= today_number - 1
        return self.run if alive else 0


NO_GAMES = Tally()


def standings(
    members: Sequence[Member], tallies: Mapping[int, Tally], week: bool, today_number: int
) -> list[Standing]:
    """Rank members by games won, then fewer attempts per win, then more games played: this
    week's (`week`) or since the league began."""
    lines = []
    for member in members:
        tally = tallies.get(member.id, NO_GAMES)
        record = tally.week if week else tally.all_time
        lines.append(
            Standing(
                member=member,
                played=record.played,
                won=record.won,
                attempts_won=record.attempts_won,
                streak=tally.streak(today_number),
            )
        )
    return sorted(lines, key=_rank)


def week_start(day: date) -> date:
    """Return the Monday of a day's week (standings reset each Monday)."""
    return day - timedelta(days=day.weekday())


def recent_numbers(today_number: int, first_number: int = 1) -> list[int]:
    """Return the puzzle numbers of the compact table: the last seven days, today's last."""
    start = max(today_number - RECENT_DAYS + 1, first_number, 1)
    return list(range(start, today_number + 1))


@dataclass(frozen=True)
class Game:
    """A member's game of one puzzle, as a league sees it: its status and its moves' outcomes."""

    status: Status
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class Cell:
    """A member's day on the board or in the table: finished (squares and score) or not.

    Made by `cell` with everything a page shows of it worked out once: a page of 50 members
    shows 350 cells, from a few dozen distinct games.
    """

    state: str  # won, lost, playing, unfinished (a past day left unfinished) or none
    squares: tuple[share.Square, ...] = ()
    score: str = ""
    moves: tuple[share.Square, ...] = ()  # the squares of the moves made, unused ones left out
    mark: str = ""  # one character: attempts ("3"), "X" lost, else a sign
    words: str = ""  # for screen readers: "won in 3", "lost", "not played"

    @property
    def finished(self) -> bool:
        """Tell whether the game of that day is over."""
        return self.state in ("won", "lost")


CELL_MARKS = {"playing": "…", "unfinished": "·", "none": "–"}
CELL_WORDS = {
    "lost": "lost",
    "playing": "playing",
    "unfinished": "not finished",
    "none": "not played",
}
NOT_PLAYED = Cell("none", mark=CELL_MARKS["none"], words=CELL_WORDS["none"])
PLAYING = Cell("playing", mark=CELL_MARKS["playing"], words=CELL_WORDS["playing"])
UNFINISHED = Cell("unfinished", mark=CELL_MARKS["unfinished"], words=CELL_WORDS["unfinished"])


def cell(game: Game | None, attempts: int, today: bool) -> Cell:
    """Return a member's cell for one day: squares once finished, else where they stand."""
    if game is None:
        return NOT_PLAYED
    if game.status is Status.PLAYING:
        return PLAYING if today else UNFINISHED
    return _finished_cell(game.status, game.outcomes, attempts)


# A finished game's cell depends on its outcomes alone, and there are a few hundred of those:
# a page of 50 members builds 350 cells, each six squares, from a handful of distinct games.
@functools.lru_cache(maxsize=1024)
def _finished_cell(status: Status, outcomes: tuple[Outcome, ...], attempts: int) -> Cell:
    squares = share.grid(outcomes, attempts)
    score = share.score(outcomes, attempts)
    moves = tuple(square for square in squares if square.kind != share.UNUSED)
    words = f"won in {len(moves)}" if status is Status.WON else CELL_WORDS["lost"]
    return Cell(status.value, squares, score, moves, score.split("/")[0], words)


@dataclass(frozen=True)
class Line:
    """A member's line of the day's board, or of the table of grids (one cell per day)."""

    member: Member
    cells: tuple[Cell, ...]


def _board_rank(line: Line) -> tuple[int, int, str]:
    today = line.cells[-1]
    order = {"won": 0, "lost": 1, "playing": 2}.get(today.state, 3)
    return (order, len(today.moves) if today.state == "won" else 0, name_key(line.member.name))


def day_board(members: Sequence[Member], games: dict[int, Game], attempts: int) -> list[Line]:
    """Return today's board: winners by fewest attempts, then losses, playing, not yet."""
    lines = [Line(m, (cell(games.get(m.id), attempts, today=True),)) for m in members]
    return sorted(lines, key=_board_rank)


def recent_table(
    members: Sequence[Member],
    games: dict[tuple[int, int], Game],
    numbers: Sequence[int],
    attempts: int,
) -> list[Line]:
    """Return the table of grids: for each member a cell per puzzle number, today's last."""
    today = numbers[-1] if numbers else 0
    return [
        Line(
            member,
            tuple(
                cell(games.get((member.id, number)), attempts, today=number == today)
                for number in numbers
            ),
        )
        for member in sorted(members, key=lambda m: name_key(m.name))
    ]
