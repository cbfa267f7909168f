"""The signed-cookie session, kept off every answer that a shared cache may store."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response


class PrivateSessionInterface(SecureCookieSessionInterface):
    """Flask's session, never saved nor refreshed on an answer marked public.

    The typeahead fragment, result pictures and icons are `Cache-Control: public`: a cache that
    ignored `Vary: Cookie` would otherwise hand one player's cookie (id and CSRF token) to others.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Set the cookie as Flask does, except on public answers."""
        if response.cache_control.public:
            return
        super().save_session(app, session, response)
