"""Fault injection against real processes: gunicorn (gunicorn.conf.py), PostgreSQL, Redis, nginx.

Run by `make test-faults`. Each test starts the servers it needs: gunicorn on a fresh database
of the machine's PostgreSQL (TEST_DATABASE_URL), or on a PostgreSQL cluster of its own (initdb
in a temporary folder) that it can stop; a redis-server of its own; Debian's nginx. Without one
of them the test is skipped with the reason; in CI (CI=true) it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.extensions import db
from tests.catalogue import MOVIES
from tests.conftest import LAUNCH, alembic_config, fresh_database_url
from tests.deploy.conftest import build_database, wait_out_midnight
from tests.servers import (
    PostgresCluster,
    Process,
    init_postgres,
    start_gunicorn,
    start_redis,
    unavailable,
    wait_for,
    worker_pids,
)

SECRET_KEY = "faults-test-secret-key-not-for-production"
WORKERS = 3
# The access log of the production format plus the worker's pid, to tell which worker answered.
ACCESS_LOG = (
    '{"pid": "%(p)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, "duration_ms": %(M)s}'
)

Serve = Callable[..., tuple[Process, int]]


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="session", autouse=True)
def _clear_of_midnight() -> None:
    """Start clear of midnight UTC: the servers' real clock must keep today's puzzle throughout."""
    wait_out_midnight()


@pytest.fixture(scope="session")
def postgres() -> str:
    """The machine's PostgreSQL, where each test gets fresh databases."""
    if not os.environ.get("TEST_DATABASE_URL"):
        unavailable("the fault tests need PostgreSQL (TEST_DATABASE_URL)")
    return str(os.environ["TEST_DATABASE_URL"])


def database_with_puzzle(workdir: Path, name: str) -> str:
    """Return a fresh migrated database with the test catalogue and ANSWER as today's puzzle."""
    url = fresh_database_url(workdir, name)
    build_database(url)
    return url


def database_without_puzzle(workdir: Path, name: str) -> str:
    """Return a fresh migrated database with the test catalogue and no puzzle yet (a rollover)."""
    url = fresh_database_url(workdir, name)
    command.upgrade(alembic_config(url), "head")
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        catalogue_import.load_movies(MOVIES)
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture
def serve(workdir: Path, request: pytest.FixtureRequest) -> Iterator[Serve]:
    """Start gunicorn (gunicorn.conf.py) on a database; every server stops after the test."""
    started: list[Process] = []

    def serve(database_url: str, name: str = "app", **env: str) -> tuple[Process, int]:
        settings = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "WEB_CONCURRENCY": str(WORKERS),
            "GAME_LAUNCH_DATE": LAUNCH.isoformat(),
            "GAME_TIMEZONE": "UTC",
            "SESSION_COOKIE_SECURE": "false",  # the tests speak plain HTTP to gunicorn
            "GUESS_RATE_LIMIT": "100000 per minute",  # every thread comes from 127.0.0.1
            "GUESS_ADDRESS_LIMIT": "100000 per minute",
            "GTM_INSTANCE_PATH": str(workdir / "instance"),
            **env,
        }
        log = workdir / f"{request.node.name}-{name}.log"
        server, port = start_gunicorn(settings, log, args=("--access-logformat", ACCESS_LOG))
        started.append(server)
        count = int(settings["WEB_CONCURRENCY"])
        wait_for(lambda: len(worker_pids(server)) == count, "gunicorn's workers", log)
        return server, port

    yield serve
    for server in started:
        stop_quickly(server)


def stop_quickly(server: Process) -> None:
    """Stop a gunicorn: a quick shutdown, then SIGKILL for what still runs after 1 s."""
    # A worker that counted rate limits in memory can take many seconds to exit (the storage's
    # expiry timer thread); the test is over, so it is not waited for.
    workers = worker_pids(server) if server.process.poll() is None else set()
    server.process.send_signal(signal.SIGQUIT)
    try:
        server.process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.process.kill()
        server.process.wait()


@dataclass
class RedisServer:
    """A redis-server of the test's own, stopped and started again on the same port."""

    folder: Path
    port: int
    process: Process

    def url(self, number: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{number}"

    def stop(self) -> None:
        self.process.stop()

    def start(self) -> None:
        self.process, _port = start_redis(self.folder, self.port)


@pytest.fixture
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own on a free port, which the test may stop and start."""
    process, port = start_redis(workdir)
    server = RedisServer(workdir, port, process)
    yield server
    server.stop()


@pytest.fixture
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster of the test's own (initdb), which the test may stop and start."""
    # Outside pytest's private (0700) temporary tree: the server runs as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="gtm-faults-pg-"))
    cluster = init_postgres(folder)
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # the test stopped it
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
