"""The player's statistics page (the panels it shows are built in web/panels.py)."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from werkzeug.wrappers import Response

from guessthatmovie.web import notices, transfer_panel
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.panels import stats_page_context

bp = Blueprint("stats", __name__)


@bp.get("/stats")
def stats_page() -> Response | str:
    """Show the player's statistics, and today's figures once they finished today's puzzle.

    The whole page also shows the transfer forms' outcome (web/transfer_panel.py): a code made
    here while it is live, or why a redeem was refused.
    """
    context = stats_page_context()
    if wants_fragment():
        return render_template("partials/stats.html", **context)
    transfer = transfer_panel.page_context()
    page = render_template("stats.html", notice=notices.from_query(), **context, **transfer)
    response = make_response(page)
    if transfer:
        # A page that shows a code (or a code typed) is never stored, by the browser or a cache.
        response.headers["Cache-Control"] = "no-store"
    return response
