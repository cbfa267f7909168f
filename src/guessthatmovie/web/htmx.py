"""How to tell an htmx swap request from a request for a whole page."""

from __future__ import annotations

from flask import request


def wants_fragment() -> bool:
    """Return True for htmx swaps; history restores and boosted navigations need the full page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Boosted") != "true"
    )
