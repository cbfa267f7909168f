"""Say whether a clue, as players are shown it, still names the film: one check for every user.

The import's clue chooser, `flask puzzle preview`, `flask puzzle set` and `flask catalog audit`
all call `giveaways`, so what the operator passes is what players see. A shown clue names the
film when, after blanking, it still holds:
- a title, alternate title or a part of one (each side of a colon or dash, without a sequel
  number or year), or an everyday title word written capitalised mid-sentence ("When Snow rides");
- a title word right beside a blank ("▇▇▇▇ war"), in any case;
- a distinctive title word in any case, glued to another word ("Widowsis") or misspelt
  ("Quantunmania");
- a name the synopsis gives the film's people ("Hannay"), written capitalised;
- the title of another catalogue film of the same franchise (sharing a distinctive title word or
  the part before a colon).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from guessthatmovie.game import redact
from guessthatmovie.game.common_words import COMMON_WORDS, MINOR_WORDS
from guessthatmovie.game.titles import ARTICLES, fold, title_variants

# The rules, as named in reports (the import's tally, the audit, the preview).
TITLE = "names the title"
BESIDE_BLANK = "title word beside the blank"
GLUED = "title word glued or misspelt"
CHARACTER = "names a character"
FRANCHISE = "names a film of the franchise"

_WORD = re.compile(r"[^\W_]+")
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]+")
_PARENTHESES = re.compile(r"\([^()]{0,200}\)")
_CAST = re.compile(
    r"(?P<character>(?:[A-Z][\w'’.-]+\s){0,3}[A-Z][\w'’.-]+)\s\((?:[A-Z][\w'’.-]*\s?){1,4}\)"
)
# Words that come shortly before a place or a people rather than a person: "in postwar Rome",
# "a kind-hearted Alabama man", "toward Jupiter".
_PLACE_CUES = frozenset(
    [
        *("in", "at", "from", "to", "toward", "towards", "into", "across", "near", "outside"),
        *("through", "around", "of", "on", "for", "a", "an", "the"),
    ]
)
_CUE_WORD = re.compile(r"[\w'’-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…\"“”]\s*|\s[-–—]\s)$")
_BLANK_NEIGHBOURS = re.compile(
    rf"([^\W_]+)[^\w▇]{{0,3}}{re.escape(redact.MASK)}|{re.escape(redact.MASK)}[^\w▇]{{0,3}}([^\W_]+)"
)
_COMPOUND = re.compile(r"\b[^\W_]+(?:-[^\W_]+)+\b")
_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s)\s*")
# Endings that make another word of a title word rather than glue one on ("criminally").
_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "ness", "ish", "ian", "ism", "y")
MAX_RELATIVES = 40
# What ends a head without naming anything: "Part" and Roman sequel numbers.
_SEQUEL_WORDS = frozenset({"part", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"})


@dataclass(frozen=True)
class Finding:
    """One way a shown clue names the film: the rule and the words that break it."""

    rule: str
    words: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.words})"


@dataclass(frozen=True)
class FilmNames:
    """Everything a clue must not say about a film: its titles, its people, its franchise."""

    title: str
    alternates: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    relatives: tuple[str, ...] = ()
    synopsis: str = ""


def _folded_words(text: str) -> list[str]:
    return _WORD.findall(text.lower() if text.isascii() else fold(text))


def title_parts(title: str, alternates: Iterable[str] = ()) -> list[str]:
    """List every name and part of a name the film goes by (both sides of colons and dashes)."""
    return list(_title_parts(title, tuple(alternates)))


@lru_cache(maxsize=8192)
def _title_parts(title: str, alternates: tuple[str, ...]) -> tuple[str, ...]:
    names = redact.title_names(title, alternates)
    parts = [part for name in names for part in _SPLIT.split(name) if part]
    # A hyphenated name inside a title is a name of its own: "Ant-Man" of "Ant-Man and the Wasp".
    compounds = [m.group() for name in names for m in _COMPOUND.finditer(name)]
    return tuple(dict.fromkeys([*names, *parts, *compounds]))


def title_words(title: str, alternates: Iterable[str] = ()) -> set[str]:
    """Return the folded words of a film's names, without articles, minor words and numbers."""
    return set(_title_words(title, tuple(alternates)))


@lru_cache(maxsize=8192)
def _title_words(title: str, alternates: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for name in _title_parts(title, alternates):
        for word in _folded_words(name):
            if len(word) >= 2 and not word.isdigit() and word not in MINOR_WORDS:
                words.add(word)
    return frozenset(words - set(ARTICLES))


def distinctive_words(title: str, alternates: Iterable[str] = ()) -> set[str]:
    """Return the title words no everyday sentence needs (what a franchise shares)."""
    return {w for w in title_words(title, alternates) if len(w) >= 3 and w not in COMMON_WORDS}


def character_names(
    synopsis: str, title: str = "", alternates: Iterable[str] = ()
) -> tuple[str, ...]:
    """Return the names a synopsis gives the film's people.

    Synopses name people as "Richard Hannay (Robert Donat)": the words before the parentheses
    are the character's, those inside the cast's (who is in the film, not what it is called).
    Other capitalised words in the middle of a sentence count too, unless they read as a place
    or a people ("in Havana", "a kind-hearted Alabama man"): those say where, not who.
    """
    own = title_words(title, alternates)
    names: list[str] = []
    title_people: set[str] = set()
    for match in _CAST.finditer(synopsis):
        # A title word is kept when it names a person ("Snow White (…)"): the check then
        # catches it where a sentence starts with it too ("Snow rides into battle").
        cast_words = match["character"].split()
        title_people.update(w for w in cast_words if fold(w) in own)
        names += cast_words
    text = _PARENTHESES.sub(" ", synopsis)
    for match in _CAPITALISED.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        cues = {word.casefold() for word in _CUE_WORD.findall(before)[-3:]}
        if _SENTENCE_START.search(before[-3:]) or cues & _PLACE_CUES:
            continue
        names.append(match.group())
    kept = [
        n
        for n in names
        if len(n) >= 3
        and fold(n) not in MINOR_WORDS
        and (n in title_people or fold(n) not in COMMON_WORDS | own)
    ]
    return tuple(dict.fromkeys(kept))


class FranchiseIndex:
    """The catalogue's titles by their heads: a franchise is the films whose titles start alike.

    A title's head is what comes before its first colon or dash, without a leading article or a
    sequel number ("Commander Atlas" of "Commander Atlas: Iron Winter", "Toy Story" of "Toy
    Story 3"). Two films are of one franchise when one head starts the other ("Sorcerer Vane" and
    "Sorcerer Vane in the Mirrorverse of Dread") or both start with the same two words ("Harry
    Potter and the …"), and what they share is more than everyday words. A word that merely
    appears in both titles ("Samurai", "Dragon", "Hidden") makes no franchise: with a catalogue
    of every film, it would make every name in dozens of unrelated titles a giveaway.
    """

    def __init__(self, titles: Iterable[tuple[str, Sequence[str]]] = ()) -> None:
        self._starting: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self._whole: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for title, alternates in titles:
            for head in self.heads(title, alternates):
                self._whole[head].append(title)
                for size in range(1, min(len(head), 2) + 1):
                    self._starting[head[:size]].append(title)

    @staticmethod
    def heads(title: str, alternates: Sequence[str] = ()) -> set[tuple[str, ...]]:
        """Return the folded words each of a film's names starts with, up to a colon or dash."""
        heads = set()
        for name in title_variants(title, alternates):
            words = _folded_words(_SPLIT.split(name, maxsplit=1)[0])
            if words and words[0] in ARTICLES:
                words = words[1:]
            while words and (words[-1].isdigit() or words[-1] in _SEQUEL_WORDS):
                words = words[:-1]
            if words:
                heads.add(tuple(words))
        return heads

    def relatives(self, title: str, alternates: Sequence[str] = ()) -> tuple[str, ...]:
        """Return other catalogue titles of the film's franchise (a bounded, stable number)."""
        found: set[str] = set()
        for head in self.heads(title, alternates):
            if _meaningful(head[:2]):
                # Heads that start as this one does: its sequels, and films of both words.
                found.update(self._starting.get(head[:2], ()))
            for size in range(1, len(head)):
                if _meaningful(head[:size]):
                    found.update(self._whole.get(head[:size], ()))  # a head that starts this one
        found.discard(title)
        return tuple(sorted(found)[:MAX_RELATIVES])


def _meaningful(words: tuple[str, ...]) -> bool:
    """Tell whether words name something: one of them is neither everyday nor minor."""
    return any(len(w) >= 3 and w not in COMMON_WORDS and w not in MINOR_WORDS for w in words)


def film_names(
    title: str,
    alternates: Sequence[str] = (),
    synopsis: str = "",
    franchise: FranchiseIndex | None = None,
) -> FilmNames:
    """Gather what a clue of this film must not say."""
    return FilmNames(
        title=title,
        alternates=tuple(alternates),
        characters=character_names(synopsis, title, alternates),
        relatives=franchise.relatives(title, alternates) if franchise else (),
        synopsis=synopsis,
    )


def _mid_sentence(text: str, start: int) -> bool:
    return not _SENTENCE_START.search(text[max(0, start - 3) : start])


def _glued_or_misspelt(word: str, targets: Sequence[tuple[str, int]]) -> bool:
    """Return whether a word is a distinctive title word glued to another, or misspelt."""
    size = len(word)
    for target, length in targets:
        if length <= size and target in word:
            rest = word.replace(target, "", 1)
            # "criminally" is another word; "eternalsstrives" is two run together.
            if not (word.startswith(target) and rest in _SUFFIXES):
                return True
            continue
        # A misspelling keeps the first letter and the length, give or take one.
        if length < 5 or abs(size - length) > 1 or word[0] != target[0]:
            continue
        allowed = 1 if length < 10 else 2
        if Levenshtein.distance(word, target, score_cutoff=allowed) <= allowed:
            return True
    return False


@dataclass(frozen=True)
class _Prepared:
    """What `giveaways` looks for in every clue of one film, worked out once."""

    parts: tuple[str, ...]
    extra_parts: tuple[str, ...]
    part_words: frozenset[str]
    own: frozenset[str]
    distinctive: frozenset[str]
    targets: tuple[tuple[str, int], ...]
    people: frozenset[str]
    # Each franchise name as " word word " (and whether it is made of everyday words only),
    # and the distinctive words of those names that this film's own names do not have.
    relative_phrases: tuple[tuple[str, bool], ...]
    relative_marks: frozenset[str]
    relative_words: frozenset[str]


@lru_cache(maxsize=64)
def _prepare(names: FilmNames) -> _Prepared:
    parts = tuple(title_parts(names.title, names.alternates))
    own = title_words(names.title, names.alternates)
    phrases: dict[str, bool] = {}
    marks: set[str] = set()
    for relative in names.relatives:
        for part in title_parts(relative):
            words = [w for w in _folded_words(part)]
            if len(words) > 1 and words[0] in ARTICLES:
                words = words[1:]
            if words:
                phrases.setdefault(f" {' '.join(words)} ", all(w in COMMON_WORDS for w in words))
        marks |= distinctive_words(relative)
    named = set(redact.title_names(names.title, names.alternates))
    distinctive = {w for w in own if len(w) >= 4 and w not in COMMON_WORDS}
    return _Prepared(
        parts=parts,
        extra_parts=tuple(part for part in parts if part not in named),
        part_words=frozenset(w for part in parts for w in _folded_words(part)),
        own=frozenset(own),
        distinctive=frozenset(distinctive),
        targets=tuple((w, len(w)) for w in sorted(distinctive)),
        people=frozenset(_fold(n) for n in names.characters),
        relative_phrases=tuple(phrases.items()),
        relative_marks=frozenset(marks - own),
        relative_words=frozenset(w for phrase in phrases for w in phrase.split()) | marks,
    )


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)


def _franchise(folded: list[str], capitalised: dict[str, None], film: _Prepared) -> list[Finding]:
    """Find the names of the film's franchise: whole (as words in a row) or a distinctive word.

    Written out rather than as patterns: a franchise can have dozens of names, and compiling
    them for every film of a big dump cost more than the rest of the import.
    """
    found: list[Finding] = []
    if not film.relative_words.intersection(folded):
        return found
    row = f" {' '.join(folded)} "
    for phrase, everyday in film.relative_phrases:
        if phrase in row and (not everyday or phrase.split()[0] in capitalised):
            found.append(Finding(FRANCHISE, phrase.strip()))
    found += [Finding(FRANCHISE, w) for w in capitalised if w in film.relative_marks]
    return found


def _beside_blanks(shown: str, film: _Prepared) -> list[Finding]:
    """Find the film's own words right beside a blank ("▇▇▇▇ War")."""
    if redact.MASK not in shown:
        return []
    found = []
    for match in _BLANK_NEIGHBOURS.finditer(shown):
        word = match.group(1) or match.group(2)
        if _fold(word) in film.own:
            found.append(Finding(BESIDE_BLANK, word))
    return found


def _capitalised(shown: str, film: _Prepared, capitalised: dict[str, None]) -> list[Finding]:
    """Find title words capitalised mid-sentence and the synopsis's people; note every capital."""
    found = []
    for match in _CAPITALISED.finditer(shown):
        word = _fold(match.group())
        capitalised[word] = None
        if word in film.own and _mid_sentence(shown, match.start()):
            found.append(Finding(TITLE, match.group()))
        if word in film.people:
            found.append(Finding(CHARACTER, match.group()))
    return found


def _distinctive(words: Iterable[str], film: _Prepared) -> list[Finding]:
    """Find distinctive title words in any case, and title words glued to another or misspelt."""
    found = []
    for word in words:
        if word in film.distinctive:
            found.append(Finding(TITLE, word))
        elif film.targets and len(word) >= 4 and _glued_or_misspelt(word, film.targets):
            found.append(Finding(GLUED, word))
    return found


def giveaways(shown: str, names: FilmNames) -> list[Finding]:
    """Return every way the clue as shown still names the film (empty: the clue is clean)."""
    found: list[Finding] = []
    film = _prepare(names)
    folded = _folded_words(shown)
    words = dict.fromkeys(folded)  # a set that keeps the text's order: reports are stable
    # The regular expressions run only where a word of the names is there to be found.
    if not film.part_words.isdisjoint(words):
        # Asked as redaction asks (one compiled pattern a film) plus the parts it leaves out.
        spans = redact.title_spans(shown, names.title, names.alternates + film.extra_parts)
        found += [Finding(TITLE, shown[start:end]) for start, end in spans]
    found += _beside_blanks(shown, film)
    capitalised: dict[str, None] = {}
    found += _capitalised(shown, film, capitalised)
    found += _distinctive(words, film)
    if names.relatives:
        found += _franchise(folded, capitalised, film)
    unique: dict[tuple[str, str], Finding] = {}
    for finding in found:
        unique.setdefault((finding.rule, finding.words.casefold()), finding)
    return list(unique.values())
