"""Choose which critics' reviews of a movie make good clues, and in which order to reveal them.

The rule (docs/importing.md, "Clues"):
1. A review is usable when its decoded text (HTML entities, tags and bracketed source notes such
   as "[Full review in Spanish]" removed, spaces collapsed) is 40–300 characters long, is not a
   bare score ("3/5", "B+") and is not a repeat of another review of the movie (compared without
   case and punctuation).
2. Usable reviews are ranked: top critics first, then a comfortable length (80–220 characters),
   then a fixed hash of the review, so the choice never depends on file order. They are judged
   in that order, and only until enough are chosen: a review is a clue only in the players'
   language and only if, once the title is blanked, it still says something (30 letters, at most
   two blanks) and names the film in no way (`leaks.giveaways`). A review that needs no blank is
   taken before one that does. Within each, they are taken while neither fresh nor rotten
   exceeds two thirds of the clues; if that leaves places, the best of the rest fill them. The
   same reviews always yield the same choice, which keeps re-imports idempotent.
3. The chosen clues are revealed vaguest first, by what gives the film away (`reveal`).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from guessthatmovie.game import leaks, reveal
from guessthatmovie.game.records import ReviewRecord
from guessthatmovie.game.redact import MASK, redact_title

MIN_LENGTH = 40
MAX_LENGTH = 300
_SWEET_SPOT = range(80, 221)
_MIN_LETTERS_LEFT = 30
_MAX_MASKS = 2
_MAJORITY = 2 / 3

_TAG = re.compile(r"<[^>]{0,200}>")
# A note the source added in brackets: "[Full review in Spanish]", "[Blu-ray]", "[...]".
_SOURCE_NOTE = re.compile(r"\[[^\[\]]{0,100}\]")
_SPACE = re.compile(r"\s+")
_BARE_SCORE = re.compile(
    r"^[\s\"'(]*(?:\d+(?:\.\d+)?\s*(?:/|out of)\s*\d+(?:\.\d+)?|[A-F][+-]?"
    r"|\d+(?:\.\d+)?\s*(?:stars?|%)|[*★☆½]+)[\s\"'.)!]*$",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"[.!?]\s+|[:;]\s+|^\s*")


@dataclass(frozen=True)
class Candidate:
    """One critic's review of a movie, as read from a dump or from the catalogue."""

    text: str
    critic: str
    publication: str
    fresh: bool
    top_critic: bool
    key: str


@dataclass
class Selection:
    """The clues chosen for a movie (vaguest first) and why the other reviews were dropped."""

    clues: list[Candidate] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)  # review key -> why it was dropped


def clean_review(raw: str) -> str:
    """Decode entities (twice: dumps hold "&amp;#44;"), drop tags and bracketed source notes."""
    text = raw
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "[" in text:
        text = _SOURCE_NOTE.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def review_key(critic: str, text: str) -> str:
    """Return a stable key for a review: the same critic's same words are the same review."""
    digest = hashlib.blake2b(f"{critic.casefold()}\x1f{text}".encode(), digest_size=16)
    return digest.hexdigest()


def candidate_of(review: ReviewRecord) -> Candidate:
    """Return a review record as a candidate clue, keyed by its critic and words."""
    return Candidate(
        review.text,
        review.critic,
        review.publication,
        review.fresh,
        review.top_critic,
        review_key(review.critic, review.text),
    )


def unusable_reason(text: str) -> str | None:
    """Return why a cleaned review cannot be a clue on its own, or None if it can."""
    if not text:
        return "empty"
    if _BARE_SCORE.match(text):
        return "bare score"
    if len(text) < MIN_LENGTH:
        return "too short"
    if len(text) > MAX_LENGTH:
        return "too long"
    return None


def _rank(candidate: Candidate) -> tuple[int, int, str]:
    return (
        0 if candidate.top_critic else 1,
        0 if len(candidate.text) in _SWEET_SPOT else 1,
        candidate.key,
    )


def says_enough(redacted: str) -> bool:
    """Return whether a redacted clue still says something: enough letters, few blanks."""
    letters = sum(map(str.isalpha, redacted.replace(MASK, "")))
    return letters >= _MIN_LETTERS_LEFT and redacted.count(MASK) <= _MAX_MASKS


# Why a review is not a clue, beyond `unusable_reason` and the leak rules of `leaks.giveaways`.
Judge = Callable[[str], str | None]


def _pick(
    chosen: dict[str, tuple[Candidate, str]],
    ordered: Sequence[tuple[Candidate, str]],
    keep: int,
    cap: int,
    accept: Callable[[Candidate], bool],
) -> None:
    """Take clues in order while neither fresh nor rotten exceeds the cap, then fill places."""
    per_kind = Counter(candidate.fresh for candidate, _shown in chosen.values())
    for capped in (True, False):
        for candidate, shown in ordered:
            if len(chosen) == keep:
                return
            if candidate.key in chosen or (capped and per_kind[candidate.fresh] >= cap):
                continue
            if not accept(candidate):
                continue
            per_kind[candidate.fresh] += 1
            chosen[candidate.key] = (candidate, shown)


def _usable(candidates: Iterable[Candidate], selection: Selection) -> list[Candidate]:
    """Return the reviews that can be clues on their own, in rank order; note why others not."""
    seen_keys: set[str] = set()
    seen_texts: set[str] = set()
    usable: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: c.key):
        reason = unusable_reason(candidate.text)
        if reason is None and candidate.key in seen_keys:
            reason = "duplicate"
        folded = _NOT_WORD.sub(" ", candidate.text.casefold()).strip()
        if reason is None and folded in seen_texts:
            reason = "duplicate"
        if reason is not None:
            selection.dropped.setdefault(candidate.key, reason)
            continue
        seen_keys.add(candidate.key)
        seen_texts.add(folded)
        usable.append(candidate)
    usable.sort(key=_rank)
    return usable


@dataclass
class _Verdicts:
    """The checks a review meets as it is about to be taken (leaks, language), each made once."""

    names: leaks.FilmNames
    judge: Judge | None
    selection: Selection
    shown: dict[str, str] = field(default_factory=dict)  # review key -> text as shown
    passed: dict[str, bool] = field(default_factory=dict)

    def accept(self, candidate: Candidate) -> bool:
        """Check a review as it is about to be taken: whether it names the film, its language."""
        if candidate.key not in self.passed:
            found = leaks.giveaways(self.shown[candidate.key], self.names)
            reason = (
                found[0].rule if found else (self.judge(candidate.text) if self.judge else None)
            )
            if reason is not None:
                self.selection.dropped[candidate.key] = reason
            self.passed[candidate.key] = reason is None
        return self.passed[candidate.key]


@dataclass
class _FirstPass:
    """Reviews split by whether they need a blank, and those taken while the mix allowed."""

    unblanked: list[tuple[Candidate, str]] = field(default_factory=list)
    blanked: list[tuple[Candidate, str]] = field(default_factory=list)
    chosen: dict[str, tuple[Candidate, str]] = field(default_factory=dict)


def _first_pass(usable: list[Candidate], keep: int, cap: int, verdicts: _Verdicts) -> _FirstPass:
    """Walk the ranked reviews until `keep` are taken: blanked ones wait for the second pass."""
    names, selection = verdicts.names, verdicts.selection
    found = _FirstPass()
    per_kind: Counter[bool] = Counter()
    for index, candidate in enumerate(usable):
        if len(found.chosen) == keep:
            for surplus in usable[index:]:
                selection.dropped[surplus.key] = "surplus"
            break
        shown = redact_title(candidate.text, names.title, names.alternates)
        if not says_enough(shown):
            selection.dropped[candidate.key] = "mostly the title"
            continue
        verdicts.shown[candidate.key] = shown
        if shown != candidate.text:
            found.blanked.append((candidate, shown))
            continue
        found.unblanked.append((candidate, shown))
        # Taken at once while the mix allows: the same pass `_pick` makes first.
        if per_kind[candidate.fresh] < cap and verdicts.accept(candidate):
            per_kind[candidate.fresh] += 1
            found.chosen[candidate.key] = (candidate, shown)
    return found


def select_clues(
    candidates: Iterable[Candidate],
    names: leaks.FilmNames,
    keep: int,
    judge: Judge | None = None,
) -> Selection:
    """Choose up to `keep` clean clues from a movie's reviews, ordered vaguest first.

    Reviews are judged in rank order, and only until enough are chosen: the leak check and
    `judge` (the players' language, a tenth of a millisecond a review) only when a review is
    about to be taken. A review that needs no blank is preferred to one that does.
    """
    selection = Selection()
    usable = _usable(candidates, selection)
    cap = max(1, math.ceil(keep * _MAJORITY))
    verdicts = _Verdicts(names, judge, selection)
    first = _first_pass(usable, keep, cap, verdicts)
    chosen = first.chosen
    _pick(chosen, first.unblanked, keep, cap, verdicts.accept)
    _pick(chosen, first.blanked, keep, cap, verdicts.accept)
    for candidate, _shown in (*first.unblanked, *first.blanked):
        if candidate.key not in chosen and verdicts.passed.get(candidate.key, True):
            selection.dropped[candidate.key] = "surplus"
    signals = reveal.signals_of(names)
    ordered = sorted(
        chosen.values(), key=lambda pair: (reveal.revealing(pair[1], signals), pair[0].key)
    )
    selection.clues = [candidate for candidate, _shown in ordered]
    return selection


@dataclass
class Rechoice:
    """A film's clues chosen again, whether they changed, and what became of each new review."""

    clues: list[Candidate]
    changed: bool
    outcomes: Counter[str]  # "kept", or why a new review was dropped


def rechoose(
    current: Sequence[Candidate],
    reviews: Iterable[ReviewRecord],
    names: leaks.FilmNames,
    keep: int,
    judge: Judge | None = None,
) -> Rechoice:
    """Choose a film's clues again from its stored clues and new reviews, as one pool."""
    pool = {candidate.key: candidate for candidate in current}
    new_keys: list[str] = []
    for review in reviews:
        candidate = candidate_of(review)
        new_keys.append(candidate.key)
        pool.setdefault(candidate.key, candidate)
    selection = select_clues(pool.values(), names, keep, judge)
    chosen = [clue.key for clue in selection.clues]
    kept = set(chosen)
    outcomes = Counter(
        "kept" if key in kept else selection.dropped.get(key, "duplicate") for key in new_keys
    )
    return Rechoice(selection.clues, chosen != [clue.key for clue in current], outcomes)
