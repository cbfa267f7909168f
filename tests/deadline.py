"""Run a call in a child process with a deadline: a regex that backtracks cannot be interrupted."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any


def seconds_taken(call: Callable[..., Any], *args: Any, deadline: float = 5.0) -> float:
    """Return how long `call(*args)` took in a child process; fail the test past `deadline`."""
    context = multiprocessing.get_context("fork")
    child = context.Process(target=call, args=args, daemon=True)
    start = time.perf_counter()
    child.start()
    child.join(deadline)
    taken = time.perf_counter() - start
    if child.is_alive():
        child.kill()
        child.join()
        raise AssertionError(f"{call.__name__} still running after {deadline} s")
    assert child.exitcode == 0, f"{call.__name__} failed in the child (exit {child.exitcode})"
    return taken
