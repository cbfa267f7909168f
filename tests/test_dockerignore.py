"""The Docker build context holds what the image needs and no secrets, databases or venvs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.dockerignore import build_context, is_excluded, parse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("lines", "path", "excluded"),
    [
        (["*"], "a.txt", True),
        (["*"], "src/deep/file.py", True),  # "*" matches the top folder, so all below it
        (["*", "!src"], "src/deep/file.py", False),
        (["*", "!src/"], "src/deep/file.py", False),  # a trailing slash is cleaned away
        (["*", "!src", "**/*.pyc"], "src/a/b.pyc", True),
        (["*", "!src", "**/*.pyc"], "b.pyc", True),
        (["**/*.pyc"], "b.pyc", True),  # "**/" may match no folder at all
        (["*.pyc"], "src/b.pyc", False),  # "*" never crosses "/"
        (["src/*.py"], "src/a/b.py", False),
        (["src/**"], "src/a/b.py", True),
        (["/secret"], "secret", True),  # a leading slash means the context root
        (["?.db"], "a.db", True),
        (["?.db"], "ab.db", False),
        (["file[0-9].txt"], "file7.txt", True),
        (["file[0-9].txt"], "fileX.txt", False),
        (["# comment", "", "x"], "# comment", False),
        (["a", "!a", "a"], "a", True),  # the last matching line wins
        (["docs", "!docs/keep.md"], "docs/keep.md", False),
        (["docs", "!docs/keep.md"], "docs/other.md", True),
        (["data.json"], "sub/data.json", False),
    ],
)
def test_matcher_follows_docker_rules(lines: list[str], path: str, excluded: bool) -> None:
    """Check the reimplemented matcher on the cases moby's own rules decide."""
    assert is_excluded(parse("\n".join(lines)), path) is excluded


def dockerfile_copy_sources() -> list[str]:
    """Return the context paths the Dockerfile's COPY lines read (not those from other stages)."""
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] != ["COPY"] or any(w.startswith("--from=") for w in words):
            continue
        args = [w for w in words[1:] if not w.startswith("--")]
        sources.extend(args[:-1])
    return sources


# What the image must hold; planted next to the real .dockerignore in a scratch tree.
NEEDED = [
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "alembic.ini",
    "gunicorn.conf.py",
    "alembic/env.py",
    "alembic/versions/20261125_a1c3e5f70001_create_catalogue.py",
    "src/guessthatmovie/__init__.py",
    "src/guessthatmovie/data/sample_catalogue.json",
    "templates/base.html",
    "partials/clue.html",
    "static/css/app.css",
    "static/favicon.svg",
]

# What must never be sent: secrets, databases, venvs, dependency trees, VCS data, local state.
FORBIDDEN = [
    ".env",
    ".env.production",
    "src/.env",
    "static/.env.local",
    "instance/secret_key",
    "instance/guessthatmovie.db",
    "guessthatmovie.db",
    "src/guessthatmovie/scratch.db",
    "static/leftover.sqlite3",
    ".venv/bin/python",
    ".venv/lib/python3.11/site-packages/flask/__init__.py",
    ".venv-tools/bin/checkov",
    "node_modules/htmx.org/dist/htmx.min.js",
    ".git/config",
    ".git/objects/ab/cdef",
    "static/vendor/htmx.min.js",
    "src/guessthatmovie/__pycache__/config.cpython-311.pyc",
    "alembic/__pycache__/env.cpython-311.pyc",
    "infra/terraform.tfstate",
    "infra/.terraform/providers/aws",
    "infra/prod.tfvars",
    "app.env",
    "id_ed25519",
    "src/guessthatmovie/server.pem",
    "tests/conftest.py",
    ".github/workflows/ci.yml",
    ".pytest_cache/v/cache/nodeids",
    "gunicorn.log",
]


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """Build a scratch checkout: the real .dockerignore, the files the image needs, and bait."""
    shutil.copy(ROOT / ".dockerignore", tmp_path / ".dockerignore")
    shutil.copy(ROOT / "Dockerfile", tmp_path / "Dockerfile")
    for name in NEEDED + FORBIDDEN:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SECRET_KEY=planted\n" if name not in NEEDED else "needed\n")
    return tmp_path


def test_context_leaves_out_secrets_databases_and_venvs(planted: Path) -> None:
    """Every planted secret, database, venv and dependency tree stays out of the context."""
    context = build_context(planted)
    assert sorted(set(FORBIDDEN) & context) == []


def test_context_keeps_what_the_image_needs(planted: Path) -> None:
    """Every file the Dockerfile copies is in the context."""
    context = build_context(planted)
    assert sorted(set(NEEDED) - context) == []


def test_every_copy_source_of_the_real_checkout_is_in_the_context() -> None:
    """Each COPY source in the Dockerfile reaches the engine from this very checkout."""
    context = build_context(ROOT)
    sources = dockerfile_copy_sources()
    assert {"src", "templates", "partials", "static", "alembic", "alembic.ini"} <= set(sources)
    for source in sources:
        assert any(f == source or f.startswith(source + "/") for f in context), source


def test_real_checkout_context_is_small_and_clean() -> None:
    """The context of this checkout (with its .venv, node_modules, .git) holds only app files."""
    context = build_context(ROOT)
    allowed_top = {
        "pyproject.toml",
        "requirements",
        "package.json",
        "package-lock.json",
        "alembic.ini",
        "gunicorn.conf.py",
        "alembic",
        "src",
        "templates",
        "partials",
        "static",
    }
    assert {path.split("/")[0] for path in context} <= allowed_top
    leaks = [p for p in context if re.search(r"(\.db|\.sqlite3|\.pyc|\.env|secret_key)$", p)]
    assert leaks == []
    assert not any(p.startswith("static/vendor/") for p in context)
    # The lock's runtime half goes in (the image installs it); the dev half stays out.
    assert "requirements/runtime.txt" in context and "requirements/dev.txt" not in context
