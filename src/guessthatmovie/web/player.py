"""The anonymous player: a random id in the signed session cookie, nothing else about the game."""

from __future__ import annotations

import re
import secrets
from typing import TypeGuard

from flask import g, session

_PLAYER_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def is_player_id(value: object) -> TypeGuard[str]:
    """Tell whether a value is a well-formed player id (as this module issues them)."""
    return isinstance(value, str) and _PLAYER_ID.match(value) is not None


def current_player_id() -> str:
    """Return this browser's player id, issuing a new one if it has none (or a malformed one)."""
    player_id = session.get("player")
    if not is_player_id(player_id):
        player_id = secrets.token_urlsafe(16)
        session["player"] = player_id
        g.new_player = True
    if not session.permanent:  # setting it marks the session changed: its cookie re-sent
        session.permanent = True
    return player_id


def is_new_player() -> bool:
    """Tell whether this request issued the player id: such a player has played nothing yet."""
    return bool(g.get("new_player"))
