"""Guess That Movie: a daily movie quiz served as hypermedia."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
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

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then the caller's overrides."""
    root = settings.PROJECT_ROOT
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        static_folder=str(root / "static"),
        template_folder=None,
    )
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(root / "templates"),
            PrefixLoader({"partials": FileSystemLoader(root / "partials")}),
        ]
    )
    app.config.from_mapping(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SESSION_COOKIE_NAME="gtm",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=400),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session: a game can span days
        MAX_CONTENT_LENGTH=64 * 1024,
        CLOCK=None,
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    settings.validate(app.config)
    app.config.setdefault("SECRET_KEY", settings.DEV_SECRET)
    if app.config["CLOCK"] is None:
        from guessthatmovie.clock import system_clock

        app.config["CLOCK"] = system_clock
    os.makedirs(app.instance_path, exist_ok=True)
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

    from guessthatmovie.web.sessions import PrivateSessionInterface

    app.session_interface = PrivateSessionInterface()
    db.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)  # before CSRF, so that a flood of bad tokens is limited too
    csrf.init_app(app)

    from guessthatmovie.cli import register_commands
    from guessthatmovie.web import (
        archive,
        assets,
        display,
        errors,
        health,
        play,
        pwa,
        results,
        search,
        stats,
        transfer,
    )

    app.register_blueprint(play.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(display.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(archive.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(transfer.bp)
    app.context_processor(_page_context)
    assets.register(app)
    errors.register(app)
    register_commands(app)
    app.after_request(_page_headers)
    return app


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
