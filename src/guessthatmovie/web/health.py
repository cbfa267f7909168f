"""A health check for load balancers and the container HEALTHCHECK."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from guessthatmovie.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 when the database answers (errors become a friendly 503 upstream)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200
