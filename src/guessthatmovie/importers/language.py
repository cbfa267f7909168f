"""Tell whether a review is written in the players' language, with its letters intact.

Language identification (py3langid: an offline model of about 100 languages) is loaded on first
use and only by the import: web workers never import this module, so they never hold the model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Languages whose ordinary text carries accented letters: a long review in one of them with none
# lost its accents at the source ("prsente", "lgret").
_ACCENTED = frozenset(["fr", "es", "pt", "cs", "sk", "pl", "hu", "ro", "vi"])
_LOST_LETTER = re.compile(r"\w[?\ufffd]\w|\ufffd")
_WORD = re.compile(r"[^\W\d_]+")
# Words only English writes: three different ones in an unaccented review settle it without the
# model, which costs a third of a millisecond a review.
_ENGLISH = frozenset(
    [
        *("the", "and", "with", "this", "that", "its", "but", "which", "than", "into"),
        *("about", "what", "there", "their", "never", "even", "though", "would", "could"),
    ]
)
# The languages critics' sites publish in. Rare ones left out: the model would otherwise call
# a short English line Nigerian Pidgin or Latin.
CRITICS_LANGUAGES = (
    *("en", "fr", "es", "pt", "it", "de", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk"),
    *("hu", "ro", "tr", "el", "ru", "uk", "he", "ar", "hi", "ja", "zh", "ko", "id", "vi"),
)


SAMPLE = 160


@lru_cache(maxsize=4)
def _identifier(language: str) -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted({*CRITICS_LANGUAGES, language}))
    return identifier


def language_of(text: str, language: str = "en") -> str:
    """Return the most likely language of a text among critics' languages and `language`."""
    # The opening words settle a language as well as the whole text, for less work.
    found, _confidence = _identifier(language).classify(text[:SAMPLE])
    return str(found)


def judge_for(language: str) -> LanguageJudge:
    """Return the check the clue chooser runs on each review it considers."""
    return LanguageJudge(language)


class LanguageJudge:
    """Say why a review is not a clue in `language`, or None when it is one."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, text: str) -> str | None:
        """Return "accents lost", "not in <language>", or None for a review players can read."""
        if _LOST_LETTER.search(text):
            return "accents lost"
        if self.language == "en" and text.isascii():
            words = set(_WORD.findall(text.lower()))
            if len(words & _ENGLISH) >= 3:
                return None
        found = language_of(text, self.language)
        if found in _ACCENTED and text.isascii() and len(_WORD.findall(text)) >= 8:
            return "accents lost"
        if found != self.language:
            return f"not in {self.language}"
        return None
