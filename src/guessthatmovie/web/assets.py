"""Fingerprinted static URLs: /static/css/app.css?v=<content hash>, cached for a year by nginx."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask


def content_hash(path: Path) -> str | None:
    """Return a short hash of a file's content, or None if there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


# Static files do not change under a running release; a new release is a new process.
_cached_hash = lru_cache(maxsize=256)(content_hash)


def register(app: Flask) -> None:
    """Add the content hash to every url_for('static', ...), so a changed file gets a new URL."""
    assert app.static_folder is not None
    folder = Path(app.static_folder).resolve()

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        path = (folder / values["filename"]).resolve()
        if not path.is_relative_to(folder):
            return
        digest = content_hash(path) if app.debug else _cached_hash(path)
        if digest is not None:
            values["v"] = digest
