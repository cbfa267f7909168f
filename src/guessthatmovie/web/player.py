"""The anonymous player: a random id in the signed session cookie, nothing else about the game."""

from __future__ import annotations

import re
import secrets

from flask import g, session

_PLAYER_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def current_player_id() -> str:
    """Return this browser's player id, issuing a new one if it has none (or a malformed one)."""
    player_id = session.get("player")
    if not isinstance(player_id, str) or not _PLAYER_ID.match(player_id):
        player_id = secrets.token_urlsafe(16)
        session["player"] = player_id
        g.new_player = True
    session.permanent = True
    return player_id


def is_new_player() -> bool:
    """Tell whether this request issued the player id: such a player has played nothing yet."""
    return bool(g.get("new_player"))
