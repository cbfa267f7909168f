"""The signed-cookie session: re-sent at most once a day, never on a public answer, and never
in a way that replaces a player's cookie unless a transfer code asked for it."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response
from itsdangerous import BadSignature

from guessthatmovie.web.player import is_player_id, player_replaced

# Requests that only read: the first of them (a page view) may make a new player.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A permanent session's cookie is signed again (and its 400 days start again) when it is older
# than this: once a day at most rather than on every answer, which spared each page and move
# the compression and HMAC of a new cookie, and its bytes.
REFRESH_AFTER_SECONDS = 24 * 3600


class PrivateSessionInterface(SecureCookieSessionInterface):
    """Flask's session, refreshed once a day, never saved nor refreshed on a public answer.

    The typeahead fragment, result pictures and icons are `Cache-Control: public`: a cache that
    ignored `Vary: Cookie` would otherwise hand one player's cookie (id and CSRF token) to others.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Read the cookie as Flask does, and note when it was signed."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at.timestamp()  # type: ignore[attr-defined]
        session.player_before = data.get("player")  # type: ignore[attr-defined]
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Send the cookie when the session changed, or to refresh one signed a day ago."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at: Any = getattr(session, "signed_at", None)
        return signed_at is None or time.time() - signed_at >= REFRESH_AFTER_SECONDS

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Set the cookie as Flask does, except on public answers."""
        if response.cache_control.public or not may_save(session):
            return
        super().save_session(app, session, response)


def may_save(session: SessionMixin) -> bool:
    """Tell whether this answer may carry the session's cookie (see PrivateSessionInterface)."""
    if request.method in SAFE_METHODS:
        return True
    before = getattr(session, "player_before", None)
    if not is_player_id(before):
        return False
    return session.get("player") == before or player_replaced()
