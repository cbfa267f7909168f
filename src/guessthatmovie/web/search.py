"""The title typeahead: catalogue titles matching what the player has typed so far."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response

from guessthatmovie.game import titles
from guessthatmovie.store import search
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import limit_searches

bp = Blueprint("search", __name__)


@bp.get("/titles")
@limit_searches
def titles_matching() -> Response:
    """List up to 8 catalogue titles for the typed text (the same for every player and puzzle)."""
    # Cut before cleaning or matching: no work grows with the length of what a client sends.
    query = titles.clean_text(request.args.get("guess", "")[: titles.MAX_GUESS_LENGTH])
    hits = search.search_titles(query)
    template = "partials/title_options.html" if wants_fragment() else "titles.html"
    response = make_response(render_template(template, hits=hits, query=query))
    if template.startswith("partials/"):
        # The options depend on neither the player nor the puzzle: browsers may reuse them.
        # (The whole page carries the player's CSRF token, so it stays private.)
        response.headers["Cache-Control"] = "public, max-age=300"
    return response
