"""The operator's own films: the checks of `puzzle set`, and a curated list (`schedule --from`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from guessthatmovie.clock import now
from guessthatmovie.game import leaks, preview, rules, titles
from guessthatmovie.models import Movie
from guessthatmovie.store import catalogue, curation, puzzles
from guessthatmovie.store.day_puzzle import PuzzleMovie
from guessthatmovie.store.snippets import franchise_index


def names_of(movie: Movie | PuzzleMovie, franchise: leaks.FranchiseIndex) -> leaks.FilmNames:
    """Return what the movie's clues must not say, as the import's chooser saw it."""
    return leaks.film_names(movie.title, movie.alt_titles or (), movie.synopsis or "", franchise)


def find_film(text: str) -> Movie | str:
    """Return the one catalogue film a title ("Alien (1979)") or a dump id names, or why not."""
    matches = catalogue.movies_matching(titles.parse_guess(text))
    if not matches:
        by_id = curation.movie_by_source_id(text.strip())
        matches = [by_id] if by_id is not None else []
    if not matches:
        return f"No catalogue movie is called {text!r}."
    if len(matches) > 1:
        labels = "; ".join(movie.label for movie in matches)
        return f'{text!r} is ambiguous: {labels}. Add the year, e.g. "{matches[0].label}".'
    return matches[0]


def clue_problem(movie: Movie, franchise: leaks.FranchiseIndex) -> str | None:
    """Say why a film's clues cannot fill a game (too few clean ones, a leak), or None."""
    attempts = current_app.config["GAME_ATTEMPTS"]
    needed = rules.clues_needed(attempts)
    names = names_of(movie, franchise)
    every = [(s.text, s.critic, s.publication) for s in movie.snippets]
    shown = preview.shown_clues(every, names, len(every))
    clean = sum(preview.is_clean(clue, names) for clue in shown)
    if not preview.problems(shown[:needed], names, needed):
        return None
    return (
        f"{movie.label} cannot fill a game: it has {clean} clean review clue(s) of "
        f"{len(every)} stored, and a game of {attempts} attempts shows {needed}, in order. "
        "Run `flask catalog audit` for the details."
    )


def vet(text: str, franchise: leaks.FranchiseIndex) -> Movie | str:
    """Return the film a line names if it can be a puzzle (`puzzle set`'s rules), or why not."""
    found = find_film(text)
    if isinstance(found, str):
        return found
    return clue_problem(found, franchise) or found


@dataclass(frozen=True)
class Curated:
    """A curated list read and checked: its films in order, and its refused lines."""

    films: list[tuple[int, Movie]]  # (line number, film)
    refused: list[tuple[int, str]]  # (line number, why)


def read_curated(path: Path) -> Curated:
    """Check every line of a curated list (blank lines and # comments skipped)."""
    franchise = franchise_index()
    films: list[tuple[int, Movie]] = []
    refused: list[tuple[int, str]] = []
    seen: dict[int, int] = {}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        found = vet(text, franchise)
        if isinstance(found, str):
            refused.append((number, found))
        elif found.id in seen:
            refused.append((number, f"{found.label} is already on line {seen[found.id]}."))
        else:
            seen[found.id] = number
            films.append((number, found))
    used = curation.puzzle_days([movie.id for _number, movie in films])
    refused += [
        (n, f"{m.label} is already the puzzle of {used[m.id]}.") for n, m in films if m.id in used
    ]
    return Curated(films, sorted(refused))


def schedule_curated(path: Path, first: date) -> list[str]:
    """Put a curated list's films on the free days from `first`: every line or none.

    Return the lines to print; raise puzzles.ScheduleError naming each refused line."""
    curated = read_curated(path)
    if curated.refused:
        lines = [f"{path}:{number}: {why}" for number, why in curated.refused]
        raise puzzles.ScheduleError(
            "\n".join([*lines, f"{len(curated.refused)} line(s) refused: nothing was scheduled."])
        )
    films = [movie for _number, movie in curated.films]
    placed = curation.set_free_days(first, films, current_app.config["GAME_LAUNCH_DATE"], now())
    return [f"{day} #{number}: {label}" for day, number, label in placed]
