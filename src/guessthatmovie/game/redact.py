"""Blank a movie's title out of review text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from guessthatmovie.game.titles import ARTICLES, title_variants

MASK = "▇▇▇▇"


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold case and accents, remembering which original index each folded character came from."""
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
    words: list[str] = re.findall(r"\w+|&", folded)
    head, rest = "", words
    if len(words) > 1 and words[0] in ARTICLES:
        # The leading article is optional: "Godfather" is as much a giveaway as "The Godfather".
        head, rest = f"(?:{re.escape(words[0])}\\W+)?", words[1:]
    parts = ["(?:and|&)" if w in ("and", "&") else re.escape(w) for w in rest]
    return head + r"[\W_]*".join(parts)


def redact_title(text: str, title: str, alternates: Iterable[str] = (), mask: str = MASK) -> str:
    """Replace every mention of the movie's names in `text` with the mask."""
    names = title_variants(title, alternates)
    patterns = [_name_pattern(name) for name in names]
    patterns = sorted((p for p in patterns if p), key=len, reverse=True)
    if not patterns:
        return text
    folded, origin = _fold_with_map(text)
    regex = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")
    pieces: list[str] = []
    cursor = 0
    for match in regex.finditer(folded):
        start = origin[match.start()]
        end = origin[match.end() - 1] + 1
        pieces.append(text[cursor:start])
        pieces.append(mask)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
