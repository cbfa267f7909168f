"""Fixtures for the real-browser tests: the app under gunicorn, played in Debian's Chromium.

The live server runs on a database of its own, built by the real Alembic migrations: a SQLite
file, or in the Makefile's PostgreSQL run (TEST_DATABASE_URL) a fresh PostgreSQL database, so the
real app under gunicorn is played against both. The server is the real app under gunicorn (two
workers, real clock), with "The Quiet Harbour" from the small test catalogue scheduled as the
puzzle of today (UTC).

Chromium is Debian's /usr/bin/chromium (`apt-get install chromium`; Playwright's own browser
downloads are blocked here). Without it the browser tests are skipped, except in CI (CI=true),
where a missing browser fails them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from alembic import command
from playwright.sync_api import Browser, BrowserContext, ViewportSize, sync_playwright

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.extensions import db
from guessthatmovie.game import titles
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from tests.browser.player import CSP_REPORTER, BrowserPlayer
from tests.catalogue import MOVIES, NAMESAKES
from tests.conftest import LAUNCH, alembic_config, free_port, fresh_database_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSWER = "The Quiet Harbour"
SECRET_KEY = "browser-test-secret-key-not-for-production"
STARTUP_SECONDS = 30.0


@dataclass
class LiveServer:
    """The app under gunicorn on a free local port."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    database_url: str = ""

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Return Debian's Chromium; skip the browser tests without it, but fail in CI."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = (
        f"real-browser tests need Debian's Chromium at {CHROMIUM} "
        "(apt-get install chromium); it is missing"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run them", pytrace=False)
    pytest.skip(reason)


def wait_out_midnight(margin: float = 90.0) -> None:
    """Start clear of midnight UTC: the server's real clock must keep the same puzzle day."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    left = (midnight - now).total_seconds()
    if left < margin:
        time.sleep(left + 1)


def build_database(url: str) -> None:
    """Migrate a new database, load the test catalogue and make the answer today's puzzle."""
    command.upgrade(alembic_config(url), "head")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url,
            "GAME_LAUNCH_DATE": LAUNCH,
            "GAME_TIMEZONE": "UTC",
        }
    )
    with app.app_context():
        catalogue_import.load_movies([*MOVIES, *NAMESAKES])
        movie = catalogue_queries.movies_matching(titles.parse_guess(ANSWER))[0]
        now = datetime.now(UTC)
        puzzles.set_puzzle(now.date(), movie, LAUNCH, now)
        db.session.remove()
        db.engine.dispose()


def wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer /healthz within {STARTUP_SECONDS:.0f}s:\n{server.log()}")


@pytest.fixture(scope="session")
def live_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the app with gunicorn on a database of its own for the whole session."""
    folder = tmp_path_factory.mktemp("live")
    url = fresh_database_url(folder, "_browser")
    wait_out_midnight()
    build_database(url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "SESSION_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GAME_LAUNCH_DATE": LAUNCH.isoformat(),
        "GAME_TIMEZONE": "UTC",
        "GAME_ATTEMPTS": "6",
        # Every browser player here comes from 127.0.0.1, so the per-client limit on moves would
        # count the whole suite as one client; tests/test_runtime.py and tests/deploy test it.
        "GUESS_RATE_LIMIT": "100000 per minute",
        "GUESS_ADDRESS_LIMIT": "100000 per minute",
        "SEARCH_RATE_LIMIT": "100000 per minute",
        "GTM_INSTANCE_PATH": str(folder / "instance"),
        "FLASK_DEBUG": "",
    }
    log_path = folder / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "guessthatmovie:create_app()"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", log_path, process, database_url=url)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(autouse=True)
def no_server_errors(live_server: LiveServer) -> Iterator[None]:
    """Fail a test during which the server logged a traceback (a 500 the page may hide)."""
    before = live_server.log_path.stat().st_size
    yield
    with live_server.log_path.open("rb") as log:
        log.seek(before)
        logged = log.read().decode(errors="replace")
    assert "Traceback" not in logged, f"the server logged an error:\n{logged}"


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


OpenPlayer = Callable[..., BrowserPlayer]
SCREENSHOTS = PROJECT_ROOT / "screenshots"


def screenshot(player: BrowserPlayer, name: str) -> Path:
    """Save what the player sees, whole page, under the git-ignored screenshots/ folder."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    player.page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def open_player(browser: Browser, live_server: LiveServer) -> Iterator[OpenPlayer]:
    """Open today's puzzle for a new player: a fresh browser context, so fresh cookies."""
    contexts: list[BrowserContext] = []

    def open_player(
        js: bool = True,
        width: int = 1024,
        height: int = 800,
        dark: bool = False,
        touch: bool = False,
        service_workers: Literal["allow", "block"] = "allow",
    ) -> BrowserPlayer:
        viewport: ViewportSize = {"width": width, "height": height}
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=js,
            viewport=viewport,
            color_scheme="dark" if dark else "light",
            has_touch=touch,
            # page.route() never sees what the service worker fetches (Playwright's documented
            # limit): a test that rewrites pages blocks the worker.
            service_workers=service_workers,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_REPORTER)
        contexts.append(context)
        player = BrowserPlayer(context, js=js)
        player.open("/")
        player.navigations.clear()
        return player

    yield open_player
    for context in contexts:
        context.close()


@pytest.fixture
def player(open_player: OpenPlayer) -> BrowserPlayer:
    """A new player with JavaScript on, on today's puzzle."""
    return open_player(js=True)


@pytest.fixture
def plain_player(open_player: OpenPlayer) -> BrowserPlayer:
    """A new player with JavaScript off, on today's puzzle."""
    return open_player(js=False)
