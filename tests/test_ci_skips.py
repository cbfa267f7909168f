"""With CI=true a skip fails the run, but for the one the run declares (GTM_REAL_REVIEWS=absent).

Each case runs a pytest of its own over a small file, with tests/ci_skips.py loaded as in the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guessthatmovie.config import PROJECT_ROOT

RUN = """
import pytest

from tests.shared_data import skip_if_declared_absent


def test_needs_a_program():
    pytest.skip("nginx is not installed")


def test_needs_the_real_reviews():
    skip_if_declared_absent("the dev slice")
"""


def run(tmp_path: Path, **env: str) -> tuple[int, str]:
    """Run the small file with the CI rule loaded; return pytest's exit code and output."""
    (tmp_path / "test_skips.py").write_text(RUN)
    settings = {k: v for k, v in os.environ.items() if k not in {"CI", "GTM_REAL_REVIEWS"}}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.ci_skips", "-p", "no:cacheprovider", "-rA",
         "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=PROJECT_ROOT, env={**settings, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_outside_ci_a_skip_is_a_skip(tmp_path: Path) -> None:
    code, output = run(tmp_path)
    assert code == 0 and "1 passed, 1 skipped" in output, output


def test_in_ci_an_undeclared_skip_fails(tmp_path: Path) -> None:
    code, output = run(tmp_path, CI="true")
    assert code == 1 and "1 failed, 1 passed" in output, output
    assert "skipped in CI (nginx is not installed)" in output


def test_in_ci_the_declared_absence_skips_and_is_named(tmp_path: Path) -> None:
    code, output = run(tmp_path, CI="true", GTM_REAL_REVIEWS="absent")
    assert code == 1 and "1 failed, 1 skipped" in output, output
    named = output.split("skipped: GTM_REAL_REVIEWS=absent (the real-review slice)", 1)[1]
    assert "SKIPPED test_skips.py::test_needs_the_real_reviews" in named.splitlines()[1]


def test_any_other_value_is_an_error(tmp_path: Path) -> None:
    code, output = run(tmp_path, GTM_REAL_REVIEWS="yes")
    assert code == 1 and "GTM_REAL_REVIEWS='yes': the only value it takes is 'absent'" in output
