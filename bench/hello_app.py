"""The baselines for bench/load.py: a bare Flask app and the floor of a player's page (not a test).

    gunicorn -c gunicorn.conf.py bench.hello_app:app

`GET /` answers a constant "hello" page: Flask and gunicorn alone, the physical limit.

`GET /floor` is the least any page of a returning player has to do, and nothing else: read the
signed session cookie (the game's cookie name and SECRET_KEY, so the bench sends the same
cookie it sends the game), then run one indexed query for that player's play on the game's
database (DATABASE_URL, through Flask-SQLAlchemy with the game's pool_pre_ping, outside a
transaction as the game's page views are), and answer the same constant page. It renders no
template, builds no board, sets no cookie and counts no rate limit, so its ratio to `/` is a
ceiling for any page that reads a player's game from the database.

It runs under the game's own gunicorn.conf.py, so it is bound to the game's `db` extension (the
post_fork hook disposes of its pools).
"""

from __future__ import annotations

import os

from flask import Flask, session
from sqlalchemy import text

from guessthatmovie.config import normalise_database_url
from guessthatmovie.extensions import db

PAGE = "<!doctype html><title>hello</title><p>hello</p>"
PLAY = text(
    "SELECT id, status FROM plays WHERE player_id = :player ORDER BY puzzle_id DESC LIMIT 1"
)

app = Flask(__name__)
app.config.update(
    SQLALCHEMY_DATABASE_URI=normalise_database_url(os.environ.get("DATABASE_URL", "sqlite://")),
    SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-hello"),
    SESSION_COOKIE_NAME="gtm",
)
db.init_app(app)


@app.get("/")
def hello() -> str:
    """Answer the constant page."""
    return PAGE


@app.get("/floor")
def floor() -> str:
    """Read the player from the signed cookie, look up their play once, answer the constant page."""
    player = session.get("player")
    if isinstance(player, str):
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        db.session.execute(PLAY, {"player": player}).first()
    return PAGE
