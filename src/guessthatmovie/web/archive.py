"""The archive: every past puzzle, with this player's result, each playable at its own URL."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from guessthatmovie.clock import today
from guessthatmovie.store import stats as stats_store
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.player import current_player_id
from guessthatmovie.web.routes import MAX_NUMBER

bp = Blueprint("archive", __name__)

PAGE_SIZE = 60


@bp.get("/archive")
def archive_page() -> str:
    """List puzzles up to today, newest first; `?before=N` pages back to older ones."""
    before = request.args.get("before", type=int)
    if "before" in request.args and (before is None or not 1 <= before <= MAX_NUMBER):
        abort(404)
    day = today()
    if day < current_app.config["GAME_LAUNCH_DATE"]:
        entries = []
    else:
        # One more than a page, to know whether an "older" link is needed.
        entries = stats_store.archive_entries(current_player_id(), day, PAGE_SIZE + 1, before)
    older = entries[PAGE_SIZE - 1].number if len(entries) > PAGE_SIZE else None
    context = {
        "entries": entries[:PAGE_SIZE],
        "today": day,
        "older": older,
        "before": before,
        "attempts": current_app.config["GAME_ATTEMPTS"],
    }
    if wants_fragment():
        return render_template("partials/archive_list.html", **context)
    return render_template("archive.html", **context)
