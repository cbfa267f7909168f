"""Through nginx over HTTPS, as deployed: play, static files, headers, limits, redirects, outages.

The tests share one stack and run in file order; the Redis outage comes last.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import re
import shutil
import socket
import ssl
import string
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis

from guessthatmovie import CONTENT_SECURITY_POLICY, release_static
from guessthatmovie.config import PROJECT_ROOT
from tests.deploy.conftest import (
    ANSWER,
    DOMAIN,
    SNIPPETS,
    Browser,
    Reply,
    Stack,
    nginx_test,
    render_site,
)
from tests.servers import exchange

REFERER = {"Referer": f"https://{DOMAIN}/"}
HTMX = {"HX-Request": "true", **REFERER}
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(reply: Reply) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert reply.headers.get_all(name) == [value], (name, reply.headers.get_all(name))
    policy = reply.headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


class Player:
    """A player at the HTTPS site, posting the page's own form, plainly or as htmx."""

    def __init__(self, stack: Stack, htmx: bool) -> None:
        self.browser = Browser(stack)
        self.htmx = htmx
        self.page = self.browser.get("/")
        assert self.page.status == 200, self.page.text

    def send(self, action: str, text: str = "") -> Reply:
        form = self.page.html.find("form", id="guess-form")
        assert form is not None, self.page.text
        fields = {
            "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
            "position": form.find("input", attrs={"name": "position"})["value"],
            "action": action,
            "guess": text,
        }
        reply = self.browser.request(
            "POST", form["action"], urlencode(fields), HTMX if self.htmx else REFERER
        )
        if reply.status == 303:
            # Each lands on an anchor: the newest clue, or the result.
            location = reply.headers["Location"].split("#")[0]
            assert location in ("/", f"https://{DOMAIN}/"), reply.headers["Location"]
        self.page = self.browser.get("/")
        return reply

    @property
    def result(self) -> str | None:
        node = self.page.html.find(attrs={"data-result": True})
        return node["data-result"] if node else None

    @property
    def outcomes(self) -> list[str]:
        return [li["data-guess"] for li in self.page.html.select("[data-guess]")]


def test_nginx_accepts_the_production_config(tmp_path: Path, certificate: Path) -> None:
    main = render_site(tmp_path, 8080, 8443, 8000, certificate)
    result = nginx_test(main)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_nginx_rejects_a_broken_certificate_path(tmp_path: Path, certificate: Path) -> None:
    main = render_site(tmp_path, 8080, 8443, 8000, tmp_path / "missing")
    assert nginx_test(main).returncode != 0  # nginx -t really reads what the file names


def test_gunicorn_runs_two_workers(stack: Stack) -> None:
    master = stack.gunicorn.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) >= 2


def test_play_without_javascript(stack: Stack) -> None:
    player = Player(stack, htmx=False)
    cookie = player.page.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert player.send("guess", "Lanterns Over Kyoto").status == 303
    assert player.outcomes == ["wrong"]
    assert len(player.page.html.select("#clues .review")) == 1
    assert ANSWER not in player.page.text
    assert player.send("guess", ANSWER).status == 303
    assert player.result == "won"
    assert ANSWER in player.page.html.find(attrs={"data-result": True}).get_text()


def test_play_with_htmx(stack: Stack) -> None:
    player = Player(stack, htmx=True)
    reply = player.send("skip")
    assert reply.status == 200
    assert reply.html.find("html") is None  # a fragment
    assert reply.html.select(".review")  # the new clue card
    assert ANSWER not in reply.text
    assert "HX-Request" in reply.headers["Vary"]
    reply = player.send("guess", ANSWER)
    assert reply.status == 200
    assert player.result == "won"


def test_https_is_what_the_app_sees(stack: Stack) -> None:
    """ProxyFix took X-Forwarded-Proto: the CSRF check holds HTTPS posts to the same origin."""
    player = Player(stack, htmx=False)
    form = player.page.html.find("form", id="guess-form")
    fields = {
        "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
        "position": "0",
        "action": "skip",
    }
    reply = player.browser.request("POST", form["action"], urlencode(fields))  # no Referer
    assert reply.status == 303  # a plain form: the refusal waits on the page (Post/Redirect/Get)
    page = player.browser.get("/").html
    assert "not counted" in page.find(id="notice").get_text()
    assert page.select("[data-guess]") == []  # nothing was played


def test_static_files_are_served_by_nginx_with_long_cache(stack: Stack) -> None:
    browser = stack.browser()
    page = browser.get("/")
    href = page.html.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", href)
    css = browser.get(href, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Content-Encoding"] == "gzip"
    assert css.headers["Server"] == "nginx"  # served by nginx, which names no version
    assert_security_headers(css)
    plain = browser.get("/static/css/app.css")
    assert plain.headers["Cache-Control"] == "public, max-age=3600"  # not fingerprinted
    assert browser.get("/static/nope.css").status == 404
    script = page.html.find("script", src=True)["src"]
    assert browser.get(script).headers["Cache-Control"].endswith("immutable")


def test_after_a_new_release_old_pages_still_get_their_own_static_files(
    stack: Stack, tmp_path: Path
) -> None:
    """release_static twice under nginx: ?v=old gets the old bytes, ?v=new and no ?v= the new."""
    browser = stack.browser()
    href = browser.get("/").html.find("link", rel="stylesheet")["href"]
    old = browser.get(href)
    assert old.status == 200
    source = tmp_path / "next-release"
    shutil.copytree(PROJECT_ROOT / "static", source)
    css = source / "css" / "app.css"
    css.write_bytes(css.read_bytes() + b"\n/* the next release */\n")
    new_version = hashlib.sha256(css.read_bytes()).hexdigest()[:12]
    srv = stack.folder / "srv"
    release_static.publish(source, srv)
    try:
        again = browser.get(href)  # a page the previous release rendered
        assert again.body == old.body
        assert again.headers["Cache-Control"].endswith("immutable")
        fresh = browser.get(f"/static/css/app.css?v={new_version}")
        assert fresh.body == css.read_bytes()
        assert fresh.headers["Cache-Control"].endswith("immutable")
        assert browser.get("/static/css/app.css").body == css.read_bytes()
    finally:
        release_static.publish(PROJECT_ROOT / "static", srv)  # back to this checkout's files
    assert browser.get("/static/css/app.css").body == old.body


def test_the_installable_app_files_come_through_with_their_cache_headers(stack: Stack) -> None:
    browser = stack.browser()
    page = browser.get("/").html
    worker = browser.get("/sw.js")
    assert worker.status == 200 and worker.headers["Content-Type"].startswith("text/javascript")
    assert worker.headers["Cache-Control"] == "no-cache"
    assert_security_headers(worker)
    manifest = browser.get(page.find("link", rel="manifest")["href"])
    assert manifest.headers["Content-Type"] == "application/manifest+json"
    assert manifest.headers["Cache-Control"] == "no-cache"
    assert browser.get("/offline").headers["Cache-Control"] == "no-cache"
    icon = browser.get(page.find("link", rel="apple-touch-icon")["href"])
    assert icon.status == 200 and icon.headers["Content-Type"] == "image/png"
    assert icon.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_pages_are_not_compressed(stack: Stack) -> None:
    page = stack.browser().get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers  # BREACH: pages hold the CSRF token


@pytest.mark.parametrize("path", ["/", "/healthz", "/no/such/page", "/static/favicon.svg"])
def test_every_answer_has_the_security_headers(stack: Stack, path: str) -> None:
    assert_security_headers(stack.browser().get(path))


def test_security_snippet_carries_the_apps_policy() -> None:
    snippet = (SNIPPETS / "security-headers.conf").read_text()
    [policy] = re.findall(r'add_header Content-Security-Policy "([^"]*)" always;', snippet)
    assert policy == CONTENT_SECURITY_POLICY
    headers = re.findall(r"^add_header (\S+) .* always;$", snippet, re.MULTILINE)
    assert set(SECURITY_HEADERS) | {"Permissions-Policy"} == set(headers)


def test_request_size_is_limited(stack: Stack) -> None:
    body = "guess=" + "x" * 70_000
    reply = stack.browser().request("POST", "/puzzle/1/moves", body, REFERER)
    assert reply.status == 413
    assert reply.html.find(attrs={"data-error": "too-large"}) is not None
    assert "far too much text" in reply.html.find(id="notice").get_text()
    assert_security_headers(reply)
    fragment = stack.browser().request("POST", "/puzzle/1/moves", body, HTMX)
    assert fragment.status == 413
    assert fragment.text.startswith('<div id="notice"')
    assert "far too much text" in fragment.text
    assert fragment.headers["HX-Reswap"] == "none"  # the form that asked stays


def test_a_long_refused_guess_never_locks_the_player_out(stack: Stack) -> None:
    # 40,000 letters refused as too long: the cookie keeps their first 200 characters, so the
    # next page is a 200 (a 40 KB cookie got 502 "upstream sent too big header" from nginx).
    rng = random.Random(27)
    text = "".join(rng.choice(string.ascii_letters) for _ in range(40_000))
    player = Player(stack, htmx=False)
    reply = player.send("guess", text)
    assert reply.status == 303
    assert len(reply.headers["Set-Cookie"]) < 1500
    assert player.page.status == 200
    assert player.page.html.find("input", id="guess")["value"] == text[:200]
    assert player.browser.get("/stats").status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/puzzle/\u0663\u0664\u0661"),  # Arabic-Indic digits
        ("GET", "/puzzle/\uff11"),  # fullwidth
        ("POST", "/puzzle/\u0661/moves"),
        ("POST", "/puzzle/\uff11/moves"),
    ],
)
def test_only_ascii_digits_name_a_puzzle_through_nginx(
    stack: Stack, method: str, path: str
) -> None:
    # nginx limits moves on `/puzzle/[0-9]+/moves`: the app serves no other numbered route.
    browser = Browser(stack)
    browser.get("/")
    reply = browser.request(method, quote(path), "guess=x&position=0&action=guess", REFERER)
    assert reply.status == 404


def test_http_redirects_to_https_and_serves_acme_challenges(stack: Stack) -> None:
    def plain(path: str, host: str = DOMAIN) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=5)
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse()

    redirect = plain("/puzzle/1?x=1")
    assert redirect.status == 301
    assert redirect.headers["Location"] == f"https://{DOMAIN}/puzzle/1?x=1"
    token = stack.folder / "acme" / ".well-known" / "acme-challenge" / "tok3n"
    token.write_text("tok3n.thumbprint")
    token.chmod(0o644)
    challenge = plain("/.well-known/acme-challenge/tok3n")
    assert challenge.status == 200
    assert challenge.read() == b"tok3n.thumbprint"


def test_unknown_hosts_get_nothing(stack: Stack) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=5)
    connection.request("GET", "/", headers={"Host": "evil.example"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()  # 444: the connection closes without an answer
    with pytest.raises(ssl.SSLError):
        stack.tls("evil.example")  # the TLS handshake itself is refused
    raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=5)
    context = ssl.create_default_context(cafile=str(stack.cafile))
    context.check_hostname = False
    with pytest.raises(ssl.SSLError):
        context.wrap_socket(raw)  # no name at all (SNI) is refused too


def until_429(player: Player, tries: int = 40) -> tuple[list[int], Reply]:
    """Send unknown titles until the app answers 429; return the statuses and that answer."""
    statuses = []
    for _ in range(tries):
        reply = player.send("guess", "Not A Film At All")
        statuses.append(reply.status)
        if reply.status == 429:
            break
    assert statuses[-1] == 429, statuses
    # Refused guesses count too; a fixed window may roll over on the way, never anything else.
    # (A plain form's refusal is a 303 to the page, like any move.)
    assert set(statuses[:-1]) <= {422 if player.htmx else 303}, statuses
    return statuses, reply


def test_too_many_moves_get_429(stack: Stack) -> None:
    _statuses, page = until_429(Player(stack, htmx=False))
    assert "Too many tries" in page.html.find(id="notice").get_text()
    assert page.html.find("h1").get_text() == "Sorry about that"
    assert int(page.headers["Retry-After"]) > 0
    assert_security_headers(page)
    # Another player has a budget of its own, but nginx's zone for moves counts the address:
    # let it forget the first flood, so that the app's limit is the one this player meets.
    drain_nginx_zone()
    _statuses, fragment = until_429(Player(stack, htmx=True))
    assert fragment.html.find("html") is None
    assert fragment.html.find(id="notice")["data-hx-swap-oob"] == "innerHTML"
    assert "Too many tries" in fragment.text


def drain_nginx_zone() -> None:
    """Wait until nginx's zone for moves (10 r/s, burst 50) has forgotten the last flood."""
    time.sleep(11)


def flood(stack: Stack, count: int, headers: dict[str, str]) -> list[Reply]:
    """Send `count` moves at once: connect every one first, then release them together.

    nginx's zone lets a burst of 50 through and then 10 a second; sent one after another, a slow
    machine's TLS handshakes alone would keep the flood under that rate, so the connections are
    made before any request goes and the requests leave together, however fast the machine.
    """
    fields = urlencode({"guess": "x", "position": "0", "action": "guess"})
    connections = []
    for _ in range(count):
        connection = http.client.HTTPConnection(DOMAIN, timeout=30)
        connection.sock = stack.tls()
        connections.append(connection)
    start = threading.Barrier(count)

    def send(connection: http.client.HTTPConnection) -> Reply:
        start.wait()
        return exchange(connection, "POST", "/puzzle/1/moves", fields, headers, {})

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(send, connections))


def test_nginx_stops_a_flood_before_the_app(stack: Stack) -> None:
    try:
        plain = flood(stack, 90, REFERER)
        from_nginx = [r for r in plain if r.status == 429 and "Too many requests" in r.text]
        assert from_nginx, [r.status for r in plain]
        assert from_nginx[0].html.find(attrs={"data-error": "busy"}) is not None
        assert_security_headers(from_nginx[0])
        drain_nginx_zone()
        htmx = flood(stack, 90, HTMX)
        fragments = [r for r in htmx if r.status == 429 and "Too many requests" in r.text]
        assert fragments, [r.status for r in htmx]
        assert fragments[0].text.startswith('<div id="notice"')
    finally:
        drain_nginx_zone()


@pytest.mark.parametrize(
    ("method", "path", "count"),
    [("GET", "/r/1/o.png", 40), ("POST", "/transfer/redeem", 15)],
    ids=["result-pictures", "transfer-codes"],
)
def test_nginx_holds_pictures_and_codes_to_a_rate(
    stack: Stack, method: str, path: str, count: int
) -> None:
    """Walking every result picture, or guessing codes, meets nginx's zone before the app."""
    browser = stack.browser()
    statuses = [
        browser.request(method, path, "code=K7QX-M2PD", REFERER).status for _ in range(count)
    ]
    assert 429 in statuses, statuses
    refused = browser.request(method, path, "code=K7QX-M2PD", REFERER)
    assert refused.status == 429
    assert refused.html.find(attrs={"data-error": "busy"}) is not None


def test_ready_then_redis_goes_away_and_the_game_goes_on(stack: Stack) -> None:
    browser = stack.browser()
    ready = browser.get("/readyz")
    assert ready.status == 200
    assert b'"redis":"ok"' in ready.body.replace(b" ", b"")
    cached = redis.Redis.from_url(stack.redis_url).keys("gtm:puzzle:*")
    assert cached, "the day's puzzle should be cached in Redis by now"
    stack.redis.stop()
    not_ready = browser.get("/readyz")
    assert not_ready.status == 503
    assert b'"redis":"unreachable"' in not_ready.body.replace(b" ", b"")
    for htmx in (False, True):
        player = Player(stack, htmx=htmx)
        assert player.send("guess", "Lanterns Over Kyoto").status in (200, 303)
        assert player.send("skip").status in (200, 303)
        assert player.send("guess", ANSWER).status in (200, 303)
        assert player.outcomes == ["wrong", "skipped", "right"]
        assert player.result == "won"
    log = stack.gunicorn.log()
    assert "cache unavailable" in log
    assert "rate limit storage unreachable" in log  # web/limits.py: each worker counts alone
    assert "Traceback" not in log


def test_access_log_is_json_with_the_client_and_request_id(stack: Stack) -> None:
    stack.browser().get("/healthz")
    entries = []
    for line in stack.gunicorn.log().splitlines():
        if line.startswith('{"time"') and '"path"' in line:
            entries.append(json.loads(line))
    health = [e for e in entries if e["path"] == "/healthz" and e["request_id"] != "-"]
    assert health, "no access-log entry for a request through nginx"
    assert health[-1]["client"] == "127.0.0.1"
    assert health[-1]["status"] == 200
    assert re.fullmatch(r"[0-9a-f]{32}", health[-1]["request_id"])  # nginx's $request_id


def test_gunicorn_stops_gracefully_and_nginx_says_so(stack: Stack) -> None:
    stack.gunicorn.stop()  # SIGTERM, as docker stop and systemd send
    assert stack.gunicorn.process.returncode == 0
    assert "Shutting down: Master" in stack.gunicorn.log()
    browser = stack.browser()
    page = browser.get("/")
    assert page.status == 502
    assert "briefly unavailable" in page.html.find(id="notice").get_text()
    assert_security_headers(page)
    fragment = browser.get("/", headers={"HX-Request": "true"})
    assert fragment.text.startswith('<div id="notice"')
