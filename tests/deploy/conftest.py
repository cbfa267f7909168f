"""The deployed shape on one machine: nginx → gunicorn → the app → PostgreSQL and Redis.

Run by `make test-deploy`. nginx is Debian's (`apt-get install nginx`), started with a prefix,
pid file and logs under a temporary directory; the site file is nginx/guessthatmovie.conf with
only its ports, paths, certificate and upstream address substituted (every substitution must
match, so the test follows the real file). The certificate is self-signed, made with openssl at
test time. gunicorn runs gunicorn.conf.py with two workers on a fresh PostgreSQL database, and
Redis is a redis-server of the test's own, so that the test can stop it. Without nginx,
PostgreSQL or redis-server the tests are skipped with the reason; in CI (CI=true) they fail.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pytest
from alembic import command

from guessthatmovie import catalogue_import, create_app, release_static
from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.catalogue import MOVIES
from tests.conftest import LAUNCH, alembic_config, free_port, fresh_database_url
from tests.servers import (
    Process,
    Reply,
    exchange,
    start,
    start_gunicorn,
    start_redis,
    unavailable,
    wait_for,
)

__all__ = ["Process", "Reply", "start", "unavailable", "wait_for"]  # for test_stack and others

DOMAIN = "guessthatmovie.example"
ANSWER = "The Quiet Harbour"
SECRET_KEY = "deploy-test-secret-key-not-for-production"
NGINX = Path("/usr/sbin/nginx")
SITE = PROJECT_ROOT / "nginx" / "guessthatmovie.conf"
SNIPPETS = PROJECT_ROOT / "nginx" / "snippets"
# The app's limit on moves in this stack: low enough for the test to reach it in a few requests.
GUESS_RATE_LIMIT = "15 per minute"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for DOMAIN (a CA of itself, so clients can pin it)."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={DOMAIN}", "-addext", f"subjectAltName=DNS:{DOMAIN}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(
    folder: Path, http_port: int, https_port: int, upstream_port: int, certs: Path
) -> Path:
    """Write the committed site file with test ports and paths; every substitution must apply."""
    text = SITE.read_text()
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    webroot = folder / "acme"
    # The static files as a release puts them (the same script gtm-deploy runs on the box).
    srv = folder / "srv"
    release_static.publish(PROJECT_ROOT / "static", srv)
    logs = folder / "logs"
    substitutions = [
        ("listen 80", f"listen 127.0.0.1:{http_port}"),
        ("listen 443", f"listen 127.0.0.1:{https_port}"),
        (f"/etc/letsencrypt/live/{DOMAIN}/", f"{certs}/"),
        ("/srv/guessthatmovie/", f"{srv}/"),
        ("/var/www/certbot", str(webroot)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("snippets/security-headers.conf", str(SNIPPETS / "security-headers.conf")),
        ("/var/log/nginx/", f"{logs}/"),
    ]
    for old, new in substitutions:
        assert old in text, f"{SITE.name} no longer contains {old!r}: update the deploy test"
        text = text.replace(old, new)
    site = folder / "site.conf"
    site.write_text(text)
    main = folder / "nginx.conf"
    main.write_text(
        f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {logs}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {site};
}}
"""
    )
    for sub in ("logs", "tmp", "acme/.well-known/acme-challenge"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    # nginx's workers run as nobody: they must reach the webroot and their temporary files.
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    return main


def nginx_test(main: Path) -> subprocess.CompletedProcess[str]:
    """Run `nginx -t` on a configuration."""
    return subprocess.run(
        [str(NGINX), "-t", "-p", str(main.parent), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.fixture(scope="session")
def nginx_binary() -> Path:
    if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
        unavailable(f"the deploy tests need Debian's nginx at {NGINX} (apt-get install nginx)")
    if shutil.which("openssl") is None:
        unavailable("the deploy tests need openssl to make a certificate")
    return NGINX


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="session")
def certificate(nginx_binary: Path, workdir: Path) -> Path:
    """The self-signed certificate's folder (fullchain.pem, privkey.pem)."""
    folder = workdir / "certs"
    folder.mkdir()
    make_certificate(folder)
    return folder


@pytest.fixture(scope="session")
def redis_server(workdir: Path) -> Iterator[tuple[Process, str]]:
    """A redis-server of our own on a free port, so that a test can take it away."""
    server, port = start_redis(workdir)
    try:
        yield server, f"redis://127.0.0.1:{port}/0"
    finally:
        server.stop()


def wait_out_midnight(margin: float = 120.0) -> None:
    """Start clear of midnight UTC: the stack's real clock must keep today's puzzle throughout."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), dt_time.min, UTC)
    left = (midnight - now).total_seconds()
    if left < margin:
        time.sleep(left + 1)


def build_database(url: str) -> None:
    """Migrate a new database, load the test catalogue and make the answer today's puzzle."""
    command.upgrade(alembic_config(url), "head")
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        catalogue_import.load_movies(MOVIES)
        movie = catalogue_queries.movies_matching(titles.parse_guess(ANSWER))[0]
        now = datetime.now(UTC)
        puzzles.set_puzzle(now.date(), movie, LAUNCH, now)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(workdir: Path) -> str:
    if not os.environ.get("TEST_DATABASE_URL"):
        unavailable("the deploy tests need PostgreSQL (TEST_DATABASE_URL)")
    url = fresh_database_url(workdir, "_deploy")
    wait_out_midnight()
    build_database(url)
    return url


@pytest.fixture(scope="session")
def gunicorn(
    postgres_url: str, redis_server: tuple[Process, str], workdir: Path
) -> Iterator[tuple[Process, int]]:
    """The app under gunicorn.conf.py with two workers, configured as in production."""
    env = {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_server[1],
        "SECRET_KEY": SECRET_KEY,
        "WEB_CONCURRENCY": "2",
        "GAME_LAUNCH_DATE": LAUNCH.isoformat(),
        "GAME_TIMEZONE": "UTC",
        "GUESS_RATE_LIMIT": GUESS_RATE_LIMIT,
        "GTM_INSTANCE_PATH": str(workdir / "instance"),
    }
    server, port = start_gunicorn(env, workdir / "gunicorn.log")
    try:
        yield server, port
    finally:
        server.stop()


@dataclass
class Stack:
    """nginx in front of the app: where to reach it over HTTP and HTTPS."""

    http_port: int
    https_port: int
    cafile: Path
    nginx: Process
    gunicorn: Process
    redis: Process
    redis_url: str
    folder: Path

    def tls(self, server_name: str = DOMAIN) -> ssl.SSLSocket:
        context = ssl.create_default_context(cafile=str(self.cafile))
        raw = socket.create_connection(("127.0.0.1", self.https_port), timeout=10)
        return context.wrap_socket(raw, server_hostname=server_name)

    def browser(self) -> Browser:
        return Browser(self)


@dataclass
class Browser:
    """A client over HTTPS to DOMAIN (SNI and Host), with its own cookie."""

    stack: Stack
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        connection = http.client.HTTPConnection(DOMAIN, timeout=10)
        connection.sock = self.stack.tls()  # already connected and verified for DOMAIN
        return exchange(connection, method, path, body, headers or {}, self.cookies)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)


@pytest.fixture(scope="session")
def stack(
    nginx_binary: Path,
    certificate: Path,
    gunicorn: tuple[Process, int],
    redis_server: tuple[Process, str],
    workdir: Path,
) -> Iterator[Stack]:
    """nginx with the committed site file, in front of gunicorn, until the session ends."""
    # Outside pytest's private (0700) temporary tree: nginx's workers run as nobody.
    folder = Path(tempfile.mkdtemp(prefix="gtm-deploy-nginx-"))
    http_port, https_port = free_port(), free_port()
    main = render_site(folder, http_port, https_port, gunicorn[1], certificate)
    checked = nginx_test(main)
    assert checked.returncode == 0, checked.stderr
    nginx = start(
        [str(nginx_binary), "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
        folder / "nginx.out",
    )
    stack = Stack(
        http_port,
        https_port,
        certificate / "fullchain.pem",
        nginx,
        gunicorn[0],
        redis_server[0],
        redis_server[1],
        folder,
    )

    def up() -> bool:
        if nginx.process.poll() is not None:
            pytest.fail(f"nginx exited:\n{nginx.log()}\n{(folder / 'logs/error.log').read_text()}")
        return stack.browser().get("/healthz").status == 200

    try:
        wait_for(up, "nginx", folder / "logs" / "error.log")
        yield stack
    finally:
        nginx.stop(signal.SIGQUIT)  # graceful shutdown
        shutil.rmtree(folder, ignore_errors=True)
