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
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from guessthatmovie.clock import now
from guessthatmovie.game import transfer
from guessthatmovie.store import transfer as transfer_store
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import address_block, has_room, limit_moves, spend
from guessthatmovie.web.panels import stats_page_context
from guessthatmovie.web.player import current_player_id, replace_player

bp = Blueprint("transfer", __name__)

INVALID = "That code is not valid any more: make a new one on your other device."
MALFORMED = "A code has 12 letters and digits, like K7QX-M2PD-4HJN. Please check it and try again."
TOO_MANY = (
    "Too many wrong codes from here. For your safety, wait 15 minutes, then make a new code "
    "on your other device and try again."
)
DONE = "Done: this device now shows your games and statistics."
FORM_EXPIRED = "That form had expired, so nothing was changed. It is fresh now: please try again."
# Failed redeems per client address (an IPv6 client: its /64), counted in the limiter's storage
# (Redis when configured, shared by every worker and instance). Each well-formed code is counted
# before it is judged, in one atomic step, and given back when it works: of many sent at once no
# more than five are judged.
REDEEM_FAILURES = "5 per 15 minutes"


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
def redeem() -> Response:
    """Redeem a code: this device now plays as its player, with its own plays merged in."""
    code = transfer.parse_code(request.form.get("code", ""))
    if code is None:
        return render("partials/transfer_redeem.html", 400, redeem_error=MALFORMED)
    block = address_block()
    # And for the whole site, against an attacker with many addresses: past TRANSFER_SITE_FAILURES
    # failed redeems, every redeem waits (a person retries after a minute).
    site_limit = str(current_app.config["TRANSFER_SITE_FAILURES"])
    if not has_room(site_limit, "transfer-site", "all"):
        return too_many_tries(60)
    if not spend(REDEEM_FAILURES, "transfer-redeem", block):
        return too_many_tries(15 * 60)
    key = current_app.config["SECRET_KEY"].encode()
    original = transfer_store.redeem(transfer.code_hash(code, key), current_player_id(), now())
    if original is None:
        spend(site_limit, "transfer-site", "all")
        return render("partials/transfer_redeem.html", 422, redeem_error=INVALID)
    spend(REDEEM_FAILURES, "transfer-redeem", block, cost=-1)  # a code that works is no failure
    replace_player(original)
    flash(DONE, "transfer")
    target = url_for("stats.stats_page")
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> Response:
    """Answer a transfer form whose token failed with that form again, fresh, and a message."""
    if request.endpoint == "transfer.redeem":
        return render("partials/transfer_redeem.html", 400, redeem_error=FORM_EXPIRED)
    return render("partials/transfer_code.html", 400, transfer_error=FORM_EXPIRED)


def too_many_tries(retry_after: int) -> Response:
    """Answer a redeem over a limit of failed tries in the redeem form, with a 429."""
    response = render("partials/transfer_redeem.html", 429, redeem_error=TOO_MANY)
    response.headers["Retry-After"] = str(retry_after)
    return response


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
