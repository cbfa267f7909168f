"""gunicorn.conf.py: workers follow the CPUs, the file passes gunicorn's own check, fork safety."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import text

from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.extensions import db
from tests.servers import start_gunicorn

CONFIG = PROJECT_ROOT / "gunicorn.conf.py"


def load_config(monkeypatch: pytest.MonkeyPatch, cpus: int | None, **environ: str) -> ModuleType:
    """Import gunicorn.conf.py afresh as gunicorn does, on a machine with `cpus` logical CPUs."""
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONFIG)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (8, 17), (None, 3)])
def test_workers_follow_the_cpu_count(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, workers: int
) -> None:
    assert load_config(monkeypatch, cpus).workers == workers


def test_web_concurrency_overrides_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config(monkeypatch, 8, WEB_CONCURRENCY="2").workers == 2


def test_web_concurrency_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        load_config(monkeypatch, 2, WEB_CONCURRENCY="0")


def test_production_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_config(monkeypatch, 2)
    assert conf.worker_class == "sync"
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.graceful_timeout < conf.timeout <= 60  # below nginx's proxy_read_timeout
    assert conf.accesslog == "-"
    assert "x-forwarded-for" in conf.access_log_format
    assert conf.forwarded_allow_ips == "127.0.0.1,::1"
    assert conf.preload_app is True


def check_config(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.db'}",
        "GTM_INSTANCE_PATH": str(tmp_path / "instance"),
        "FLASK_DEBUG": "",
        **environ,
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.run(
        [str(gunicorn), "--check-config", "-c", str(CONFIG), "guessthatmovie:create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_check_config_passes(tmp_path: Path) -> None:
    result = check_config(tmp_path, SECRET_KEY="check-config-secret")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_config_loads_the_app_and_refuses_a_missing_secret(tmp_path: Path) -> None:
    result = check_config(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stdout + result.stderr


def test_post_fork_gives_the_worker_fresh_pools(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = load_config(monkeypatch, 2)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.remove()  # the connection goes back to the pool, as in a preloaded master
        before = {name: engine.pool for name, engine in db.engines.items()}
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    conf.post_fork(server, SimpleNamespace())
    with app.app_context():
        for name, engine in db.engines.items():
            assert engine.pool is not before[name]
            assert engine.pool.checkedin() == 0  # nothing inherited from before the fork


def test_the_master_compiles_every_template_before_forking(
    monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    """when_ready fills the template cache, so a new worker does not compile on a request."""
    conf = load_config(monkeypatch, 2)
    app.jinja_env.cache.clear()
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    conf.when_ready(server)
    names = app.jinja_env.list_templates()
    assert "play.html" in names and "partials/move.html" in names
    # The cache is keyed by (loader's weakref, name): every template is in it.
    cached = {key[1] for key in app.jinja_env.cache}
    assert cached == set(names)


def test_text_log_is_one_readable_line_per_page_and_none_per_static_file(
    tmp_path: Path,
) -> None:
    """LOG_FORMAT=text (make play): a page gets a plain line, a static file gets none."""
    env = {
        "SECRET_KEY": "text-log-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}",
        "GTM_INSTANCE_PATH": str(tmp_path / "instance"),
        "SESSION_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "1",
        "LOG_FORMAT": "text",
    }
    server, port = start_gunicorn(env, tmp_path / "gunicorn.log")
    try:
        for path in ("/static/css/app.css", "/favicon.ico", "/healthz", "/static/js/app.js"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            assert connection.getresponse().status == 200, path
            connection.close()
    finally:
        server.stop()
    access = [line for line in server.log().splitlines() if '"GET ' in line]
    assert access == [line for line in access if "/healthz" in line], access
    assert len(access) >= 2  # the readiness poll's and ours
    assert re.fullmatch(r'127\.0\.0\.1 "GET /healthz HTTP/1\.1" 200 \d+ bytes \d+ ms', access[-1])
    assert "{" not in server.log()  # no JSON anywhere, the app's own lines included
    # Once it listens, the address it really serves on (GUNICORN_BIND's, here a free port).
    announced = f"Guess That Movie is on http://127.0.0.1:{port} (Ctrl-C stops it)"
    assert announced in server.log()
    assert server.log().index(announced) > server.log().index("Listening at")
