"""Blank a movie's title out of review text.

The rule (README, "Redaction"): every name the movie goes by is blanked, whatever its case or
accents: the full title, its main part before a colon, dash or parenthesis, alternate titles, the
title without a trailing sequel number ("Toy Story" in a review of "Toy Story 3"), with or without
a leading article, followed by a possessive or not. A name made only of common words ("Get Out",
"Up") is blanked only where it is written capitalised like a title, so "get out of the house"
stays. Distinctive single title words ("Harbour" of "The Quiet Harbour") are blanked where they
are capitalised. Text is stored as the critic wrote it; a clue's blanked text is decided once per
puzzle and worker, when the puzzle is read (store/day_puzzle.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from guessthatmovie.game.common_words import COMMON_WORDS, MINOR_WORDS
from guessthatmovie.game.titles import ARTICLES, title_variants

MASK = "▇▇▇▇"

_SEPARATOR = re.compile(r"\s*(?::|\s[-–—]\s)\s*(?=\S)")
_SEQUEL = re.compile(
    r"^(?P<main>.+?)[\s,:]+(?:part\s+|chapter\s+|vol(?:ume|\.)?\s+)?"
    r"(?:\d{1,2}|[ivx]{1,5}|1[89]\d\d|20\d\d)$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+|&")
_JOINER = re.compile(r"\s*[:\-–—]\s*")
_NEXT_WORD = re.compile(r"[\s:,\-–—]{1,3}([^\W_]+)")
_PREVIOUS_WORD = re.compile(r"([^\W_]+)[\s:,\-–—]{1,3}$")


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """Fold case and accents, remembering which original index each folded character came from."""
    if text.isascii():
        return text.lower(), None  # one character each: the map is the identity
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(piece):
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


def _name_pattern(name: str) -> str:
    """Build a regex for one name that tolerates punctuation, spacing and "&"/"and"."""
    folded, _ = _fold_with_map(name)
    words: list[str] = _WORDS.findall(folded)
    head, rest = "", words
    if len(words) > 1 and words[0] in ARTICLES:
        # The leading article is optional: "Godfather" is as much a giveaway as "The Godfather".
        head, rest = f"(?:{re.escape(words[0])}\\W+)?", words[1:]
    parts = ["(?:and|&)" if w in ("and", "&") else re.escape(w) for w in rest]
    return head + r"[\W_]*".join(parts)


def _is_common(name: str) -> bool:
    """Return whether every word of a name is an everyday word (or a number)."""
    words = [w for w in _WORDS.findall(_fold_with_map(name)[0]) if w not in ARTICLES]
    return all(w in COMMON_WORDS or w.isdigit() or w == "&" for w in words)


def title_names(title: str, alternates: Iterable[str] = ()) -> list[str]:
    """List the names to blank: every title variant, its main part and its sequel-less form."""
    names: list[str] = []
    for name in title_variants(title, alternates):
        names.append(name)
        # Every part before a colon or dash: "Mission", "Mission: Impossible" of "... - Fallout",
        # and each part after one: "Civil War" of "Captain America: Civil War".
        separators = list(_SEPARATOR.finditer(name))
        names += [name[: sep.start()] for sep in separators if sep.start() > 0]
        names += [name[sep.end() :] for sep in separators]
    for name in list(names):
        if sequel := _SEQUEL.match(name):
            names.append(sequel["main"])
    unique: list[str] = []
    for name in names:
        if name.strip() and name not in unique:
            unique.append(name)
    return unique


def _distinctive_words(names: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for name in names:
        for word in _WORDS.findall(_fold_with_map(name)[0]):
            if len(word) >= 3 and not word.isdigit() and word not in COMMON_WORDS:
                words.add(word)
    return words


@lru_cache(maxsize=256)
def _patterns(title: str, alternates: tuple[str, ...]) -> tuple[re.Pattern[str] | None, ...]:
    """Compile (any-case names, capitalised-only names) for a movie; cached per movie."""
    names = title_names(title, alternates)
    anycase = [_name_pattern(n) for n in names if not _is_common(n)]
    capital = [_name_pattern(n) for n in names if _is_common(n)]
    capital += [re.escape(w) for w in _distinctive_words(names)]

    def compile_all(patterns: list[str]) -> re.Pattern[str] | None:
        patterns = sorted({p for p in patterns if p}, key=len, reverse=True)
        if not patterns:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")

    return compile_all(anycase), *(compile_all([p]) for p in capital)


def _capitalised(span: str) -> bool:
    """Return whether a span is written like a title: its words start upper-case (or are minor)."""
    words = re.findall(r"\w+", span)
    if not words:
        return False
    # Every word starts upper-case, except minor ones ("of", "the") after the first...
    rest_ok = all(w[0].isupper() or w[0].isdigit() or w.casefold() in MINOR_WORDS for w in words)
    # ...and the first, unless it is an optional leading article ("the Toy Story films").
    first_ok = words[0][0].isupper() or words[0][0].isdigit()
    return rest_ok and (first_ok or (len(words) > 1 and words[0].casefold() in ARTICLES))


@lru_cache(maxsize=256)
def _neighbour_words(title: str, alternates: tuple[str, ...]) -> frozenset[str]:
    """Return the folded title words a blank swallows when they stand right beside it."""
    words = set()
    for name in title_names(title, alternates):
        words.update(_WORDS.findall(_fold_with_map(name)[0]))
    return frozenset(words - set(ARTICLES) - MINOR_WORDS - {"&"})


def _widen(text: str, spans: list[tuple[int, int]], words: frozenset[str]) -> list[tuple[int, int]]:
    """Grow each span over title words beside it: no "▇▇▇▇ War" is left of "Civil War"."""
    widened: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(spans):
        limit = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        while (match := _NEXT_WORD.match(text, end, limit)) and match.end() <= limit:
            if _fold_with_map(match[1])[0] not in words:
                break
            end = match.end()
        floor = widened[-1][1] if widened else 0
        while match := _PREVIOUS_WORD.search(text, max(floor, start - 40), start):
            if _fold_with_map(match[1])[0] not in words:
                break
            start = match.start()
        widened.append((start, end))
    return widened


def title_spans(text: str, title: str, alternates: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Return the sorted, merged (start, end) spans of `text` that name the movie."""
    anycase, *capital = _patterns(title, tuple(alternates))
    folded, origin = _fold_with_map(text)

    def original(start: int, end: int) -> tuple[int, int]:
        if origin is None:
            return start, end
        return origin[start], origin[end - 1] + 1

    spans: list[tuple[int, int]] = []
    if anycase is not None:
        spans += [original(*m.span()) for m in anycase.finditer(folded)]
    for regex in capital:
        if regex is None:
            continue
        for match in regex.finditer(folded):
            start, end = original(*match.span())
            if _capitalised(text[start:end]):
                spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        # Names a few punctuation marks apart are one mention: "Mission: Impossible".
        if merged and (start <= merged[-1][1] or _JOINER.fullmatch(text[merged[-1][1] : start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return _widen(text, merged, _neighbour_words(title, tuple(alternates)))


def leaks(text: str, title: str, alternates: Iterable[str] = ()) -> list[str]:
    """Return the distinctive words of the movie's names still in `text`, once each, in order.

    Meant for redacted text: redaction blanks a distinctive word only where it is capitalised, so
    "the harbour at dawn" in a review of "The Quiet Harbour" survives it and gives the game away.
    Everyday words ("quiet") and numbers are not counted, as redaction does not count them.
    """
    distinctive = _distinctive_words(title_names(title, alternates))
    found: list[str] = []
    for word in _WORDS.findall(_fold_with_map(text)[0]):
        if word in distinctive and word not in found:
            found.append(word)
    return found


def redact_title(text: str, title: str, alternates: Iterable[str] = (), mask: str = MASK) -> str:
    """Replace every mention of the movie's names in `text` with the mask."""
    pieces: list[str] = []
    cursor = 0
    for start, end in title_spans(text, title, alternates):
        pieces.append(text[cursor:start])
        pieces.append(mask)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
