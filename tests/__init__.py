"""Guess That Movie's tests."""

import pytest

# Plugins that conftest.py imports before pytest loads them: their asserts are rewritten too.
pytest.register_assert_rewrite("tests.ci_skips", "tests.databases", "tests.touches_sql")
