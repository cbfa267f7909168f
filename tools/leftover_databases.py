"""Fail, naming them, if test databases (names starting with the prefix given) remain.

Used by .ci/run after `make test`: every run drops what it made (tests/databases.py).
"""

from __future__ import annotations

import os
import sys

import psycopg


def main() -> int:
    """Print and count the databases left with the prefix; 0 when there are none."""
    prefix = sys.argv[1]
    url = os.environ.get("PG_TEST_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY 1", (prefix,)
        ).fetchall()
    if rows:
        print(f"Test databases left behind: {', '.join(name for (name,) in rows)}", file=sys.stderr)
        return 1
    print(f"No {prefix}* database is left.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
