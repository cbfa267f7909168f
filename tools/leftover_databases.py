"""Fail, naming them, if a run left test databases behind (names starting with a prefix).

Used by .ci/run around `make test`: `--snapshot FILE` notes the databases already there before the
run (another checkout's, or an earlier run's, are not this run's to judge), `--since FILE` then
fails on any the run added. Every run drops what it made (tests/databases.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import psycopg


def databases(prefix: str) -> set[str]:
    """Return the names of the server's databases that start with `prefix`."""
    url = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
        ).fetchall()
    return {name for (name,) in rows}


def main() -> int:
    """Note the databases there now, or fail on those added since the note; 0 when none were."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("prefix")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--snapshot", type=Path, help="write the names there now to this file")
    action.add_argument("--since", type=Path, help="fail on names not in this file")
    args = parser.parse_args()
    now = databases(args.prefix)
    if args.snapshot is not None:
        args.snapshot.write_text("".join(f"{name}\n" for name in sorted(now)))
        if now:
            print(f"{len(now)} {args.prefix}* database(s) already there, not this run's: left")
        return 0
    before = set(args.since.read_text().split())
    left = sorted(now - before)
    if left:
        print(f"Test databases left behind: {', '.join(left)}", file=sys.stderr)
        return 1
    print(f"No {args.prefix}* database made by this run is left.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
