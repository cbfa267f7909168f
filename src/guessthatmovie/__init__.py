"""Guess That Movie: a daily movie quiz served as hypermedia."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers
from werkzeug.wrappers import Response

from guessthatmovie import cache, logs
from guessthatmovie import config as settings
from guessthatmovie.extensions import csrf, db, limiter
from guessthatmovie.web import edge
from guessthatmovie.web.edge import Edge
from guessthatmovie.web.routes import AsciiIntegerConverter

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then the caller's overrides."""
    app = _make_app(_settings(config))
    _register_edge(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_pages(app)
    _register_commands(app)
    return app


def _settings(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Layer the app's defaults, the environment and the overrides; refuse what cannot run."""
    config = {**settings.APP_DEFAULTS, **settings.from_environment(), **(overrides or {})}
    settings.validate(config)
    if config["CLOCK"] is None:
        from guessthatmovie.clock import system_clock

        config["CLOCK"] = system_clock
    return config


def _make_app(config: Mapping[str, Any]) -> Flask:
    """Make the Flask app on the checked settings, with templates/ and partials/ to render."""
    root = settings.PROJECT_ROOT
    app = Flask(
        __name__,
        instance_path=str(config["INSTANCE_PATH"]),
        static_folder=str(root / "static"),
        template_folder=None,
    )
    # Before any route is added: every `<int:…>` in a rule is then ASCII digits only.
    app.url_map.converters["int"] = AsciiIntegerConverter
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(root / "templates"),
            PrefixLoader({"partials": FileSystemLoader(root / "partials")}),
        ]
    )
    app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    return app


def _register_edge(app: Flask) -> None:
    """Set up logging, and what the app believes of the proxies and hosts in front of it."""
    logs.configure(app)
    # Trust exactly as many X-Forwarded-For/-Proto entries as there are proxies (nginx: 1), and
    # only from the proxies themselves: remote_addr is the player's, and no client forges its own.
    app.wsgi_app = Edge(  # type: ignore[method-assign]
        app.wsgi_app,
        app.config["PROXY_HOPS"],
        settings.parse_networks(app.config["FORWARDED_ALLOW_IPS"]),
        hosts=app.config["TRUSTED_HOSTS"],
    )
    app.after_request(edge.own_redirects_relative)


def _register_extensions(app: Flask) -> None:
    """Bind the session interface, the database, the cache, the limiter and CSRF to the app."""
    from guessthatmovie.web import forgery
    from guessthatmovie.web.sessions import PrivateSessionInterface

    app.session_interface = PrivateSessionInterface()
    db.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    # Before CSRF's own check (hooks run in the order they are added): moves are counted first,
    # so that a flood of bad tokens is limited too, and a POST from another site, or without the
    # player's session, is refused without a new session being started (web/forgery.py).
    app.before_request(forgery.check_unsafe_request)
    csrf.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """Register one blueprint per concern."""
    from guessthatmovie.web import (
        archive,
        display,
        health,
        leagues,
        play,
        pwa,
        results,
        search,
        stats,
        transfer,
    )

    for blueprint in (
        play,
        search,
        display,
        stats,
        archive,
        health,
        results,
        pwa,
        transfer,
        leagues,
    ):
        app.register_blueprint(blueprint.bp)


def _register_pages(app: Flask) -> None:
    """Give templates their shared context, pages their headers, assets and errors their own."""
    from guessthatmovie.web import assets, errors, fragments

    app.context_processor(_page_context)
    assets.register(app)
    fragments.register(app)
    errors.register(app)
    app.after_request(_page_headers)


def _register_commands(app: Flask) -> None:
    """Add the operator's `flask` commands."""
    from guessthatmovie.cli import register_commands

    register_commands(app)


def warm_up(app: Flask) -> None:
    """Compile every template and configure the ORM mappers now rather than on a first request."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    configure_mappers()


def _page_context() -> dict[str, Any]:
    """Give every template the player's display settings and the game's rules of thumb."""
    from flask import current_app

    from guessthatmovie.store.catalogue import snippet_sources
    from guessthatmovie.web.display import high_contrast

    return {
        "high_contrast": high_contrast(),
        # Called by the footer only: a fragment, which has none, never asks the cache.
        "snippet_sources": snippet_sources,
        "game_attempts": current_app.config["GAME_ATTEMPTS"],
        "game_timezone": current_app.config["GAME_TIMEZONE"],
    }


def _page_headers(response: Response) -> Response:
    """Keep personal pages out of shared caches and lock the page down to its own origin."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "private, no-store")
        response.vary.add("HX-Request")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Make SQLite enforce foreign keys and let several gunicorn workers share the file."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
