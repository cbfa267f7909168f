"""Gunicorn's access log for a person at a terminal (`make play`): static files are left out."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

# The app's static files, and the files browsers ask for by themselves at the site's root.
QUIET_PREFIXES = ("/static/", "/favicon", "/sw.js", "/manifest")


class QuietStaticLogger(Logger):  # type: ignore[misc]
    """Log every request except those for static files, which would drown the moves."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """Write the access line unless the path is a static file's."""
        if str(environ.get("PATH_INFO", "")).startswith(QUIET_PREFIXES):
            return
        super().access(resp, req, environ, request_time)
