"""The SQLite and PostgreSQL runs together collect every case of the suite: none is dropped.

The runs are the Makefile's (SQLITE_RUN, POSTGRES_RUN; tests/touches_sql.py says which case runs
where); "every case" is what a plain `pytest` collects with PostgreSQL set, browser layer and
PostgreSQL-only files included. Collecting connects to nothing, and this case reads none of the
run's settings (it hands them to the collections it starts): it runs once.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

from guessthatmovie.config import PROJECT_ROOT
from tests.touches_sql import RUN_SETTINGS

# The PostgreSQL run's settings, as the Makefile gives them (in RUN_SETTINGS' order).
POSTGRES = dict(
    zip(
        RUN_SETTINGS,
        (
            "postgresql://postgres@127.0.0.1:5432/postgres",
            "postgresql",
            "redis://127.0.0.1:6379/15",
        ),
        strict=True,
    )
)


def makefile_run(name: str) -> list[str]:
    """Return the pytest arguments the Makefile gives a run (NAME := ...)."""
    text = (PROJECT_ROOT / "Makefile").read_text()
    found = re.search(rf"^{name} := (.*)$", text, re.MULTILINE)
    assert found, f"the Makefile has no {name}"
    return shlex.split(found.group(1))


def collected(args: list[str], postgres: bool) -> subprocess.Popen[str]:
    """Start collecting the node ids a run would take."""
    env = {k: v for k, v in os.environ.items() if k not in RUN_SETTINGS}
    if postgres:
        env.update(POSTGRES)
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def node_ids(process: subprocess.Popen[str]) -> set[str]:
    """Wait for a collection; return its node ids, or fail with its output."""
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return {line for line in output.splitlines() if "::" in line}


def test_the_two_runs_together_collect_every_case() -> None:
    sqlite = collected(makefile_run("SQLITE_RUN"), postgres=False)
    postgres = collected(makefile_run("POSTGRES_RUN"), postgres=True)
    everything = collected([], postgres=True)
    on_sqlite, on_postgres, every_case = node_ids(sqlite), node_ids(postgres), node_ids(everything)
    assert on_sqlite | on_postgres == every_case, sorted(every_case - on_sqlite - on_postgres)
    # The cases that touch no SQL run once, on SQLite; the browser layer once, on PostgreSQL.
    once = on_sqlite - on_postgres
    assert once and not any(case.startswith("tests/browser/") for case in once)
    assert not any(case.startswith("tests/browser/") for case in on_sqlite)
