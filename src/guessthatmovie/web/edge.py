"""What the app believes of a request's edge: forwarded headers, the host, absolute links.

Forwarded headers (X-Forwarded-For, -Proto) are believed only from the proxies configured in
FORWARDED_ALLOW_IPS (gunicorn reads the same setting): nginx on the box, the load balancer when
scaled out. A client that reaches the app directly is taken at its own address. Absolute links
(og:url, og:image, the share link) are built on PUBLIC_BASE_URL when it is set, never on the
Host a client sent; Flask refuses hosts outside TRUSTED_HOSTS, except on the health checks, which
a load balancer or Docker sends with an address for a host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from guessthatmovie.config_values import Network

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.wrappers import Response

HEALTH_PATHS = ("/healthz", "/readyz")
UNKNOWN_HOST = "This address does not serve Guess That Movie. Please check the link."
_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class Edge:
    """WSGI middleware: forwarded headers from trusted peers only; health checks on any host."""

    def __init__(
        self,
        app: WSGIApplication,
        hops: int,
        proxies: Iterable[Network] | None,
        hosts: list[str] | None = None,
    ) -> None:
        self.direct = app
        self.proxied = ProxyFix(app, x_for=hops, x_proto=hops) if hops else app
        self.proxies = None if proxies is None else tuple(proxies)
        self.hosts = hosts

    def trusted(self, peer: str) -> bool:
        """Tell whether the TCP peer is one of the configured proxies."""
        if self.proxies is None:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        """Pass the request on, believing its forwarded headers only from a trusted proxy."""
        if self.hosts:
            if environ.get("PATH_INFO") in HEALTH_PATHS:
                environ["HTTP_HOST"] = self.hosts[0]
            try:
                get_host(environ, self.hosts)
            except SecurityError:
                # Refused here, before Flask: its error page could not even build its links.
                return BadRequest(UNKNOWN_HOST)(environ, start_response)
        if self.trusted(environ.get("REMOTE_ADDR", "")):
            return self.proxied(environ, start_response)
        for name in _FORWARDED:
            environ.pop(name, None)
        return self.direct(environ, start_response)


def absolute_url(endpoint: str, **values: Any) -> str:
    """Return an absolute link: on PUBLIC_BASE_URL when set, else on the request's own host."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def own_redirects_relative(response: Response) -> Response:
    """Keep a client's Host out of redirects (Werkzeug's own, such as merged slashes)."""
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            base = str(current_app.config["PUBLIC_BASE_URL"] or "").rstrip("/")
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response.headers["Location"] = base + path
    return response
