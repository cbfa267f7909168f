"""Fingerprinted static URLs: /static/css/app.css?v=<content hash>, cached for a year by nginx."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, request


def content_hash(path: Path) -> str | None:
    """Return a short hash of a file's content, or None if there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def register(app: Flask) -> None:
    """Add the content hash to every url_for('static', ...), so a changed file gets a new URL.

    Static files do not change under a running release (a new release is a new process), so
    outside debug mode each file is hashed once.
    """
    assert app.static_folder is not None
    folder = Path(app.static_folder).resolve()

    def version(filename: str) -> str | None:
        path = (folder / filename).resolve()
        if not path.is_relative_to(folder):
            return None
        return content_hash(path)

    # Per file name, not per resolved path: a page asks for the same few files every time.
    released_version = lru_cache(maxsize=256)(version)

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        filename = values["filename"]
        digest = version(filename) if app.debug else released_version(filename)
        if digest is not None:
            values["v"] = digest

    if not app.debug:
        app.jinja_env.globals["url_for"] = _remembered_urls(app)


def _remembered_urls(app: Flask) -> Any:
    """Return the templates' url_for, which builds each URL once per script root and worker.

    A page asks for the same dozen URLs (stylesheet, scripts, icons, links) on every view, and
    building one (routing map, URL defaults, the static fingerprint) cost more than rendering
    the card it sits in. Only plain URLs are kept: external or anchored ones are built each time.
    """
    built: dict[tuple[Any, ...], str] = {}

    def url_for(endpoint: str, **values: Any) -> str:
        if any(name.startswith("_") for name in values):
            return app.url_for(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        try:
            url = built.get(key)
        except TypeError:  # a value that cannot be a key (a list): build it each time
            return app.url_for(endpoint, **values)
        if url is None:
            url = app.url_for(endpoint, **values)
            if len(built) < URLS_KEPT:
                built[key] = url
        return url

    return url_for


URLS_KEPT = 1000  # plain URLs kept per worker: far more than the site has without a number
