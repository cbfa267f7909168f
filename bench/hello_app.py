"""The baseline for bench/load.py: a bare Flask app answering a constant "hello" page (not a test).

    gunicorn -c gunicorn.conf.py bench.hello_app:app

It runs under the game's own gunicorn.conf.py, so it is bound to the game's `db` extension (an
in-memory SQLite URL that no request ever opens) only for the config's post_fork hook to work.
"""

from __future__ import annotations

from flask import Flask

from guessthatmovie.extensions import db

PAGE = "<!doctype html><title>hello</title><p>hello</p>"

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


@app.get("/")
def hello() -> str:
    """Answer the constant page."""
    return PAGE
