"""Limits on moves and searches: counted in Redis when configured, else in each worker.

Moves are counted per player, so that the players behind one address (a carrier's NAT, an
office, a school) each have their own budget, and per address with a ceiling many times higher,
so that a client making a new player for every move is still held back (each new player costs it
a page load for its form and CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, session
from flask_limiter.util import get_remote_address

from guessthatmovie.extensions import limiter
from guessthatmovie.web.player import is_player_id

F = TypeVar("F", bound=Callable[..., object])


def guess_rate_limit() -> str:
    """Return the configured limit on guesses and skips per player, e.g. '60 per minute'."""
    return str(current_app.config["GUESS_RATE_LIMIT"])


def guess_address_limit() -> str:
    """Return the configured ceiling on moves per client address, e.g. '600 per minute'."""
    return str(current_app.config["GUESS_ADDRESS_LIMIT"])


def search_rate_limit() -> str:
    """Return the configured limit on typeahead searches per client, e.g. '300 per minute'."""
    return str(current_app.config.get("SEARCH_RATE_LIMIT") or "300 per minute")


def player_key() -> str:
    """Key a move by the player who makes it; a request with no player yet, by its address."""
    player = session.get("player")
    if is_player_id(player):
        return f"player:{player}"
    return f"address:{get_remote_address()}"


_per_player = limiter.limit(guess_rate_limit, key_func=player_key)
_per_address = limiter.limit(
    guess_address_limit, key_func=get_remote_address, scope="moves-per-address"
)


def limit_moves(view: F) -> F:
    """Limit a move view per player and, with a higher ceiling, per address.

    Over either limit Flask-Limiter raises a 429, which web/errors.py answers as a friendly page
    or, to htmx, as a notice fragment.
    """
    return _per_address(_per_player(view))  # type: ignore[return-value]


# The typeahead asks once per pause in typing; a client far beyond that is a scraper or a loop.
limit_searches = limiter.limit(search_rate_limit)
