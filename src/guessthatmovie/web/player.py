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


def has_player() -> bool:
    """Tell whether this request came with a player's id (a cookie this site issued)."""
    return is_player_id(session.get("player"))


def replace_player(player_id: str) -> None:
    """Make this browser play as `player_id` (a transfer code's owner): the only way an existing
    player's cookie is ever replaced (web/sessions.py refuses any other change of id)."""
    session["player"] = player_id
    g.player_replaced = True


def player_replaced() -> bool:
    """Tell whether this request replaced the player's id on purpose (replace_player)."""
    return bool(g.get("player_replaced"))


def is_new_player() -> bool:
    """Tell whether this request issued the player id: such a player has played nothing yet."""
    return bool(g.get("new_player"))
