"""What several blueprints' routes share (blueprints never import each other)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Puzzle numbers beyond a 32-bit integer do not exist (and would overflow SQLite): a 404.
MAX_NUMBER = 2**31 - 1


class AsciiIntegerConverter(IntegerConverter):
    """Werkzeug's `int`, for ASCII digits only.

    Its own pattern is `\\d+`, which in Python matches every script's digits: `/puzzle/٣٤١` played
    puzzle 341, a path nginx's `[0-9]+` locations (and their rate limits) never see. Installed as
    the app's `int`, every numbered route is one that nginx limits; any other digits are a 404.
    """

    regex = r"[0-9]+"
