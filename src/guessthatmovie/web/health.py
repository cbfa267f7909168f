"""Housekeeping URLs: liveness, readiness, and the favicon browsers ask for by themselves."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from guessthatmovie import cache
from guessthatmovie.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int, dict[str, str]]:
    """Answer 200 while the process serves requests (liveness: no dependency is consulted)."""
    return {"status": "ok"}, 200, NO_STORE


@bp.get("/readyz")
def readyz() -> tuple[dict[str, object], int, dict[str, str]]:
    """Answer 200 when the database (and Redis, if configured) answer; 503 naming what does not."""
    checks: dict[str, str] = {"database": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("readiness: database unreachable: %s", type(error).__name__)
        db.session.rollback()
        checks["database"] = "unreachable"
    redis_ok = cache.redis_ready()
    if redis_ok is not None:
        checks["redis"] = "ok" if redis_ok else "unreachable"
    ready = all(state == "ok" for state in checks.values())
    status = "ready" if ready else "unavailable"
    return {"status": status, "checks": checks}, 200 if ready else 503, NO_STORE


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the icon at the address browsers request without being told (an SVG suits them)."""
    assert current_app.static_folder is not None
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
