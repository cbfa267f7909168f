"""Transfer codes: move a player's stats to another device, with no account and no e-mail.

A code is 12 characters of Crockford's base32 (no I, L, O or U, so nothing reads as another
character), shown as `K7QX-M2PD-4HJN` and accepted in any case, with or without the dashes and
spaces; the look-alikes O, I and L are read as 0, 1 and 1. That is 60 random bits, valid for 15
minutes and used once. Only a keyed hash of it (HMAC-SHA256 with the app's secret) is stored.
Codes of 8 characters (40 bits), made before codes grew, are still read: one made just before a
deploy keeps working until it expires, and no new one is ever made.

Merging: when a device that has played redeems a code, its plays of puzzles the original player
never played move over to the original; where both played the same puzzle, the original's play
stands and the device's is dropped. Statistics are derived from the plays, so they follow.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
# The length of codes made before codes grew; read so that live ones work until they expire.
OLD_LENGTH = 8
LIFETIME = timedelta(minutes=15)
# Crockford's decoding: letters that look like digits are read as those digits.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Separators a person may type or a phone may insert: spaces, hyphens and dashes.
_SEPARATORS = str.maketrans("", "", " \t-‐‑‒–—−")
_HASH_PURPOSE = b"guessthatmovie transfer code\x00"
_SEED_PURPOSE = b"guessthatmovie transfer code of a seed\x00"
_BITS = 5  # per character of the alphabet

T = TypeVar("T")


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Return a fresh random code (12 characters of the alphabet, no dash): 60 bits."""
    return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(LENGTH))


def new_seed() -> str:
    """Return a fresh random seed for `code_of_seed` (128 bits, URL-safe text)."""
    return secrets.token_urlsafe(16)


def code_of_seed(seed: str, key: bytes) -> str:
    """Return the code a seed stands for under a key: 60 bits of HMAC-SHA256(key, seed).

    Only the server, with its key, can turn a seed into its code: the seed may wait in the
    player's (readable, signed) cookie while the code itself is stored nowhere in clear.
    """
    digest = hmac.new(key, _SEED_PURPOSE + seed.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - _BITS * LENGTH)
    return "".join(
        ALPHABET[(number >> (_BITS * (LENGTH - 1 - place))) & 31] for place in range(LENGTH)
    )


def format_code(code: str) -> str:
    """Return a code as people read it: groups of four joined by dashes."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def parse_code(text: str) -> str | None:
    """Return the code typed in `text` in its canonical form, or None if it cannot be one."""
    if len(text) > 40:
        return None
    cleaned = text.translate(_SEPARATORS).upper().translate(_LOOK_ALIKES)
    if len(cleaned) not in (LENGTH, OLD_LENGTH) or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_hash(code: str, key: bytes) -> str:
    """Return the keyed hash a canonical code is stored and looked up by (hex HMAC-SHA256)."""
    return hmac.new(key, _HASH_PURPOSE + code.encode("ascii"), hashlib.sha256).hexdigest()


def expires_at(now: datetime) -> datetime:
    """Return when a code made at `now` stops working."""
    return now + LIFETIME


def clock_time(moment: datetime, zone: str) -> str:
    """Return the wall-clock time of `moment` in a timezone, as 24-hour `HH:MM`."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def is_redeemable(expiry: datetime, used_at: datetime | None, now: datetime) -> bool:
    """Return whether a code with this expiry and use can still be redeemed at `now`."""
    return used_at is None and now < expiry


@dataclass(frozen=True)
class PlayRecord:
    """One stored play as the merge sees it."""

    play_id: int
    puzzle_id: int


@dataclass(frozen=True)
class MergePlan:
    """What redeeming does to the device's plays: hand them to the original, or drop them."""

    move: tuple[int, ...]
    drop: tuple[int, ...]


def merge_by_puzzle(
    original: Sequence[T], incoming: Iterable[T], puzzle: Callable[[T], int]
) -> list[T]:
    """Return the original's items plus the incoming ones of puzzles the original lacks."""
    taken = {puzzle(item) for item in original}
    return [*original, *(item for item in incoming if puzzle(item) not in taken)]


def plan_merge(original: Sequence[PlayRecord], incoming: Sequence[PlayRecord]) -> MergePlan:
    """Decide which of the device's plays move to the original player and which are dropped."""
    kept = merge_by_puzzle(original, incoming, lambda play: play.puzzle_id)
    moved = {play.play_id for play in kept[len(original) :]}
    return MergePlan(
        move=tuple(p.play_id for p in incoming if p.play_id in moved),
        drop=tuple(p.play_id for p in incoming if p.play_id not in moved),
    )
