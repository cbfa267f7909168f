"""In CI (CI=true) a skip is a failure, but for the one the run declares: GTM_REAL_REVIEWS=absent.

The suites already fail in CI where a program they need is missing; this makes it hold for every
skip, including a `pytest.skip` someone adds later. The declared skips are named, test by test, at
the end of the run, so the output shows what did not run and why.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from tests.shared_data import DECLARED_ABSENT


def skip_reason(report: pytest.TestReport) -> str:
    """Return the reason a skipped report gives."""
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr)


def declared(report: pytest.TestReport) -> bool:
    """Return whether a skip is the run's declared absence of the real reviews."""
    return skip_reason(report).startswith(DECLARED_ABSENT)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Turn an undeclared skip into a failure when CI=true."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return
    if declared(report):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped in CI ({skip_reason(report)}): with CI=true nothing may skip but what the run "
        f"declares absent ({DECLARED_ABSENT})"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name each test the run skipped by declaring the real reviews absent."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if declared(r)]
    if skipped:
        terminalreporter.section(f"skipped: {DECLARED_ABSENT} (the real-review slice)", sep="-")
        for report in skipped:
            terminalreporter.write_line(f"SKIPPED {report.nodeid}")
