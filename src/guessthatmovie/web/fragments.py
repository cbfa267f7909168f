"""What every player of a puzzle is shown alike, rendered once per worker: the facts card, each
clue card, each line of the guesses list (a movie's line and hints are the same for everyone who
guessed it). A page or a move pastes them in instead of rendering them again."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from markupsafe import Markup

from guessthatmovie import cache

# Fragments a worker keeps, and for how long: a day's cards and lines are a few hundred.
KEPT = 2000
SECONDS = 300


def fragment(template: str, **context: Any) -> Markup:
    """Return a partial rendered with `context`, from this worker's memo when it was before.

    The memo's key is the template and the values it is given (frozen dataclasses, whose repr
    holds every field), so a partial may read nothing but those values.
    """
    key = f"{template}|{sorted(context.items())!r}"
    html = cache.kept("fragments", KEPT, SECONDS, key, lambda: render_template(template, **context))
    return Markup(html)  # nosec B704: rendered by Jinja with autoescape on


def register(app: Flask) -> None:
    """Offer fragment() to the templates."""
    app.jinja_env.globals["fragment"] = fragment
