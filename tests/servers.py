"""Real servers for the end-to-end suites (tests/deploy, tests/faults): start, wait, stop.

Each server runs as a child process with its log in a file; a missing program skips the test
with the reason, except in CI (CI=true), which must run these suites and so fails instead.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guessthatmovie.config import PROJECT_ROOT
from tests import procfs
from tests.conftest import free_port

STARTUP_SECONDS = 30.0


def postgres_bin() -> Path | None:
    """Find the PostgreSQL server's programs (any version): pg_config, else the one folder."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(found.stdout.strip())
        if (folder / "initdb").exists():
            return folder
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    return candidates[-1].parent if candidates else None


def _version(initdb: Path) -> tuple[int, ...]:
    """Order /usr/lib/postgresql/<version>/bin/initdb by version."""
    return tuple(int(part) for part in initdb.parent.parent.name.split(".") if part.isdigit())


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail in CI, which must run the end-to-end suites."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run this suite", pytrace=False)
    pytest.skip(reason)


def wait_for(check: Callable[[], bool], what: str, log: Path | None = None) -> float:
    """Poll `check` until it holds; return the seconds it took, or fail with the log."""
    started = time.monotonic()
    deadline = started + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if check():
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    detail = log.read_text(errors="replace") if log and log.exists() else ""
    pytest.fail(f"{what} did not come up within {STARTUP_SECONDS:.0f}s\n{detail}")


@dataclass
class Process:
    """A server the tests started, with its log."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(args: list[str], log_path: Path, **popen: object) -> Process:
    """Start a program with its output (both streams) appended to `log_path`."""
    log = log_path.open("ab")
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, **popen
    )  # type: ignore[call-overload]
    log.close()
    return Process(process, log_path)


@dataclass
class Reply:
    """An HTTP answer as a client saw it."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def html(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")


def exchange(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: str | None,
    headers: Mapping[str, str],
    cookies: dict[str, str],
) -> Reply:
    """Send one request with a cookie jar's cookies (a form body if any), keep what it sets."""
    sent = dict(headers)
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        reply = Reply(response.status, response.headers, response.read())
    finally:
        connection.close()
    for cookie in reply.headers.get_all("Set-Cookie") or []:
        name, _, rest = cookie.partition("=")
        cookies[name] = rest.split(";")[0]
    return reply


def redis_binary() -> str:
    """Return redis-server's path, or skip (fail in CI) without it."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("this suite needs redis-server (apt-get install redis-server)")
    assert binary is not None
    return binary


def start_redis(folder: Path, port: int | None = None) -> tuple[Process, int]:
    """Start a redis-server of our own (nothing kept on disk) and wait until it answers PING."""
    port = port or free_port()
    server = start(
        [
            redis_binary(), "--port", str(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
        ],
        folder / f"redis-{port}.log",
    )  # fmt: skip

    def ready() -> bool:
        if server.process.poll() is not None:
            pytest.fail(f"redis-server exited:\n{server.log()}")
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    wait_for(ready, "redis-server", server.log_path)
    return server, port


def http_ok(port: int, path: str = "/healthz") -> bool:
    """Return whether a server on 127.0.0.1:`port` answers `path` with 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    finally:
        connection.close()


def start_gunicorn(
    env: Mapping[str, str], log_path: Path, port: int | None = None, args: tuple[str, ...] = ()
) -> tuple[Process, int]:
    """Serve the app under gunicorn.conf.py with `env` over the production defaults."""
    port = port or free_port()
    environ = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "FLASK_DEBUG": ""}
    for name in ("SESSION_COOKIE_SECURE", "PROXY_HOPS", "FORWARDED_ALLOW_IPS", "LOG_FORMAT"):
        environ.pop(name, None)  # the production defaults, unless `env` says otherwise
    environ.update(env)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = start(
        [str(gunicorn), "-c", "gunicorn.conf.py", *args, "guessthatmovie:create_app()"],
        log_path,
        cwd=PROJECT_ROOT,
        env=environ,
    )

    def healthy() -> bool:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{server.log()}")
        return http_ok(port)

    wait_for(healthy, "gunicorn", server.log_path)
    return server, port


def worker_pids(master: Process) -> set[int]:
    """Return the pids of a gunicorn master's workers (its child processes)."""
    return procfs.children(master.process.pid)


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder), to stop and start."""

    folder: Path
    port: int
    bin: Path

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-o", options,
                  "-l", str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def log(self) -> str:
        return (self.folder / "log").read_text(errors="replace")


def init_postgres(folder: Path) -> PostgresCluster:
    """Create (initdb) and start a cluster on a free port, trusting local connections."""
    programs = postgres_bin()
    if programs is None:
        unavailable("this suite needs PostgreSQL's server programs (initdb, pg_ctl): none found")
    assert programs is not None
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("as root this suite needs runuser to run PostgreSQL as postgres")
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = PostgresCluster(folder, free_port(), programs)
    cluster._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres",
                 "--no-sync")  # fmt: skip
    cluster.start()
    return cluster
