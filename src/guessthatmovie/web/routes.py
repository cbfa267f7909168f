"""What several blueprints' routes share (blueprints never import each other)."""

from __future__ import annotations

# Puzzle numbers beyond a 32-bit integer do not exist (and would overflow SQLite): a 404.
MAX_NUMBER = 2**31 - 1
