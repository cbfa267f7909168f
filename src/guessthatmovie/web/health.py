"""Housekeeping URLs: the health check and the favicon browsers ask for by themselves."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from sqlalchemy import text
from werkzeug.wrappers import Response

from guessthatmovie.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 when the database answers (errors become a friendly 503 upstream)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the icon at the address browsers request without being told (an SVG suits them)."""
    assert current_app.static_folder is not None
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
