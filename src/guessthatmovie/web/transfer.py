"""Move my stats to another device: make a one-time code here, redeem it there.

Both forms post (a code never travels in a URL, so no access log can hold it) and work without
JavaScript, by Post/Redirect/Get: without JavaScript each answers 303 See Other to the statistics
page, so Reload or Back never makes a new code nor posts a redeem again. What that page must then
show (the new code, or why a redeem was refused with the text typed) waits in the session as
web/transfer_panel.py explains: a new code's random seed, which only the server can turn into the
code (HMAC with SECRET_KEY), never the code itself; the database keeps only the code's keyed
hash. A reload shows the same code while it is live and unused. With htmx each form swaps its own
fragment in place (no new history entry: a reload is a GET of /stats), and a redeem that works
answers HX-Redirect to the statistics page, which then shows the original player's figures.

A refused redeem keeps the text typed and says why: a typo (a well-formed code matching nothing)
is "not right", distinct from a code that was real but has expired or been used.
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
from guessthatmovie.web import transfer_panel
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import address_block, has_room, limit_moves, spend
from guessthatmovie.web.panels import stats_page_context
from guessthatmovie.web.player import current_player_id, replace_player
from guessthatmovie.web.transfer_panel import REFUSALS, secret

bp = Blueprint("transfer", __name__)

NOT_RIGHT = REFUSALS["not-right"]
EXPIRED = REFUSALS["expired"]
USED = REFUSALS["used"]
MALFORMED = REFUSALS["malformed"]
TOO_MANY = REFUSALS["too-many"]
DONE = "Done: this device now shows your games and statistics."
FORM_EXPIRED = "That form had expired, so nothing was changed. It is fresh now: please try again."
# Failed redeems per client address (an IPv6 client: its /64), counted in the limiter's storage
# (Redis when configured, shared by every worker and instance; else each worker's share, never
# fewer than 5: web/limits.py). Each well-formed code is counted before it is judged, in one
# atomic step, and given back when it works: of many sent at once no more than five are judged.
REDEEM_FAILURES = "5 per 15 minutes"
# The status each refusal answers htmx with (without JavaScript: 303 to the statistics page).
REFUSAL_STATUS = {"malformed": 400, "too-many": 429}


@bp.post("/transfer/code")
@limit_moves  # cheap insurance against a loop making codes; the guess limit is generous
def create() -> Response:
    """Make this player's one-time code: the fragment showing it to htmx, else 303 to /stats."""
    seeds: list[str] = []

    def seeded() -> str:
        seeds.append(transfer.new_seed())
        return transfer.code_of_seed(seeds[-1], secret())

    code = transfer_store.create_code(current_player_id(), secret(), now(), seeded)
    transfer_panel.keep_seed(seeds[-1])
    if not wants_fragment():
        # No #fragment: with one, browsers skip autofocus, which takes the player to the code.
        return redirect(url_for("stats.stats_page"), code=303)
    expiry = transfer_panel.expiry_context(code.expires_at)
    shown = {"text": transfer.format_code(code.code), **expiry}
    return render("partials/transfer_code.html", 200, transfer_code=shown)


@bp.post("/transfer/redeem")
def redeem() -> Response:
    """Redeem a code: this device now plays as its player, with its own plays merged in."""
    typed = request.form.get("code", "")
    code = transfer.parse_code(typed)
    if code is None:
        return refused("malformed", typed)
    block = address_block()
    # And for the whole site, against an attacker with many addresses: past TRANSFER_SITE_FAILURES
    # failed redeems, every redeem waits (a person retries after a minute).
    site_limit = str(current_app.config["TRANSFER_SITE_FAILURES"])
    if not has_room(site_limit, "transfer-site", "all"):
        return refused("too-many", typed, retry_after=60)
    if not spend(REDEEM_FAILURES, "transfer-redeem", block):
        return refused("too-many", typed, retry_after=15 * 60)
    digest = transfer.code_hash(code, secret())
    original = transfer_store.redeem(digest, current_player_id(), now())
    if original is None:
        spend(site_limit, "transfer-site", "all")
        return refused(transfer_store.spent(digest) or "not-right", typed)
    spend(REDEEM_FAILURES, "transfer-redeem", block, cost=-1)  # a code that works is no failure
    replace_player(original)
    flash(DONE, "transfer")
    target = url_for("stats.stats_page")
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


def refused(reason: str, typed: str, retry_after: int | None = None) -> Response:
    """Refuse a redeem: to htmx the form again with the text and why; else 303 to /stats."""
    if not wants_fragment():
        transfer_panel.keep_refusal(reason, typed)
        return redirect(url_for("stats.stats_page"), code=303)  # autofocus: the field
    response = render(
        "partials/transfer_redeem.html",
        REFUSAL_STATUS.get(reason, 422),
        redeem_error=REFUSALS[reason],
        redeem_typed=typed[: transfer_panel.TYPED_MAX],
    )
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> Response:
    """Answer a transfer form whose token failed with that form again, fresh, and a message."""
    if request.endpoint == "transfer.redeem":
        return render("partials/transfer_redeem.html", 400, redeem_error=FORM_EXPIRED)
    return render("partials/transfer_code.html", 400, transfer_error=FORM_EXPIRED)


def render(fragment: str, status: int, **context: Any) -> Response:
    """Render a transfer form's answer: its fragment to htmx, else the whole stats page."""
    if wants_fragment():
        body = render_template(fragment, **context)
    else:
        shown = {**stats_page_context(), **transfer_panel.page_context(), **context}
        body = render_template("stats.html", **shown)
    response = make_response(body, status)
    # A page that shows a code is never stored, by the browser or anything on the way.
    response.headers["Cache-Control"] = "no-store"
    return response
