"""Structured logs: one JSON object per line on stderr, with the request it belongs to."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, has_request_context, request

_HANDLER_NAME = "guessthatmovie"


class JsonFormatter(logging.Formatter):
    """Format a record as a single JSON line that log collectors can index without parsing."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["method"] = request.method
            entry["path"] = request.path
            # After ProxyFix this is the player's address, not the proxy's.
            entry["client"] = request.remote_addr
            request_id = request.headers.get("X-Request-ID")
            if request_id:
                entry["request_id"] = request_id[:64]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(app: Flask) -> None:
    """Send the app's logs to stderr (JSON or plain text), once per process."""
    if app.testing:
        return  # pytest captures and inspects log records itself
    root = logging.getLogger()
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
