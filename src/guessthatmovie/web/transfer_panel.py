"""What the transfer forms leave for the statistics page that answers them (Post/Redirect/Get).

Both transfer forms answer a browser without JavaScript with 303 See Other to /stats, so Reload
and Back never post again; what the GET must then show waits in the signed session cookie:

- A new code: only a random seed (128 bits) waits there, never the code. The code is
  HMAC(SECRET_KEY, seed) (game.transfer.code_of_seed): only the server can turn the seed into it,
  the database keeps only the code's keyed hash, and no URL or log ever holds it. Each GET of
  /stats shows the code again while the stored row still has its hash, unused and unexpired; once
  it is used, expired or replaced the seed is dropped. A reload shows the same code, and never
  makes a new one.
- A refused redeem: which refusal, and the text typed (at most 40 characters), until the next GET
  of /stats shows them and forgets them, like a refused guess (web/notices.py). A refused text
  matches no live code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, session

from guessthatmovie.clock import now
from guessthatmovie.game import transfer
from guessthatmovie.store import transfer as transfer_store
from guessthatmovie.web.player import current_player_id

SEED = "transfer"
REFUSED = "redeem"
TYPED_MAX = 40

# Why a redeem was refused, by the short name kept in the cookie between the POST and the GET.
REFUSALS = {
    "not-right": "That code is not right: check it and try again.",
    "expired": "That code has expired: make a new one on your other device.",
    "used": "That code has been used already: make a new one on your other device.",
    "malformed": (
        "A code has 12 letters and digits, like K7QX-M2PD-4HJN. Please check it and try again."
    ),
    "too-many": (
        "Too many wrong codes from here. For your safety, wait 15 minutes, then make a new code "
        "on your other device and try again."
    ),
}


def secret() -> bytes:
    """Return the key transfer codes and league invite links are derived and hashed with."""
    return str(current_app.config["SECRET_KEY"]).encode()


def keep_seed(seed: str) -> None:
    """Keep a new code's seed for the pages that show the code."""
    session[SEED] = seed


def keep_refusal(reason: str, typed: str) -> None:
    """Keep a refused redeem's reason and typed text for the next statistics page."""
    session[REFUSED] = {"r": reason, "t": typed[:TYPED_MAX]}


def shown_code() -> dict[str, str] | None:
    """Return this player's code made here, while it is live and unused (else forget it)."""
    seed = session.get(SEED)
    if not isinstance(seed, str):
        return None
    code = transfer.code_of_seed(seed, secret())
    digest = transfer.code_hash(code, secret())
    expiry = transfer_store.live_expiry(current_player_id(), digest, now())
    if expiry is None:
        session.pop(SEED, None)
        return None
    return {"text": transfer.format_code(code), **expiry_context(expiry)}


def expiry_context(expiry: datetime) -> dict[str, str]:
    """Return when a code stops working, as a machine-readable and a local clock time."""
    zone = current_app.config["GAME_TIMEZONE"]
    if expiry.tzinfo is None:  # SQLite gives back the stored UTC time without its zone
        expiry = expiry.replace(tzinfo=UTC)
    return {
        "expires_iso": expiry.isoformat(timespec="seconds"),
        "expires_text": transfer.clock_time(expiry, zone),
        "timezone": zone,
    }


def taken_refusal() -> dict[str, str]:
    """Return (and forget) a refused redeem's message and typed text, if one waits."""
    kept = session.pop(REFUSED, None) if REFUSED in session else None
    if not isinstance(kept, dict) or kept.get("r") not in REFUSALS:
        return {}
    return {"redeem_error": REFUSALS[kept["r"]], "redeem_typed": str(kept.get("t", ""))[:TYPED_MAX]}


def page_context() -> dict[str, Any]:
    """Return what the statistics page shows of the transfer forms: a live code, a refusal."""
    shown = shown_code()
    return {**({"transfer_code": shown} if shown else {}), **taken_refusal()}
