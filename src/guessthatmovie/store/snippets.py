"""A film's review snippets: what choosing its clues reads, and the writes of the chosen ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update

from guessthatmovie.extensions import db
from guessthatmovie.game import leaks
from guessthatmovie.game.clues import Candidate, review_key
from guessthatmovie.game.records import ReviewRecord
from guessthatmovie.models import Movie, ReviewSnippet
from guessthatmovie.store.films import known_ids, played_movies


@dataclass(frozen=True)
class FilmClues:
    """What choosing a film's clues needs from the catalogue, as plain values."""

    movie_id: int
    title: str
    alternates: list[str]
    synopsis: str
    critic_count: int | None
    played: bool
    current: list[Candidate]  # its stored clues, in order (none read for a played film)


def franchise_index() -> leaks.FranchiseIndex:
    """Index every catalogue title by what a franchise shares (read once per import)."""
    rows = db.session.execute(select(Movie.title, Movie.alt_titles))
    return leaks.FranchiseIndex((title, alternates or ()) for title, alternates in rows)


def _stored_clues(movie_ids: Sequence[int]) -> dict[int, list[Candidate]]:
    stored: dict[int, list[Candidate]] = defaultdict(list)
    rows = db.session.execute(
        select(
            ReviewSnippet.movie_id,
            ReviewSnippet.text,
            ReviewSnippet.critic,
            ReviewSnippet.publication,
            ReviewSnippet.fresh,
            ReviewSnippet.top_critic,
            ReviewSnippet.source_key,
        )
        .where(ReviewSnippet.movie_id.in_(movie_ids))
        .order_by(ReviewSnippet.movie_id, ReviewSnippet.position)
    )
    for movie_id, text, critic, publication, fresh, top, key in rows:
        stored[movie_id].append(
            Candidate(text, critic, publication, fresh, top, key or review_key(critic, text))
        )
    return stored


def films_for_clues(source: str, external_ids: Iterable[str], today: date) -> dict[str, FilmClues]:
    """Return, by dump id, the catalogue films these ids name, with their stored clues."""
    known = known_ids(source, external_ids)
    if not known:
        return {}
    facts = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(
                Movie.id, Movie.title, Movie.alt_titles, Movie.synopsis, Movie.critic_count
            ).where(Movie.id.in_(known.values()))
        )
    }
    played = played_movies(facts, today)
    stored = _stored_clues([movie_id for movie_id in facts if movie_id not in played])
    films = {}
    for external_id, movie_id in known.items():
        title, alternates, synopsis, count = facts[movie_id]
        films[external_id] = FilmClues(
            movie_id,
            title,
            list(alternates or ()),
            synopsis or "",
            count,
            movie_id in played,
            stored.get(movie_id, []),
        )
    return films


def write_clues(critic_counts: Mapping[int, int], clues: Mapping[int, Sequence[Candidate]]) -> None:
    """Set these films' critic counts and replace their clues (in the order given)."""
    for movie_id, count in critic_counts.items():
        db.session.execute(update(Movie).where(Movie.id == movie_id).values(critic_count=count))
    if not clues:
        return
    db.session.execute(delete(ReviewSnippet).where(ReviewSnippet.movie_id.in_(clues)))
    rows: list[dict[str, Any]] = [
        {
            "movie_id": movie_id,
            "position": position,
            "text": clue.text,
            "critic": clue.critic[:200],
            "publication": clue.publication[:200],
            "fresh": clue.fresh,
            "top_critic": clue.top_critic,
            "source_key": clue.key,
        }
        for movie_id, chosen in clues.items()
        for position, clue in enumerate(chosen)
    ]
    if rows:
        db.session.execute(insert(ReviewSnippet), rows)


def append_snippets(wanted: Mapping[int, Sequence[ReviewRecord]]) -> int:
    """Add to each film the snippets it lacks (same text), after its own; return how many."""
    texts: dict[int, set[str]] = defaultdict(set)
    following: dict[int, int] = defaultdict(int)
    rows = db.session.execute(
        select(ReviewSnippet.movie_id, ReviewSnippet.text, ReviewSnippet.position).where(
            ReviewSnippet.movie_id.in_(wanted)
        )
    )
    for movie_id, text, position in rows:
        texts[movie_id].add(text)
        following[movie_id] = max(following[movie_id], position + 1)
    added = 0
    for movie_id, records in wanted.items():
        for record in records:
            if record.text in texts[movie_id]:
                continue
            texts[movie_id].add(record.text)
            db.session.add(
                ReviewSnippet(
                    movie_id=movie_id,
                    position=following[movie_id],
                    text=record.text,
                    critic=record.critic,
                    publication=record.publication,
                    fresh=record.fresh,
                    top_critic=record.top_critic,
                )
            )
            following[movie_id] += 1
            added += 1
    return added
