"""The image's layout runs the app: /app assembled from the build context as the Dockerfile does.

No Docker engine runs here, so this test follows the runtime stage's own instructions: its COPY
lines (from the context that .dockerignore lets through, and htmx from node_modules as the npm
stage does), its WORKDIR and ENV; then it runs the documented migration command, the CMD and the
HEALTHCHECK there. Only the Python packages come from this venv instead of /opt/venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import free_port, fresh_database_url
from tests.dockerignore import build_context
from tests.test_deploy_files import instructions

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def runtime_stage() -> list[tuple[str, str]]:
    """Return the instructions after the last FROM."""
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from + 1 :]


def assemble(app: Path) -> dict[str, str]:
    """Copy what the runtime stage copies into `app` (its WORKDIR); return its ENV, re-rooted."""
    stage = runtime_stage()
    (workdir,) = [args for keyword, args in stage if keyword == "WORKDIR"]
    context = build_context(ROOT)
    for keyword, args in stage:
        if keyword != "COPY":
            continue
        words = args.split()
        stage_from = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
        *sources, dest = [w for w in words if not w.startswith("--")]
        if stage_from == "python-deps":
            continue  # the dependencies: this test's venv stands in for /opt/venv
        for source in sources:
            if stage_from == "assets":  # npm ci ran in /build, so node_modules is ours
                files = {source: ROOT / Path(source).relative_to("/build")}
            else:
                files = {f: ROOT / f for f in context if f == source or f.startswith(source + "/")}
                assert files, f"COPY {source}: nothing in the build context"
            for name, origin in files.items():
                if name != source:  # inside a copied folder: keep its path below the folder
                    target = app / dest / Path(name).relative_to(source)
                elif dest.endswith("/") or dest == ".":
                    target = app / dest / Path(name).name
                else:
                    target = app / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target)
    env: dict[str, str] = {}
    for keyword, args in stage:
        if keyword == "ENV":
            for key, value in re.findall(r"(\w+)=(\S+)", args):
                env[key] = value.replace(workdir, str(app))
    env.pop("PATH")
    return env


def get(url: str) -> tuple[int, bytes, str]:
    """GET a URL; return status, body and content type (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


@pytest.fixture
def image_app(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], str]]:
    """Assemble /app in a temporary folder and point the image's ENV at a fresh database."""
    app = tmp_path / "app"
    env = assemble(app)
    (app / "instance").mkdir()  # the Dockerfile's `mkdir /app/instance`
    port = free_port()
    env.update(
        SECRET_KEY="image-layout-test-secret-key",
        DATABASE_URL=fresh_database_url(tmp_path, "_image"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        SESSION_COOKIE_SECURE="false",
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "FLASK_"))}
    yield app, {**full_env, **env}, f"http://127.0.0.1:{port}"


def test_image_layout_migrates_serves_and_passes_its_healthcheck(
    image_app: tuple[Path, dict[str, str], str],
) -> None:
    """In the assembled /app: migrations and the operator commands run, the CMD serves the page,
    its static files and /healthz, and the HEALTHCHECK succeeds while it runs, fails after."""
    app, env, url = image_app
    code = subprocess.run(
        [str(BIN / "python"), "-c", "import guessthatmovie; print(guessthatmovie.__file__)"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(code).is_relative_to(app / "src"), code  # the copied code, not the checkout's

    migrate = subprocess.run(
        [str(BIN / "alembic"), "upgrade", "head"], cwd=app, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    for operator_command in (["catalog", "load-sample"], ["puzzle", "schedule", "--days", "1"]):
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "guessthatmovie", *operator_command],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    ((_, cmd_args),) = [step for step in runtime_stage() if step[0] == "CMD"]
    cmd = json.loads(cmd_args)
    ((_, check_args),) = [step for step in runtime_stage() if step[0] == "HEALTHCHECK"]
    healthcheck = json.loads(check_args[check_args.index("CMD") + 3 :])
    probe = healthcheck[-1].replace("http://127.0.0.1:8000", url)
    assert probe != healthcheck[-1], "the HEALTHCHECK no longer asks port 8000"
    healthcheck = [sys.executable, *healthcheck[1:-1], probe]
    log = (app.parent / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / cmd[0]), *cmd[1:]], cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while subprocess.run(healthcheck, env=env, capture_output=True).returncode != 0:
            assert server.poll() is None, (app.parent / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "the HEALTHCHECK never passed"
            time.sleep(0.2)

        status, body, kind = get(url + "/")
        assert status == 200 and kind.startswith("text/html")
        page = BeautifulSoup(body, "html.parser")
        scripts = [tag["src"] for tag in page.find_all("script", src=True)]
        styles = [tag["href"] for tag in page.find_all("link", rel="stylesheet")]
        assert scripts and styles
        for asset in [*scripts, *styles]:
            status, _, _ = get(url + str(asset).split("?")[0])
            assert status == 200, asset
        status, htmx, _ = get(url + "/static/vendor/htmx.min.js")
        vendored = ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
        assert status == 200 and htmx == vendored.read_bytes()
        # The installable app's files come from the image as they are: no build step makes them.
        icon = page.find("link", rel="apple-touch-icon")["href"]
        for path, expected in (
            ("/manifest.webmanifest", "application/manifest+json"),
            ("/sw.js", "text/javascript"),
            ("/offline", "text/html"),
            (str(icon), "image/png"),
        ):
            status, _, kind = get(url + path)
            assert status == 200 and kind.startswith(expected), path
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert subprocess.run(healthcheck, env=env, capture_output=True).returncode != 0
