"""Order a film's clues vague to revealing, by what in each gives the film away.

Signals come from the catalogue, not from the look of the text: the names of the cast (in a
2020 synopsis, inside the parentheses), of the characters and of the places the synopsis gives,
and the plot words it uses. A clue of pure opinion comes first; one that names the people and
the places of the film, or retells its plot, comes last. Blanks and numbers (a year, a sequel)
count too. Capitalised words the catalogue does not know weigh least: a dump without a synopsis
(the 2023 one) still orders by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guessthatmovie.game.common_words import COMMON_WORDS, MINOR_WORDS
from guessthatmovie.game.leaks import FilmNames, title_words
from guessthatmovie.game.redact import MASK
from guessthatmovie.game.titles import fold

_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]+")
_PARENTHESES = re.compile(r"\(([^()]{1,200})\)")
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\b\d+\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…\"“”]\s*)$")
NAME_WEIGHT = 3
PLOT_WEIGHT = 1
BLANK_WEIGHT = 2
NUMBER_WEIGHT = 1


@dataclass(frozen=True)
class Signals:
    """What gives a film away: folded names (cast, characters, places) and plot words."""

    names: frozenset[str]
    plot: frozenset[str]


def signals_of(names: FilmNames) -> Signals:
    """Gather a film's giveaway signals from its synopsis and the names the leak check knows."""
    synopsis = names.synopsis
    found = {fold(word) for word in names.characters}
    for inside in _PARENTHESES.findall(synopsis):
        found.update(fold(word) for word in _CAPITALISED.findall(inside))
    found.update(fold(word) for word in _CAPITALISED.findall(_PARENTHESES.sub(" ", synopsis)))
    found -= COMMON_WORDS | MINOR_WORDS
    own = title_words(names.title, names.alternates)
    lower = {fold(word) for word in _WORD.findall(synopsis) if word.islower()}
    plot = {w for w in lower if len(w) >= 5 and w not in COMMON_WORDS} - own - found
    return Signals(frozenset(w for w in found if len(w) >= 3), frozenset(plot))


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)


def revealing(shown: str, signals: Signals) -> int:
    """Score how much a clue as shown gives away: higher is more revealing."""
    score = BLANK_WEIGHT * shown.count(MASK) + NUMBER_WEIGHT * len(_NUMBER.findall(shown))
    for match in _CAPITALISED.finditer(shown):
        word = _fold(match.group())
        if word in signals.names:
            score += NAME_WEIGHT
        elif word not in COMMON_WORDS and not _SENTENCE_START.search(shown[: match.start()]):
            score += 1  # a name the catalogue does not know
    for word in _WORD.findall(shown):
        if word.islower() and (word in signals.plot or word.rstrip("s") in signals.plot):
            score += PLOT_WEIGHT
    return score
