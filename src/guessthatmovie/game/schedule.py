"""The daily calendar: today's date, its puzzle number, the deterministic pick and its rules."""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def puzzle_date(now: datetime, timezone: str) -> date:
    """Return the puzzle day that an aware instant falls on in the configured timezone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


def puzzle_number(day: date, launch: date) -> int:
    """Return the puzzle number of a day: the launch day is #1."""
    return (day - launch).days + 1


def date_of_number(number: int, launch: date) -> date:
    """Return the day a puzzle number belongs to."""
    return date.fromordinal(launch.toordinal() + number - 1)


def pick_movie(day: date, eligible: Sequence[int], secret: bytes) -> int | None:
    """Pick a movie id for a day, the same in every worker, unpredictable without the secret."""
    if not eligible:
        return None
    ordered = sorted(eligible)
    digest = hmac.new(secret, day.isoformat().encode(), hashlib.sha256).digest()
    return ordered[int.from_bytes(digest[:8], "big") % len(ordered)]


def suggested_critic_count(counts: Sequence[int | None], missing: int) -> int | None:
    """Return the highest --min-critic-count that leaves `missing` movies, or None if none does.

    `counts` are the critic counts of the movies that only popularity keeps out or lets in
    (None: the movie has no count and always passes).
    """
    if missing <= 0 or len(counts) < missing:
        return None
    ranked = sorted((c for c in counts if c is not None), reverse=True)
    no_count = len(counts) - len(ranked)
    if no_count >= missing:
        return None
    return ranked[missing - no_count - 1]


# Variety (issue 24): how far apart two films of one franchise, or by one director, must be.
FRANCHISE_DAYS = 60
DIRECTOR_DAYS = 30
GENRE_RUN = 3  # no genre this many days running


@dataclass(frozen=True)
class Candidate:
    """A film as the pick sees it: plain values read from the catalogue."""

    movie_id: int
    title: str
    year: int | None
    genres: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()  # folded names (game/known.py director_names)
    relatives: frozenset[str] = frozenset()  # other catalogue titles of its franchise
    known_ratings: int | None = None
    known_score: int | None = None
    credits: str = ""  # the directors as the dump writes them, for the operator's eyes

    @property
    def decade(self) -> int | None:
        """Return the decade the film came out in (1990 for 1994)."""
        return None if self.year is None else self.year // 10 * 10


Calendar = Mapping[date, Candidate]


def above_floor(candidate: Candidate, min_ratings: int) -> bool:
    """Tell whether players can know a film: enough ratings, or no count at all."""
    return candidate.known_ratings is None or candidate.known_ratings >= min_ratings


@dataclass(frozen=True)
class Nearby:
    """What the films around a day rule out: franchises, directors, genres running on."""

    titles: frozenset[str] = frozenset()  # films within FRANCHISE_DAYS
    relatives: frozenset[str] = frozenset()  # their franchises' other titles
    directors: frozenset[str] = frozenset()  # of films within DIRECTOR_DAYS
    genres: frozenset[str] = frozenset()  # that a film on the day would make run GENRE_RUN days


def _within(day: date, calendar: Calendar, days: int) -> list[Candidate]:
    """Return the films scheduled less than `days` days from a day, the day itself left out."""
    found = (calendar.get(day + timedelta(days=offset)) for offset in range(1 - days, days))
    return [film for offset, film in enumerate(found, 1 - days) if film is not None and offset]


def _genre_runs(day: date, calendar: Calendar) -> frozenset[str]:
    """Return the genres that a film on `day` would make run GENRE_RUN days."""
    runs: set[str] = set()
    for first in range(1 - GENRE_RUN, 1):
        others = [day + timedelta(days=first + step) for step in range(GENRE_RUN)]
        films = [calendar.get(when) for when in others if when != day]
        if all(film is not None for film in films):
            runs |= set.intersection(*(set(film.genres) for film in films if film is not None))
    return frozenset(runs)


def nearby(day: date, calendar: Calendar) -> Nearby:
    """Gather what the calendar around a day rules out for it."""
    franchise = _within(day, calendar, FRANCHISE_DAYS)
    return Nearby(
        titles=frozenset(film.title for film in franchise),
        relatives=frozenset(title for film in franchise for title in film.relatives),
        directors=frozenset(
            name for film in _within(day, calendar, DIRECTOR_DAYS) for name in film.directors
        ),
        genres=_genre_runs(day, calendar),
    )


def refusal(candidate: Candidate, near: Nearby) -> str | None:
    """Return the variety rule that keeps a film off a day ("franchise", ...), or None."""
    if candidate.title in near.relatives or candidate.relatives & near.titles:
        return "franchise"
    if near.directors.intersection(candidate.directors):
        return "director"
    if near.genres.intersection(candidate.genres):
        return "genre"
    return None


def _preferred(
    day: date, films: list[Candidate], calendar: Calendar, curve: bool
) -> list[Candidate]:
    """Narrow the allowed films by the soft rules, each only where some film is left."""
    neighbours = {
        calendar[d].decade for d in (day - timedelta(1), day + timedelta(1)) if d in calendar
    }
    mixed = [film for film in films if film.decade not in neighbours]
    films = mixed or films
    if curve and day.weekday() < 3:
        # A gentle week: Monday to Wednesday, the better-known half of what is allowed.
        scores = sorted(film.known_score or 0 for film in films)
        median = scores[len(scores) // 2]
        films = [film for film in films if (film.known_score or 0) >= median] or films
    return films


@dataclass(frozen=True)
class Choice:
    """The film a day gets (None: the rules left nothing), and what each rule refused."""

    movie_id: int | None
    refused: Counter[str]
    allowed: int
    relaxed: str | None = None  # the rules set aside to find a film at all (relax=True)


# Least important last: a day that must have a film sets these aside from the end.
RULES = ("franchise", "director", "genre")


def _relaxed(refusals: list[tuple[Candidate, str]]) -> tuple[list[Candidate], str | None]:
    """Return the films allowed with the fewest rules set aside, and the rules set aside."""
    for keep in range(len(RULES) - 1, -1, -1):
        films = [film for film, rule in refusals if rule not in RULES[:keep]]
        if films:
            return films, ", ".join(RULES[keep:])
    return [], None


def choose(
    day: date,
    candidates: Sequence[Candidate],
    calendar: Calendar,
    secret: bytes,
    curve: bool = False,
    relax: bool = False,
) -> Choice:
    """Pick a day's film among those the variety rules allow, by the HMAC pick.

    With `relax`, a day the rules leave empty still gets a film: the least important rules are
    set aside first (a puzzle a player can play beats none)."""
    refused: Counter[str] = Counter()
    allowed: list[Candidate] = []
    refusals: list[tuple[Candidate, str]] = []
    near = nearby(day, calendar)
    for candidate in candidates:
        rule = refusal(candidate, near)
        if rule is None:
            allowed.append(candidate)
        else:
            refused[rule] += 1
            refusals.append((candidate, rule))
    relaxed = None
    films = allowed
    if not allowed and relax:
        films, relaxed = _relaxed(refusals)
    preferred = _preferred(day, films, calendar, curve)
    by_id = [film.movie_id for film in preferred]
    return Choice(pick_movie(day, by_id, secret), refused, len(allowed), relaxed)


def known_words(candidate: Candidate) -> str:
    """Say a film's known-ness as an operator reads it."""
    if candidate.known_ratings is None:
        return "known-ness: no count"
    return f"known-ness {candidate.known_score}/100 (~{candidate.known_ratings:,} ratings)"


def why_allowed(candidate: Candidate, day: date, calendar: Calendar, min_ratings: int) -> str:
    """Say why the rules allow a film on a day, or which rule it breaks."""
    if not above_floor(candidate, min_ratings):
        floor = f"BELOW the floor of ~{min_ratings:,} ratings"
    elif candidate.known_ratings is None:
        floor = "not held back by the floor (no count)"
    else:
        floor = f"above the floor of ~{min_ratings:,} ratings"
    rule = refusal(candidate, nearby(day, calendar))
    if rule is not None:
        return f"{floor}; BREAKS the {rule} rule"
    return (
        f"{floor}; no film of its franchise within {FRANCHISE_DAYS} days, none by its director "
        f"within {DIRECTOR_DAYS}, no genre {GENRE_RUN} days running"
    )
