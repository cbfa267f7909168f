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

`POST /puzzle/<n>/moves` is the least any move has to do: read the signed cookie, check the
form's CSRF token against it (Flask-WTF, as the game does), count the client in Redis
(REDIS_URL: one INCR with its expiry, as a fixed-window rate limit does) and commit one new
row in a transaction (BEGIN, an INSERT into `bench_floor_moves`, COMMIT), then answer the
constant page. No game rule, title lookup or fragment. That table is made in DATABASE_URL's
database when the app starts: point it only at the bench's own database (bench/load.py does).

It runs under the game's own gunicorn.conf.py, so it is bound to the game's `db` extension (the
post_fork hook disposes of its pools).
"""

from __future__ import annotations

import os

import redis
import sqlalchemy as sa
from flask import Flask, request, session
from flask_wtf.csrf import validate_csrf
from sqlalchemy import text
from wtforms import ValidationError

from guessthatmovie.config import normalise_database_url
from guessthatmovie.extensions import db

PAGE = "<!doctype html><title>hello</title><p>hello</p>"
PLAY = text(
    "SELECT id, status FROM plays WHERE player_id = :player ORDER BY puzzle_id DESC LIMIT 1"
)
MOVES_TABLE = sa.Table(
    "bench_floor_moves",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("player_id", sa.String(64), nullable=False),
    sa.Column("puzzle", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)
MOVE = text("INSERT INTO bench_floor_moves (player_id, puzzle) VALUES (:player, :puzzle)")

app = Flask(__name__)
app.config.update(
    SQLALCHEMY_DATABASE_URI=normalise_database_url(os.environ.get("DATABASE_URL", "sqlite://")),
    SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-hello"),
    SESSION_COOKIE_NAME="gtm",
    WTF_CSRF_TIME_LIMIT=None,
)
db.init_app(app)
counter = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
if "DATABASE_URL" in os.environ:
    with app.app_context():
        MOVES_TABLE.create(db.engine, checkfirst=True)


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


@app.post("/puzzle/<int:number>/moves")
def floor_move(number: int) -> tuple[str, int]:
    """Check the cookie and CSRF token, count the client in Redis, commit one write."""
    player = session.get("player")
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return PAGE, 400
    if not isinstance(player, str):
        return PAGE, 400
    pipe = counter.pipeline()
    key = f"floor:{request.remote_addr}:{number}"
    pipe.incr(key)
    pipe.expire(key, 60)
    pipe.execute()
    db.session.execute(MOVE, {"player": player, "puzzle": number})
    db.session.commit()
    return PAGE, 200
