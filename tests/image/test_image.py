"""The production image, built and run as CI runs it before a push (`make test-image`).

Build (base images from PYTHON_IMAGE / NODE_IMAGE, the Dockerfile's defaults otherwise), the
one-off migration, the sample catalogue and a week of puzzles (one-off containers too), then the
web container started read-only as in production: /readyz answers 200 and one game is played
through it to its result. The database is a new one on the PostgreSQL that TEST_DATABASE_URL
names; containers share the host's network. Without a Docker engine, a base image or PostgreSQL
the test is skipped with the reason; in CI (CI=true) it fails. GTM_TEST_IMAGE names an image
already built (the workflow builds it with its registry tag) instead of building one here.
Behind a TLS-inspecting proxy GTM_BUILD_CA names the company CA's PEM file: the build passes it
as BUILD_CA_CERT, and the test checks that the built image's history does not hold it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from guessthatmovie.config import PROJECT_ROOT
from tests.conftest import free_port, fresh_database_url
from tests.servers import Reply, exchange, unavailable

SECRET_KEY = "image-test-secret-key-not-for-production"


def docker(*args: str, timeout: float = 600, check: bool = True) -> str:
    """Run a docker command; return its output, or fail with it."""
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"docker {' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def dockerfile_default(name: str) -> str:
    """Return a build argument's default from the Dockerfile (ARG NAME=value)."""
    for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith(f"ARG {name}="):
            return line.split("=", 1)[1].strip()
    raise AssertionError(f"the Dockerfile has no ARG {name}")


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    """The image under test: GTM_TEST_IMAGE, or one built here from this checkout, then removed."""
    if shutil.which("docker") is None:
        unavailable("no docker program (apt-get install docker.io)")
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode != 0:
        unavailable("no Docker engine answers (dockerd is not running here)")
    given = os.environ.get("GTM_TEST_IMAGE")
    if given:
        yield given
        return
    build_args = []
    for name in ("PYTHON_IMAGE", "NODE_IMAGE"):
        base = os.environ.get(name) or dockerfile_default(name)
        have = subprocess.run(["docker", "image", "inspect", base], capture_output=True)
        if have.returncode != 0:
            pulled = subprocess.run(["docker", "pull", base], capture_output=True, timeout=600)
            if pulled.returncode != 0:
                unavailable(f"base image {base} is neither here nor pullable (set {name})")
        build_args += ["--build-arg", f"{name}={base}"]
    ca = os.environ.get("GTM_BUILD_CA")
    if ca:
        build_args += ["--build-arg", f"BUILD_CA_CERT={Path(ca).read_text()}"]
    tag = f"guessthatmovie:test-{uuid.uuid4().hex[:8]}"
    docker("build", *build_args, "--tag", tag, str(PROJECT_ROOT), timeout=1200)
    if ca:
        history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", tag)
        assert "BUILD_CA_CERT" not in history and "BEGIN CERTIFICATE" not in history
    yield tag
    docker("rmi", tag, check=False)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A new PostgreSQL database's plain URL, as an operator would hand it to the image."""
    if not os.environ.get("TEST_DATABASE_URL"):
        unavailable("the image test needs PostgreSQL (TEST_DATABASE_URL)")
    url = fresh_database_url(tmp_path_factory.mktemp("image"), "image")
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)


@pytest.fixture(scope="module")
def served(image: str, database: str) -> Iterator[int]:
    """Migrate, load, schedule (one-off containers), then serve read-only; yield the port."""
    env = ["-e", f"DATABASE_URL={database}", "-e", f"SECRET_KEY={SECRET_KEY}"]
    one_off = ["run", "--rm", "--network", "host", "--read-only", "--tmpfs", "/tmp", *env]
    docker(*one_off, image, "alembic", "upgrade", "head")
    flask = [*one_off, "-e", "FLASK_APP=guessthatmovie", image, "flask"]
    docker(*flask, "catalog", "load-sample")
    docker(*flask, "puzzle", "schedule", "--days", "7")
    port = free_port()
    name = f"gtm-image-test-{uuid.uuid4().hex[:8]}"
    docker(
        "run", "-d", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges", *env,
        "-e", f"GUNICORN_BIND=127.0.0.1:{port}", "-e", "WEB_CONCURRENCY=2",
        "-e", "SESSION_COOKIE_SECURE=false", image,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(port, "/readyz", {}).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the container never became ready:\n" + docker("logs", name, check=False))
        yield port
    finally:
        docker("rm", "-f", name, check=False)


def get(port: int, path: str, cookies: dict[str, str]) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    return exchange(connection, "GET", path, None, {}, cookies)


def test_the_image_is_ready_and_plays_a_game_to_its_result(served: int) -> None:
    """/readyz says ready; six skips through the no-JS form end the game with its result."""
    cookies: dict[str, str] = {}
    assert get(served, "/readyz", cookies).status == 200
    page = get(served, "/", cookies)
    for _ in range(10):
        form = page.html.find("form", id="guess-form")
        if form is None:
            break
        fields = {
            "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
            "position": form.find("input", attrs={"name": "position"})["value"],
            "action": "skip",
            "guess": "",
        }
        connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
        reply = exchange(connection, "POST", form["action"], urlencode(fields), {}, cookies)
        assert reply.status == 303, reply.text[:500]
        page = get(served, reply.headers["Location"], cookies)
    result = page.html.find(attrs={"data-result": True})
    assert result is not None and result["data-result"] == "lost"


def test_the_image_serves_its_static_files_and_refuses_writes_to_its_code(
    served: int, image: str
) -> None:
    """The fingerprinted stylesheet comes from the image; the code is not writable at run time."""
    cookies: dict[str, str] = {}
    href = get(served, "/", cookies).html.find("link", rel="stylesheet")["href"]
    assert get(served, href, cookies).status == 200
    failed = subprocess.run(
        ["docker", "run", "--rm", "--read-only", "--network", "none", image,
         "python", "-c", "open('/app/src/x', 'w')"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert failed.returncode != 0 and "Read-only file system" in failed.stderr


def test_static_release_runs_from_the_image(image: str, tmp_path: Path) -> None:
    """gtm-deploy's static step: the image publishes its own files into a host folder."""
    target = tmp_path / "srv"
    target.mkdir()
    target.chmod(0o777)
    docker(
        "run", "--rm", "--network", "none", "--read-only", "--user", "10001:10001",
        "-v", f"{target}:/srv/guessthatmovie", image,
        "python", "-m", "guessthatmovie.release_static", "/app/static", "/srv/guessthatmovie",
    )  # fmt: skip
    assert (target / "current" / "static" / "vendor" / "htmx.min.js").is_file()
