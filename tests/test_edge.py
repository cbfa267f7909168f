"""Reached without nginx: the Host and forwarded headers a client sends are not believed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask, request

from guessthatmovie import create_app
from guessthatmovie.config import ConfigError, from_environment

EVIL = {"Host": "evil.example"}


def meta(html: str, name: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    return str(page.find("meta", attrs={"property": name})["content"])


def configured(app: Flask, **settings: object) -> Flask:
    """Return an app on the test database with these settings (as the environment gives them)."""
    return create_app(
        {
            **{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")},
            **{k: app.config[k] for k in ("CLOCK", "GAME_LAUNCH_DATE", "GAME_TIMEZONE")},
            "REDIS_URL": app.config["REDIS_URL"],
            "CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"],
            **settings,
        }
    )


def test_absolute_links_are_built_on_the_public_base_url(app: Flask, answer: str) -> None:
    site = configured(app, PUBLIC_BASE_URL="https://movies.example")
    html = site.test_client().get("/r/69/xso", headers=EVIL).get_data(as_text=True)
    assert meta(html, "og:url") == "https://movies.example/r/69/xso"
    assert meta(html, "og:image") == "https://movies.example/r/69/xso.png"
    assert "evil.example" not in html


def test_werkzeugs_own_redirects_carry_no_client_host(app: Flask, answer: str) -> None:
    response = app.test_client().get("/r//69/xso", headers=EVIL)
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == "/r/69/xso"
    site = configured(app, PUBLIC_BASE_URL="https://movies.example")
    response = site.test_client().get("/r//69/xso", headers={"Host": "movies.example"})
    assert response.headers["Location"] == "https://movies.example/r/69/xso"


def test_hosts_outside_trusted_hosts_get_a_400(app: Flask, answer: str) -> None:
    site = configured(app, TRUSTED_HOSTS=["movies.example"])
    client = site.test_client()
    assert client.get("/", headers={"Host": "movies.example"}).status_code == 200
    refused = client.get("/", headers=EVIL)
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)
    # Health checks (a load balancer's, Docker's) name the instance by its address.
    assert client.get("/healthz", headers={"Host": "10.0.1.23:8000"}).status_code == 200


def test_trusted_hosts_follow_the_public_base_url() -> None:
    settings = from_environment({"PUBLIC_BASE_URL": "https://movies.example/"})
    assert settings["PUBLIC_BASE_URL"] == "https://movies.example"
    assert settings["TRUSTED_HOSTS"] == ["movies.example"]
    listed = from_environment({"TRUSTED_HOSTS": "a.example, b.example"})
    assert listed["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    assert from_environment({})["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize(
    "settings",
    [
        {"PUBLIC_BASE_URL": "movies.example"},
        {"PUBLIC_BASE_URL": "https://movies.example/game"},
        {"FORWARDED_ALLOW_IPS": "nginx"},
    ],
)
def test_bad_edge_settings_stop_the_start(app: Flask, settings: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        configured(app, **settings)


@pytest.mark.parametrize(
    ("peer", "allowed", "expected"),
    [
        ("127.0.0.1", "127.0.0.1,::1", "203.0.113.9 https"),  # nginx on the box
        ("10.0.1.7", "10.0.0.0/16", "203.0.113.9 https"),  # the load balancer in the VPC
        ("192.0.2.50", "127.0.0.1,::1", "192.0.2.50 http"),  # a client reaching the app directly
        ("192.0.2.50", "*", "203.0.113.9 https"),  # any peer: only where nothing else gets in
    ],
)
def test_forwarded_headers_are_believed_only_from_the_proxies(
    app: Flask, peer: str, allowed: str, expected: str
) -> None:
    site = configured(app, FORWARDED_ALLOW_IPS=allowed, PROXY_HOPS=1)

    @site.get("/_whoami")
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    client = site.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    assert client.get("/_whoami", headers=headers).get_data(as_text=True) == expected
