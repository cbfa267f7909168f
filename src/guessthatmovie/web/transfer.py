"""Move my stats to another device: make a one-time code here, redeem it there.

Both forms post (a code never travels in a URL, so no access log can hold it) and work without
JavaScript. A new code is shown in the answer to the POST itself, with no redirect: a redirect
would need the code kept somewhere for the following GET (in clear), and showing a fresh code is
not something a reload should repeat silently; the browser asks before posting again, and a
second post only replaces the code. Redeeming answers 303 to the statistics page (htmx: a full
page load), which now shows the original player's figures.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from guessthatmovie.extensions import limiter
from guessthatmovie.game import transfer
from guessthatmovie.store import transfer as transfer_store
from guessthatmovie.web.errors import problem, with_retry_after
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import limit_moves
from guessthatmovie.web.player import current_player_id
from guessthatmovie.web.stats import stats_page_context
from guessthatmovie.web.time import now

bp = Blueprint("transfer", __name__)

INVALID = "That code is not valid any more: make a new one on your other device."
MALFORMED = "A code has 8 letters and digits, like K7QX-M2PD. Please check it and try again."
TOO_MANY = (
    "Too many wrong codes from here. For your safety, wait 15 minutes, then make a new code "
    "on your other device and try again."
)
DONE = "Done: this device now shows your games and statistics."
# Failed redeems per client address, counted in the limiter's storage (Redis when configured,
# shared by every worker and instance); only well-formed codes that do not work count.
REDEEM_FAILURES = "5 per 15 minutes"


def failed_redeem(response: Response) -> bool:
    """Return whether a redeem answer was a refused code (the ones the limit counts)."""
    return response.status_code == 422


@bp.post("/transfer/code")
@limit_moves  # cheap insurance against a loop making codes; the guess limit is generous
def create() -> Response:
    """Make this player's one-time code and show it: the fragment to htmx, else the stats page."""
    code = transfer_store.create_code(
        current_player_id(), current_app.config["SECRET_KEY"].encode(), now()
    )
    shown = {"text": transfer.format_code(code.code), **expiry_context(code)}
    return render("partials/transfer_code.html", 200, transfer_code=shown)


@bp.post("/transfer/redeem")
@limiter.limit(REDEEM_FAILURES, scope="transfer-redeem", deduct_when=failed_redeem)
def redeem() -> Response:
    """Redeem a code: this device now plays as its player, with its own plays merged in."""
    code = transfer.parse_code(request.form.get("code", ""))
    if code is None:
        return render("partials/transfer_redeem.html", 400, redeem_error=MALFORMED)
    key = current_app.config["SECRET_KEY"].encode()
    original = transfer_store.redeem(transfer.code_hash(code, key), current_player_id(), now())
    if original is None:
        return render("partials/transfer_redeem.html", 422, redeem_error=INVALID)
    session["player"] = original
    flash(DONE, "transfer")
    target = url_for("stats.stats_page")
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


@bp.errorhandler(TooManyRequests)
def too_many(error: TooManyRequests) -> Response:
    """Answer a client over the limit of failed redeems in the redeem form, with a 429."""
    if request.endpoint != "transfer.redeem":
        return with_retry_after(problem(429), error)
    return with_retry_after(
        render("partials/transfer_redeem.html", 429, redeem_error=TOO_MANY), error
    )


def expiry_context(code: transfer_store.NewCode) -> dict[str, str]:
    """Return when a code stops working, as a machine-readable and a local clock time."""
    zone = current_app.config["GAME_TIMEZONE"]
    return {
        "expires_iso": code.expires_at.isoformat(timespec="seconds"),
        "expires_text": transfer.clock_time(code.expires_at, zone),
        "timezone": zone,
    }


def render(fragment: str, status: int, **context: Any) -> Response:
    """Render a transfer form's answer: its fragment to htmx, else the whole stats page."""
    if wants_fragment():
        body = render_template(fragment, **context)
    else:
        body = render_template("stats.html", **stats_page_context(), **context)
    response = make_response(body, status)
    # A page that shows a code is never stored, by the browser or anything on the way.
    response.headers["Cache-Control"] = "no-store"
    return response
