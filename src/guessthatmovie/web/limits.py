"""The per-client limit on moves: counted in Redis when configured, else in each worker."""

from __future__ import annotations

from flask import current_app

from guessthatmovie.extensions import limiter


def guess_rate_limit() -> str:
    """Return the configured limit on guesses and skips per client, e.g. '60 per minute'."""
    return str(current_app.config["GUESS_RATE_LIMIT"])


# Over the limit, Flask-Limiter raises a 429 that web/errors.py answers as a friendly page or,
# to htmx, as a notice fragment.
limit_moves = limiter.limit(guess_rate_limit)
