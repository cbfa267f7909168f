"""The installable app: web app manifest, icons, service worker and the page it shows offline."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from guessthatmovie import icons

bp = Blueprint("pwa", __name__)

ICON_SVG = "icons/app.svg"
# name -> (size in pixels, maskable): "any" icons keep the rounded corners of the SVG; maskable
# ones fill their square, for platforms that cut their own shape (Android, Apple's touch icon).
PNG_ICONS = {
    "icon-192": (192, False),
    "icon-512": (512, False),
    "maskable-512": (512, True),
    "apple-touch-icon": (180, True),
}
# The page's paper colour in each theme (static/css/app.css): the browser's bars match the page.
LIGHT_PAPER = "#fbfaf7"
DARK_PAPER = "#15151a"
# What the service worker keeps for offline use: static files under their content-hashed URLs.
PRECACHED_STATIC = ("css/app.css", "js/app.js", "vendor/htmx.min.js", "favicon.svg", ICON_SVG)
YEAR = "public, max-age=31536000, immutable"


def _svg_path() -> Path:
    assert current_app.static_folder is not None
    return Path(current_app.static_folder) / ICON_SVG


@lru_cache(maxsize=4)
def _icon_version(svg_path: Path) -> str:
    """Hash the design and the renderer: a change to either gives the icons new URLs."""
    digest = hashlib.sha256(svg_path.read_bytes())
    digest.update(Path(icons.__file__).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=16)
def _icon_png(svg_path: Path, name: str) -> bytes:
    """Render an icon once per process (the design cannot change under a running release)."""
    size, maskable = PNG_ICONS[name]
    return icons.render_png(svg_path.read_text(), size, maskable)


@bp.app_url_defaults
def _version_icons(endpoint: str, values: dict[str, Any]) -> None:
    """Add the design's hash to icon URLs, as web/assets.py does for static files."""
    if endpoint == "pwa.icon" and "v" not in values:
        values["v"] = _icon_version(_svg_path())


@bp.get("/icons/<name>.png")
def icon(name: str) -> Response:
    """Serve a PNG icon drawn from the SVG; cached for a year under its versioned URL."""
    if name not in PNG_ICONS:
        abort(404)
    response = Response(_icon_png(_svg_path(), name), mimetype="image/png")
    current = request.args.get("v") == _icon_version(_svg_path())
    response.headers["Cache-Control"] = YEAR if current else "public, max-age=3600"
    return _conditional(response)


def manifest_data() -> dict[str, Any]:
    """Describe the app for installation: names, start page, display, colours, icons."""
    png = [
        {
            "src": url_for("pwa.icon", name=name),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for name, (size, maskable) in PNG_ICONS.items()
        if name != "apple-touch-icon"
    ]
    svg = {
        "src": url_for("static", filename=ICON_SVG),
        "sizes": "any",
        "type": "image/svg+xml",
        "purpose": "any",
    }
    return {
        "id": "/",
        "name": "Guess That Movie",
        "short_name": "Guess Movie",
        "description": "A daily movie quiz: guess the film from its scores and critics' words.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        # One colour each: the manifest has no dark variant; the page's <meta name=theme-color>
        # pair gives the dark one where browsers read it.
        "background_color": LIGHT_PAPER,
        "theme_color": LIGHT_PAPER,
        "categories": ["games", "entertainment"],
        "icons": [svg, *png],
    }


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """Serve the web app manifest."""
    body = json.dumps(manifest_data(), indent=1, ensure_ascii=False)
    response = Response(body, mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return _conditional(response)


@bp.get("/sw.js")
def service_worker() -> Response:
    """Serve the service worker from the site root, so that its scope is the whole game."""
    assets = [url_for("static", filename=name) for name in PRECACHED_STATIC]
    offline = url_for("pwa.offline")
    # A new release (any asset's hash) changes this script, so browsers install it afresh.
    version = hashlib.sha256(json.dumps([assets, offline]).encode()).hexdigest()[:12]
    body = render_template("sw.js", assets=assets, offline=offline, cache=f"gtm-{version}")
    response = Response(body, mimetype="text/javascript")
    # Browsers check for a new worker on navigations; no-cache makes them ask us every time.
    response.headers["Cache-Control"] = "no-cache"
    return _conditional(response)


@bp.get("/offline")
def offline() -> Response:
    """Show the page the service worker keeps for when the network is gone."""
    # The same for everybody (no cookie read, no form, no token), so it is safe to keep.
    response = Response(render_template("offline.html"), mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return _conditional(response)


def _conditional(response: Response) -> Response:
    """Tag the answer with an ETag and answer a matching If-None-Match with 304."""
    response.add_etag()
    response.make_conditional(request)  # changes `response` in place
    return response
