"""A throw-away site for the page benchmarks: SQLite, the sample catalogue, gunicorn on a free port.

Used by bench/page_weight.py and bench/lighthouse.py (not a test). The database and logs live in
a temporary folder removed afterwards; gunicorn runs with the repository's gunicorn.conf.py.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404: runs our own tools (alembic, flask, gunicorn)
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, seconds: float = 60) -> None:
    """Wait until the app answers /readyz."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the app did not get ready on :{port} within {seconds:.0f} s")


@contextmanager
def sample_site(workers: int = 2) -> Iterator[str]:
    """Serve the game with the sample catalogue; yield its base URL, stop and clean up after."""
    folder = Path(tempfile.mkdtemp(prefix="gtm-site-"))
    port = free_port()
    env = {
        **os.environ,
        "FLASK_APP": "guessthatmovie",
        "DATABASE_URL": f"sqlite:///{folder / 'site.db'}",
        "GTM_INSTANCE_PATH": str(folder),
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "false",
        "PROXY_HOPS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "guessthatmovie"]
    for argv in (
        [str(BIN / "alembic"), "upgrade", "head"],
        [*flask, "catalog", "load-sample"],
        [*flask, "puzzle", "schedule", "--days", "2"],
    ):
        subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)  # nosec B603
    with (folder / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(  # nosec B603
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "guessthatmovie:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_ready(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)
