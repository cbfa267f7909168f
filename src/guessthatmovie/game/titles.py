"""Normalise movie titles, match guesses to catalogue titles and suggest near misses."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

ARTICLES = ("the", "a", "an")
MAX_GUESS_LENGTH = 200

# Every pattern here runs on player text, so none may backtrack over it: each is anchored to a
# character it must start at, and trailing space is stripped with str methods, not with `\s*$`
# (which is tried again from every space of a run, quadratic on a long one).
_YEAR_IN_PARENS = re.compile(r"\((\d{4})\)")
_TRAILING_ARTICLE = re.compile(r",\s*(the|a|an)\Z", re.IGNORECASE)
_DROPPED = re.compile(r"['\u2019\u2018`.]")  # apostrophes and dots join: "E.T." -> "et"
_SEPARATORS = re.compile(r"[\W_]+")
_YEAR_NOTE = re.compile(r"\b\d{4}\b")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ParsedGuess:
    """A guess reduced to its match key and the optional year the player typed."""

    key: str
    year: int | None


# Slots: a worker keeps one per catalogue name (17,000 with the bundled list) in memory.
@dataclass(frozen=True, slots=True)
class TitleEntry:
    """One catalogue title (main or alternate) with the movie it belongs to."""

    movie_id: int
    label: str
    words: str
    # How well known the film is and its year: likely_first breaks a tie of names with them.
    known: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Suggestion:
    """A catalogue movie offered as "did you mean"."""

    movie_id: int
    label: str
    detail: str = ""  # one more fact, where two choices share a title and year


def told_apart(films: Sequence[tuple[int, str, int | None]]) -> list[Suggestion]:
    """Offer films (id, label, critics' score) as choices; two of one label get their scores."""
    counts = Counter(label for _id, label, _score in films)
    return [
        Suggestion(movie_id, label, f"critics {score}%" if counts[label] > 1 and score else "")
        for movie_id, label, score in films
    ]


def likely_first(known: int | None, year: int | None) -> tuple[int, int]:
    """Sort key of films a player may mean by one name: the better known first, then the newest.

    `known` is how many people rated or reviewed the film, as the catalogue counts it
    (store.catalogue.KNOWN, the one column that says it); a film without a count comes after
    those with one. Every list of films that share a name sorts with this key: "which one did you
    mean?", "did you mean" and the typeahead.
    """
    return (-(known or 0), -(year or 0))


def clean_text(text: str) -> str:
    """Drop control characters and surrounding space from player input."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per input character where possible."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def trailing_year(text: str) -> tuple[str, int | None]:
    """Split "Heat (1995)" into the text before the year and the year; (text, None) if none."""
    stripped = text.rstrip()
    start = stripped.rfind("(")
    match = _YEAR_IN_PARENS.fullmatch(stripped, start) if start >= 0 else None
    if match is None:
        return text, None
    return stripped[:start].rstrip(), int(match[1])


def trailing_parenthesis(text: str) -> tuple[str, str] | None:
    """Split "Main (Other)" into its main part and the parenthesised note; None if no such end."""
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return None
    start = stripped.rfind("(", 0, -1)
    note = stripped[start + 1 : -1]
    if start < 1 or ")" in note or not note or "\n" in stripped:
        return None
    return stripped[:start], note


def split_alternate(title: str) -> tuple[str, list[str]]:
    """Split "12 Angry Men (Twelve Angry Men)" into the main title and its alternates."""
    main = title.strip()
    if trailing_year(main)[1] is not None:
        return main, []
    alternates: list[str] = []
    while found := trailing_parenthesis(main):
        main = found[0].strip()
        note = found[1].strip()
        # "(1984 Original)" is a cataloguer's note, not another name of the film.
        if not _YEAR_NOTE.search(note):
            alternates.insert(0, note)
    return main, alternates


def front_article(title: str) -> str:
    """Move a trailing article to the front: "Godfather, The" -> "The Godfather"."""
    title = title.strip()
    comma = title.rfind(",")
    match = _TRAILING_ARTICLE.match(title, comma) if comma > 0 else None
    return f"{match[1]} {title[:comma]}" if match else title


def title_words(title: str) -> str:
    """Reduce a title to lower-case words without accents, punctuation or leading article."""
    text = fold(clean_text(title))
    text = front_article(trailing_year(text)[0])
    text = text.replace("&", " and ")
    text = _DROPPED.sub("", text)
    words = _SEPARATORS.sub(" ", text).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def match_key(title: str) -> str:
    """Return the key two titles share when a player would call them the same."""
    # Spaces are dropped too, so "Spider-Man", "Spider Man" and "Spiderman" agree.
    return title_words(title).replace(" ", "")


def parse_guess(text: str) -> ParsedGuess:
    """Parse a player's guess into a match key and an optional "(1999)" year."""
    before, year = trailing_year(clean_text(text))
    main, _alternates = split_alternate(before)
    return ParsedGuess(key=match_key(main), year=year)


def title_variants(title: str, alternates: Iterable[str] = ()) -> list[str]:
    """List every name a movie goes by: the main title, parenthesised and stored alternates."""
    main, parenthesised = split_alternate(title)
    names = [front_article(n) for n in (main, *parenthesised, *alternates)]
    seen: set[str] = set()
    unique = []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def title_keys(title: str, alternates: Iterable[str] = ()) -> set[str]:
    """Return the match keys under which a movie can be guessed."""
    return set(title_search_words(title, alternates))


def title_search_words(title: str, alternates: Iterable[str] = ()) -> dict[str, str]:
    """Map each match key of a movie to its name as searchable words ("quietharbour" -> ...)."""
    found: dict[str, str] = {}
    for name in title_variants(title, alternates):
        words = title_words(name)
        if words:
            found.setdefault(words.replace(" ", ""), words)
    return found


# A typeahead near miss must look like the start of a title: "godfahter", "paddingtn".
TYPEAHEAD_CUTOFF = 75


def near_starts(words: str, entries: Sequence[TitleEntry], limit: int) -> list[int]:
    """Return the movie ids whose names start with something close to `words`, best first.

    Each name is cut to the typed length and compared whole (not WRatio's partial scoring, which
    ranks any short title inside the text highly: "Go" for "godfahter").
    """
    if not words or not entries:
        return []
    starts = [entry.words[: len(words)] for entry in entries]
    scored = process.extract(
        words, starts, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=TYPEAHEAD_CUTOFF
    )
    # Equal scores: the shorter name first ("Paddington" before "Paddington 2").
    scored.sort(key=lambda found: (-found[1], len(entries[found[2]].words)))
    ids: list[int] = []
    for _choice, _score, index in scored:
        movie_id = entries[index].movie_id
        if movie_id not in ids:
            ids.append(movie_id)
    return ids[:limit]


def suggest(
    query: str, entries: Sequence[TitleEntry], limit: int = 5, cutoff: float = 60
) -> list[Suggestion]:
    """Return up to `limit` distinct movies whose titles look most like `query`."""
    # Cut again after folding: NFKD can make one character many ("ﷺ" is 18 letters).
    words = title_words(query)[:MAX_GUESS_LENGTH]
    if not words or not entries:
        return []
    names = [entry.words for entry in entries]
    starts = [name[: len(words)] for name in names]
    # Three plain measures, the best of them counting: the whole name ("godfahter"), the start
    # of a longer one ("terminater 2"), and its words in any order ("empire strikes back").
    # WRatio's partial matching ranked any short title inside the text first ("E.T." for "heet").
    best: dict[int, float] = {}
    for choices, scorer, weight in (
        (names, fuzz.ratio, 1.0),
        (starts, fuzz.ratio, 0.9),
        (names, fuzz.token_set_ratio, 0.85),
    ):
        for _choice, score, index in process.extract(
            words, choices, scorer=scorer, limit=limit * 4, score_cutoff=cutoff / weight
        ):
            best[index] = max(best.get(index, 0.0), score * weight)
    # Equal scores: the shorter name first ("Paddington" before "Paddington 2"), then the film
    # a player more likely means (namesakes: the better known, the newest).
    scored = sorted(best.items(), key=lambda found: _suggestion_rank(found, entries))
    suggestions: list[Suggestion] = []
    seen: set[int] = set()
    for index, _score in scored:
        entry = entries[index]
        if entry.movie_id in seen:
            continue
        seen.add(entry.movie_id)
        suggestions.append(Suggestion(movie_id=entry.movie_id, label=entry.label))
        if len(suggestions) == limit:
            break
    return suggestions


def _suggestion_rank(
    found: tuple[int, float], entries: Sequence[TitleEntry]
) -> tuple[float, int, tuple[int, int]]:
    entry = entries[found[0]]
    return (-round(found[1], 6), len(entry.words), likely_first(entry.known, entry.year))
