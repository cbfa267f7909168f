"""Where the shared public data lives: ../shared/data beside the project, as on every machine.

A clone made elsewhere (CI may clone into a temporary folder) finds it through GTM_SHARED_DATA,
or in the workplace's own /work/shared/data.

The real-review slice is never committed, so GitHub's runners do not have it: the workflow says
so with GTM_REAL_REVIEWS=absent, the only skip a CI run allows (tests/ci_skips.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guessthatmovie.config import PROJECT_ROOT

REAL_REVIEWS_SETTING = "GTM_REAL_REVIEWS"
# The start of the one skip reason CI accepts, and of the line naming those tests in the summary.
DECLARED_ABSENT = f"{REAL_REVIEWS_SETTING}=absent"


def shared_data() -> Path:
    """Return the folder of the shared data files (the first of the known places that exists)."""
    places = [PROJECT_ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    if os.environ.get("GTM_SHARED_DATA"):
        places.insert(0, Path(os.environ["GTM_SHARED_DATA"]))
    return next((place for place in places if place.is_dir()), places[0])


def skip_if_declared_absent(what: str) -> None:
    """Skip when the run declares the real reviews absent (GTM_REAL_REVIEWS=absent); else go on."""
    setting = os.environ.get(REAL_REVIEWS_SETTING, "")
    if setting == "absent":
        pytest.skip(f"{DECLARED_ABSENT}: {what} is never committed, and this run has none")
    if setting:
        pytest.fail(f"{REAL_REVIEWS_SETTING}={setting!r}: the only value it takes is 'absent'")
