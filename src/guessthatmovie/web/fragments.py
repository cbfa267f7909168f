"""What every player of a puzzle is shown alike, rendered once per worker: the facts card, each
clue card, each line of the guesses list (a movie's line and hints are the same for everyone who
guessed it). A page or a move pastes them in instead of rendering them again."""

from __future__ import annotations

import re
import time
from collections.abc import Hashable
from typing import Any

from flask import Flask, render_template
from jinja2.ext import Extension
from markupsafe import Markup

from guessthatmovie import cache

# Fragments a worker keeps, and for how long: a day's cards and lines are a few hundred.
KEPT = 2000
SECONDS = 300


class Kept(dict[Hashable, tuple[float, Markup]]):
    """A worker's rendered fragments by template and values, each with the time it expires.

    A plain dict: a page asks it a dozen times, and a memo that pickled its values and keyed
    them by their repr cost a page a tenth of its CPU. Cleared with the worker's other memos
    (cache.forget_memos) when the catalogue changes.
    """


def key_of(template: str, context: dict[str, Any]) -> Hashable:
    """Return the memo's key for a partial and its values (lists taken as tuples)."""
    values = tuple(
        sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in context.items())
    )
    try:
        hash(values)
    except TypeError:  # a value that cannot be hashed: its repr holds every field
        return (template, repr(values))
    return (template, values)


def fragment(kept: Kept, template: str, context: dict[str, Any]) -> Markup:
    """Return a partial rendered with `context`, from the worker's memo when it was before.

    The memo's key is the template and the values it is given (frozen dataclasses, compared
    field by field), so a partial may read nothing but those values.
    """
    key = key_of(template, context)
    now = time.monotonic()
    found = kept.get(key)
    if found is not None and found[0] > now:
        return found[1]
    html = Markup(render_template(template, **context))  # nosec B704: Jinja, autoescape on
    if len(kept) >= KEPT:
        for stale in [k for k, (until, _) in kept.items() if until <= now]:
            del kept[stale]
        if len(kept) >= KEPT:
            kept.clear()
    kept[key] = (now + SECONDS, html)
    return html


def register(app: Flask) -> None:
    """Offer fragment() to the templates, with this app's memo."""
    kept = app.extensions.setdefault(cache.MEMOS, {}).setdefault("fragments", Kept())

    def cached_fragment(template: str, **context: Any) -> Markup:
        return fragment(kept, template, context)

    app.jinja_env.globals["fragment"] = cached_fragment
    app.jinja_env.add_extension(Unindented)


class Unindented(Extension):
    """Send pages without the templates' indentation: a first visit's HTML goes uncompressed
    (against BREACH), so every byte counts. Each line keeps its newline, so no words join; no
    HTML template may keep a multi-line <pre> or <textarea> text (their spaces would go too)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """Drop the spaces that start each line of an HTML template."""
        return _INDENT.sub("\n", source) if name and name.endswith(".html") else source


_INDENT = re.compile(r"\n[ \t]+")
