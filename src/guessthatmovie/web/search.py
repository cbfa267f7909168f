"""The title typeahead: catalogue titles matching what the player has typed so far."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response

from guessthatmovie import cache
from guessthatmovie.game import titles
from guessthatmovie.store import search
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import limit_searches

bp = Blueprint("search", __name__)

# How many typeahead fragments a worker keeps, and for how long (a catalogue load drops them).
OPTIONS_KEPT = 2000
OPTIONS_SECONDS = 300  # as long as browsers may keep it (Cache-Control below)


@bp.get("/titles")
@limit_searches
def titles_matching() -> Response:
    """List up to 8 catalogue titles for the typed text (the same for every player and puzzle)."""
    # Cut before cleaning or matching: no work grows with the length of what a client sends.
    query = titles.clean_text(request.args.get("guess", "")[: titles.MAX_GUESS_LENGTH])
    if not wants_fragment():
        hits = search.search_titles(query)
        return make_response(render_template("titles.html", hits=hits, query=query))
    # The options depend on neither the player nor the puzzle: each worker keeps the fragment of
    # a query for 5 minutes (players type the same beginnings), and browsers may reuse it.
    # (The whole page carries the player's CSRF token, so it stays private and is not kept.)
    body = cache.kept(
        "typeahead",
        OPTIONS_KEPT,
        OPTIONS_SECONDS,
        query,
        lambda: render_template("partials/title_options.html", hits=search.search_titles(query)),
    )
    response = make_response(body)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
