"""The per-client limit on moves: counted in Redis when configured, else in each worker."""

from __future__ import annotations

from flask import current_app

from guessthatmovie.extensions import limiter


def guess_rate_limit() -> str:
    """Return the configured limit on guesses and skips per client, e.g. '60 per minute'."""
    return str(current_app.config["GUESS_RATE_LIMIT"])


def search_rate_limit() -> str:
    """Return the configured limit on typeahead searches per client, e.g. '300 per minute'."""
    return str(current_app.config.get("SEARCH_RATE_LIMIT") or "300 per minute")


# Over the limit, Flask-Limiter raises a 429 that web/errors.py answers as a friendly page or,
# to htmx, as a notice fragment.
limit_moves = limiter.limit(guess_rate_limit)
# The typeahead asks once per pause in typing; a client far beyond that is a scraper or a loop.
limit_searches = limiter.limit(search_rate_limit)
