"""Leagues of friends, no account: start one, join by its link, see the day's board together.

Every action is a real form (CSRF, Post/Redirect/Get): it answers 303 See Other to the page it
leads to, or, refused, the page again with the text typed, why, and a 4xx. htmx only refreshes
the board in place (returning to the tab, or the Refresh button). Every league page is private
(`no-store`, `noindex`) and shows members by their display names and row ids: no player id, no
other league, no title and no guess, only squares (game/leagues.py has the rules).
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
from werkzeug.wrappers import Response

from guessthatmovie.clock import now, today
from guessthatmovie.game import leagues
from guessthatmovie.game.leagues import NameRefused
from guessthatmovie.league_page import league_page as build_page
from guessthatmovie.league_page import members_seen_by
from guessthatmovie.store import leagues as store
from guessthatmovie.store.leagues import LeagueRecord, Refused
from guessthatmovie.web import notices
from guessthatmovie.web.edge import absolute_url
from guessthatmovie.web.errors import problem, with_retry_after
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import OverLimit, address_block, count, limit_moves, player_key
from guessthatmovie.web.player import current_player_id, has_player, is_new_player
from guessthatmovie.web.routes import MAX_NUMBER
from guessthatmovie.web.transfer_panel import secret

bp = Blueprint("leagues", __name__)

# Refusals, by the store's reason or the view's: the message and the status answered.
REFUSALS: dict[str, tuple[int, str]] = {
    "too-many": (
        409,
        "You are in {most} leagues already, the most one player can be in. Leave "
        "one to start or join another.",
    ),
    "full": (409, "This league is full: it has {room} members, the most a league holds."),
    "taken": (422, "Someone in this league already goes by that name: please choose another."),
    "stale": (
        404,
        "This invite link no longer works: the league has a newer link, or it has "
        "been deleted. Ask a member for its current link.",
    ),
    "not-member": (
        404,
        "This league's page is for its members only, and you are not (or no "
        "longer) in it. To join, ask a member for its invite link.",
    ),
    "not-keeper": (403, "Only the member who keeps the league (its first member) can do that."),
    "gone": (409, "That member is no longer in the league."),
    "too-fast": (
        429,
        "You have started or joined many leagues in a short time. Please try again in a while.",
    ),
}
# What a form may keep of the text typed: a little over each field's limit, so a refusal says
# what was too long without the page growing with the input.
KEPT = 60


def refusal(reason: str) -> tuple[int, str]:
    """Return the status and the message of a refusal, with the settings' figures in it."""
    status, text = REFUSALS[reason]
    config = current_app.config
    return status, text.format(most=config["LEAGUES_PER_PLAYER"], room=config["LEAGUE_MEMBERS"])


def typed(*fields: str) -> dict[str, str]:
    """Return the named fields of the posted form, cut to what a page shows back."""
    return {field: request.form.get(field, "")[:KEPT] for field in fields}


def private(response: Response) -> Response:
    """Keep a league page out of every cache and every search engine."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def page(template: str, status: int = 200, **context: Any) -> Response:
    """Render a league page, private, with the notice a refused foreign form left."""
    body = render_template(template, notice=notices.from_query(), **context)
    return private(make_response(body, status))


def count_league_try() -> None:
    """Count a start or a join, per player and per address; raise OverLimit when over."""
    config = current_app.config
    count(
        (config["LEAGUE_RATE_LIMIT"], "leagues-per-player", player_key()),
        (config["LEAGUE_ADDRESS_LIMIT"], "leagues-per-address", address_block()),
    )


# --- Your leagues, and starting one


@bp.get("/leagues")
def leagues_page() -> Response:
    """List the player's leagues, with the form that starts one."""
    return your_leagues()


def your_leagues(status: int = 200, **form: Any) -> Response:
    """Render the player's leagues page (with a refused start's text and why, if any)."""
    # A first visit gets its player here: the form it shows posts as that player.
    new = not has_player()
    player = current_player_id()
    joined = [] if new else store.leagues_of(player)
    return page("leagues.html", status, joined=joined, **form)


@bp.post("/leagues")
@limit_moves
def create() -> Response:
    """Start a league with this player as its first member; 303 to its page."""
    values = typed("league_name", "display_name")
    try:
        count_league_try()
        name = named(leagues.league_name, values["league_name"], "league_name")
        shown_as = named(leagues.display_name, values["display_name"], "display_name")
        most = current_app.config["LEAGUES_PER_PLAYER"]
        league_id = store.create(name, shown_as, current_player_id(), now(), today(), most)
    except Refused as refused:
        form = FormRefused.of(refused)
        return your_leagues(form.status, create_values=values, **form.context("create"))
    except FormRefused as refused:
        return your_leagues(refused.status, create_values=values, **refused.context("create"))
    except OverLimit as error:
        status, text = refusal("too-fast")
        shown = your_leagues(status, create_values=values, create_error=text)
        return with_retry_after(shown, error)
    flash(f"You started {name}. Send your friends its invite link below.", "league")
    return redirect(url_for("leagues.league_page", league_id=league_id), code=303)


class FormRefused(Exception):
    """A form's input refused: the status, the message and the field it is about."""

    def __init__(self, status: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field

    def context(self, form: str) -> dict[str, str]:
        """Return what the form's template shows of the refusal."""
        return {f"{form}_error": self.message, f"{form}_field": self.field}

    @classmethod
    def of(cls, refused: Refused, field: str = "display_name") -> FormRefused:
        """Word a store's refusal (the name field is the one a clash is about)."""
        status, text = refusal(refused.reason)
        return cls(status, text, field if refused.reason == "taken" else "")


def named(rule: Any, text: str, field: str) -> str:
    """Return a name as a rule keeps it; FormRefused (422) naming the field when it refuses."""
    try:
        return str(rule(text))
    except NameRefused as refused:
        raise FormRefused(422, str(refused), field) from None


# --- Invites


def invited(token: str) -> LeagueRecord | None:
    """Return the league a token is the current invite of (compared in constant time)."""
    parts = leagues.split_token(token)
    if parts is None:
        return None
    found = store.league_by_selector(parts[0])
    if found is None or not leagues.validates(found.selector, parts[1], secret()):
        return None
    return found


def invite_url(found: LeagueRecord) -> str:
    """Return the league's current invite link, absolute (to paste in a chat)."""
    token = leagues.invite_token(found.selector, secret())
    return absolute_url("leagues.invite_page", token=token)


def stale_invite() -> Response:
    """Answer a wrong or old invite link: why, and what to do, with a 404."""
    status, text = refusal("stale")
    return page("league_gone.html", status, message=text, heading="This invite link does not work")


@bp.get("/l/<token>")
def invite_page(token: str) -> Response:
    """Show a league's name and members, and the form to join it."""
    found = invited(token)
    if found is None:
        return stale_invite()
    player = current_player_id()  # a first visit gets its player here, for the join's form
    if found.member_of(player) is not None:
        flash("You are in this league already.", "league")
        return redirect(url_for("leagues.league_page", league_id=found.id), code=303)
    return invite(found, token)


def invite(found: LeagueRecord, token: str, status: int = 200, **form: Any) -> Response:
    """Render the invite page of a league (with a refused join's text and why, if any)."""
    members = members_seen_by(found, "")
    # Offered in the field: the name the player took last (a new player has none).
    usual = None if is_new_player() else store.usual_name(current_player_id())
    return page(
        "league_invite.html",
        status,
        league=found,
        members=members,
        token=token,
        usual_name=usual,
        **form,
    )


@bp.post("/l/<token>")
@limit_moves
def join(token: str) -> Response:
    """Join a league by its invite link under a display name; 303 to its page."""
    found = invited(token)
    if found is None:
        return stale_invite()
    values = typed("display_name")
    config = current_app.config
    try:
        count_league_try()
        shown_as = named(leagues.display_name, values["display_name"], "display_name")
        most, room = config["LEAGUES_PER_PLAYER"], config["LEAGUE_MEMBERS"]
        store.join(found, current_player_id(), shown_as, now(), most, room)
    except Refused as refused:
        return refused_join(found, token, refused, values)
    except FormRefused as refused:
        return invite(found, token, refused.status, join_values=values, **refused.context("join"))
    except OverLimit as error:
        status, text = refusal("too-fast")
        shown = invite(found, token, status, join_values=values, join_error=text)
        return with_retry_after(shown, error)
    flash(f"You joined {found.name} as {shown_as}.", "league")
    return redirect(url_for("leagues.league_page", league_id=found.id), code=303)


def refused_join(
    found: LeagueRecord, token: str, refused: Refused, values: dict[str, str]
) -> Response:
    """Answer a join the store refused: the league page for a member, else the form and why."""
    if refused.reason == "member":
        flash("You are in this league already.", "league")
        return redirect(url_for("leagues.league_page", league_id=found.id), code=303)
    if refused.reason == "stale":
        return stale_invite()
    form = FormRefused.of(refused)
    return invite(found, token, form.status, join_values=values, **form.context("join"))


# --- The league's page


def membership(league_id: int) -> tuple[LeagueRecord, store.MemberRecord] | None:
    """Return the league and the player's membership, None unless they are in it."""
    found = store.league(league_id) if has_player() else None
    member = found.member_of(current_player_id()) if found is not None else None
    return (found, member) if found is not None and member is not None else None


def not_a_member() -> Response:
    """Answer a league page asked for by someone not (or no longer) in it."""
    status, text = refusal("not-member")
    if wants_fragment():
        return private(problem(status, text))
    return page("league_gone.html", status, message=text, heading="Not your league")


def league_view(found: LeagueRecord, status: int = 200, **form: Any) -> Response:
    """Render a league's page for the player (a member): the board, standings, forms."""
    config = current_app.config
    shown = build_page(
        found, current_player_id(), today(), config["GAME_LAUNCH_DATE"], config["GAME_ATTEMPTS"]
    )
    if wants_fragment():
        return private(make_response(render_template("partials/league_board.html", league=shown)))
    return page("league.html", status, league=shown, invite_url=invite_url(found), **form)


@bp.get(f"/leagues/<int(max={MAX_NUMBER}):league_id>")
def league_page(league_id: int) -> Response:
    """Show a league's day, standings and last seven days to its members (htmx: the board)."""
    found = membership(league_id)
    if found is None:
        return not_a_member()
    return league_view(found[0])


def member_action(
    league_id: int, keeper_only: bool = False
) -> tuple[LeagueRecord, store.MemberRecord]:
    """Return the league and the acting member, or raise FormRefused (not in it, not keeper)."""
    found = membership(league_id)
    if found is None:
        raise NotMember
    if keeper_only and not found[0].kept_by(found[1].player_id):
        status, text = refusal("not-keeper")
        raise FormRefused(status, text)
    return found


class NotMember(Exception):
    """The player acting on a league is not (or no longer) in it."""


def done(league_id: int, message: str) -> Response:
    """Land on the league's page after an action, with a word of what was done."""
    flash(message, "league")
    return redirect(url_for("leagues.league_page", league_id=league_id), code=303)


@bp.errorhandler(NotMember)
def acted_without_membership(_error: NotMember) -> Response:
    """Answer an action on a league the player is not in."""
    return not_a_member()


@bp.post(f"/leagues/<int(max={MAX_NUMBER}):league_id>/name")
@limit_moves
def rename(league_id: int) -> Response:
    """Give the league a new name (its keeper only)."""
    values = typed("league_name")
    try:
        found, _ = member_action(league_id, keeper_only=True)
        name = named(leagues.league_name, values["league_name"], "league_name")
    except FormRefused as refused:
        return refused_action(league_id, refused, "rename", values)
    store.rename_league(found, name)
    return done(league_id, f"The league is now called {name}.")


@bp.post(f"/leagues/<int(max={MAX_NUMBER}):league_id>/invite")
@limit_moves
def new_invite(league_id: int) -> Response:
    """Make a new invite link (its keeper only): the old one stops working."""
    try:
        found, _ = member_action(league_id, keeper_only=True)
    except FormRefused as refused:
        return refused_action(league_id, refused, "invite", {})
    store.new_invite(found)
    return done(league_id, "Here is a new invite link; the old one no longer works.")


@bp.post(f"/leagues/<int(max={MAX_NUMBER}):league_id>/remove")
@limit_moves
def remove(league_id: int) -> Response:
    """Take a member out of the league (its keeper only; the keeper leaves instead)."""
    try:
        found, keeper = member_action(league_id, keeper_only=True)
        member = member_named(found, request.form.get("member", ""), keeper)
    except FormRefused as refused:
        return refused_action(league_id, refused, "remove", {})
    store.remove(league_id, member.id)
    return done(league_id, f"{member.name} is no longer in the league.")


def member_named(found: LeagueRecord, field: str, keeper: store.MemberRecord) -> store.MemberRecord:
    """Return the member a remove form names (by row id), never the keeper themselves."""
    member = next((m for m in found.members if field.isascii() and str(m.id) == field), None)
    if member is None or member.id == keeper.id:
        status, text = refusal("gone")
        raise FormRefused(status, text)
    return member


@bp.post(f"/leagues/<int(max={MAX_NUMBER}):league_id>/me")
@limit_moves
def rename_me(league_id: int) -> Response:
    """Change the player's own display name in the league."""
    values = typed("display_name")
    try:
        _, member = member_action(league_id)
        shown_as = named(leagues.display_name, values["display_name"], "display_name")
        store.rename_member(member, league_id, shown_as)
    except FormRefused as refused:
        return refused_action(league_id, refused, "me", values)
    except Refused as refused:
        return refused_action(league_id, FormRefused.of(refused), "me", values)
    return done(league_id, f"You are {shown_as} in this league now.")


@bp.post(f"/leagues/<int(max={MAX_NUMBER}):league_id>/leave")
@limit_moves
def leave(league_id: int) -> Response:
    """Leave the league (the last member out deletes it); 303 to the player's leagues."""
    found, member = member_action(league_id)
    store.remove(league_id, member.id)
    if len(found.members) == 1:
        flash(f"You left {found.name}. You were its last member, so it is deleted.", "league")
    else:
        flash(f"You left {found.name}.", "league")
    return redirect(url_for("leagues.leagues_page"), code=303)


def refused_action(
    league_id: int, refused: FormRefused, form: str, values: dict[str, str]
) -> Response:
    """Answer a refused action on the league's page: the page, the form's text and why."""
    found = membership(league_id)
    if found is None:
        return not_a_member()
    # Not the keeper: the form is not on their page, so the refusal shows at its top.
    shown = {"action_error": refused.message} if refused.status == 403 else refused.context(form)
    return league_view(found[0], refused.status, **{f"{form}_values": values}, **shown)
