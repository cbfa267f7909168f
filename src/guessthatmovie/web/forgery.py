"""Requests that change something: counted first, refused when they cannot be the player's own.

A form that another site's page posts here arrives without the player's cookie (SameSite=Lax
keeps it off a cross-site POST), or says where it came from (`Sec-Fetch-Site: cross-site`).
Answered like an expired form, it would start a new session whose cookie replaces the player's,
and their games and streaks with it. So such a request is refused before CSRF is judged, its
notice travels in the redirect's query rather than in a session, and web/sessions.py never sets
a cookie on the answer to a POST that came without one.

Moves are counted before any of that (web/limits.py): a flood of forged or stale tokens meets
the same limits as real moves.
"""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from guessthatmovie.web import notices
from guessthatmovie.web.errors import problem
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import count_move, counts_moves
from guessthatmovie.web.player import has_player

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Where a refused plain form sends the player back to: the page the form was on.
RETURN_TO = {
    "play.move": "play.puzzle_page",
    "transfer.create": "stats.stats_page",
    "transfer.redeem": "stats.stats_page",
    "leagues.create": "leagues.leagues_page",
    "leagues.join": "leagues.invite_page",
    "leagues.rename": "leagues.league_page",
    "leagues.new_invite": "leagues.league_page",
    "leagues.remove": "leagues.league_page",
    "leagues.rename_me": "leagues.league_page",
    "leagues.leave": "leagues.league_page",
}


def check_unsafe_request() -> Response | None:
    """Count a move, then refuse a POST made by another site or without the player's session."""
    if request.method in SAFE_METHODS or request.routing_exception is not None:
        return None  # nothing to change here: the 404 or 405 answers it
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and counts_moves(view):
        count_move()
    if request.headers.get("Sec-Fetch-Site") == "cross-site" or not has_player():
        return refusal()
    return None


def refusal() -> Response:
    """Answer a refused POST without touching the session: a notice to htmx, else a 303."""
    if wants_fragment():
        return problem(403, notices.FOREIGN_FORM.text)
    endpoint = RETURN_TO.get(request.endpoint or "")
    target = (
        url_for(endpoint, **(request.view_args or {})) if endpoint else url_for("play.today_page")
    )
    return redirect(f"{target}?{notices.QUERY_ARG}={notices.FOREIGN_CODE}", code=303)
