"""Friendly answers for every error: a page, or a notice fragment for htmx; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, make_response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from guessthatmovie.extensions import db
from guessthatmovie.web import notices
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import OverLimit

log = logging.getLogger(__name__)

MESSAGES = {
    400: "That request did not make sense to us. Please go back to the game and try again.",
    404: "There is nothing here. Today's puzzle is on the home page.",
    405: "That page cannot be used that way. Today's puzzle is on the home page.",
    413: "That was far too much text for a movie title. Please try a shorter guess.",
    429: "Too many tries in a short time. Take a breath and try again in a minute.",
    500: "Something went wrong on our side. Your game is saved; please try again in a moment.",
    503: "The game is briefly unavailable. Your progress is saved; please try again shortly.",
}


def problem(status: int, message: str | None = None) -> Response:
    """Answer an error as a full page, or as a notice fragment to an htmx request."""
    text = message or MESSAGES.get(status, MESSAGES[500])
    notice = notices.Notice(text=text, kind="error")
    htmx = wants_fragment()
    if htmx:
        body = render_template("partials/notice.html", notice=notice, oob=True)
    else:
        body = render_template("error.html", notice=notice, status=status)
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    if htmx:
        # Only the notice changes: the form that asked stays as it was, whatever its target.
        response.headers["HX-Reswap"] = "none"
    return response


def with_retry_after(response: Response, error: Exception) -> Response:
    """Tell a client over a rate limit when to come back: after the limit's whole window."""
    if isinstance(error, OverLimit):
        # When the window has passed, the count has started again.
        response.headers["Retry-After"] = str(error.item.get_expiry())
    return response


def discard_session() -> None:
    """End the request's transaction; a connection the database dropped is thrown away instead."""
    try:
        db.session.rollback()
    except SQLAlchemyError as error:
        # The server ended the connection (a restart, a failover): ROLLBACK itself fails. Drop the
        # connection without a word to the server; the pool opens a new one (pre-ping) next time.
        log.warning("database connection lost: %s", type(error).__name__)
        db.session().invalidate()  # the scoped proxy does not offer invalidate()


def close_session(_error: BaseException | None) -> None:
    """Close the request's session at teardown without turning a lost connection into a 500."""
    discard_session()
    db.session.remove()


def register(app: Flask) -> None:
    """Install the error handlers on the app."""

    # Runs before Flask-SQLAlchemy's own teardown (registered earlier; teardowns run in reverse),
    # whose plain close() would raise from the ROLLBACK on a connection the server has ended.
    app.teardown_appcontext(close_session)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Response:
        return problem(400, notices.FORM_EXPIRED.text)

    @app.errorhandler(OverLimit)
    def moves_over_limit(error: OverLimit) -> Response:
        return with_retry_after(problem(429), error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return problem(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError) -> Response:
        log.error("database unavailable: %s", error.orig)
        discard_session()
        return problem(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        discard_session()
        return problem(500)
