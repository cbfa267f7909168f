"""Display settings a player can change without JavaScript: the high-contrast theme."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request
from werkzeug.wrappers import Response

bp = Blueprint("display", __name__)

CONTRAST_COOKIE = "gtm_contrast"
CONTRAST_MAX_AGE = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days


def high_contrast() -> bool:
    """Return whether this browser chose the high-contrast theme."""
    return request.cookies.get(CONTRAST_COOKIE) == "high"


@bp.post("/settings/contrast")
def contrast() -> Response:
    """Switch the high-contrast theme on or off and go back to the page it was chosen on."""
    response = redirect(safe_return_path(request.form.get("next", "")), code=303)
    if request.form.get("contrast") == "high":
        response.set_cookie(
            CONTRAST_COOKIE,
            "high",
            max_age=CONTRAST_MAX_AGE,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(CONTRAST_COOKIE)
    return response


def safe_return_path(path: str) -> str:
    """Return `path` if it is a path on this site, else "/" (never an open redirect)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 200:
        return "/"
    # Browsers drop tabs and newlines from a Location ("/\t/x" becomes "//x"): refuse them all.
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return "/"
    return path
