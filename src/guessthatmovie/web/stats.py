"""The player's statistics page (the panels it shows are built in web/panels.py)."""

from __future__ import annotations

from flask import Blueprint, render_template

from guessthatmovie.web import notices
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.panels import stats_page_context

bp = Blueprint("stats", __name__)


@bp.get("/stats")
def stats_page() -> str:
    """Show the player's statistics, and today's figures once they finished today's puzzle."""
    context = stats_page_context()
    if wants_fragment():
        return render_template("partials/stats.html", **context)
    return render_template("stats.html", notice=notices.from_query(), **context)
