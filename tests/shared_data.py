"""Where the shared public data lives: ../shared/data beside the project, as on every machine.

A clone made elsewhere (CI may clone into a temporary folder) finds it through GTM_SHARED_DATA,
or in the workplace's own /work/shared/data.
"""

from __future__ import annotations

import os
from pathlib import Path

from guessthatmovie.config import PROJECT_ROOT


def shared_data() -> Path:
    """Return the folder of the shared data files (the first of the known places that exists)."""
    places = [PROJECT_ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    if os.environ.get("GTM_SHARED_DATA"):
        places.insert(0, Path(os.environ["GTM_SHARED_DATA"]))
    return next((place for place in places if place.is_dir()), places[0])
