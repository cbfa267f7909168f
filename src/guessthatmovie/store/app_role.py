"""The web workers' own PostgreSQL role: rows in, rows out, nothing else.

The migrations run as the database's owner (on RDS, the master user, whose password RDS rotates);
the workers log in as this role, whose password is ours (SSM), so a rotation of the master's
never touches a serving connection. Run after each migration, as the owner:

    DATABASE_URL=<owner's URL> GTM_APP_ROLE=gtm_app GTM_APP_PASSWORD=... \\
        python -m guessthatmovie.store.app_role
"""

from __future__ import annotations

import os
import sys

import psycopg
from psycopg import sql

from guessthatmovie.config import normalise_database_url

# What serving does to rows; no CREATE, ALTER, DROP, TRUNCATE or REFERENCES.
TABLE_RIGHTS = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
SEQUENCE_RIGHTS = sql.SQL("USAGE, SELECT")


def grant_app_role(owner_url: str, role: str, password: str) -> None:
    """Create or update `role` with `password` and give it the row rights on the public schema."""
    if not role.isidentifier() or len(password) < 16:
        raise ValueError("the role needs a plain name and a password of 16 characters or more")
    name = sql.Identifier(role)
    with psycopg.connect(_libpq_url(owner_url)) as connection:  # one transaction, committed
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        connection.execute(
            sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                verb, name, sql.Literal(password)
            )
        )
        database = sql.Identifier(connection.info.dbname)
        for statement in (
            "GRANT CONNECT ON DATABASE {database} TO {name}",
            "GRANT USAGE ON SCHEMA public TO {name}",
            "GRANT {tables} ON ALL TABLES IN SCHEMA public TO {name}",
            "GRANT {sequences} ON ALL SEQUENCES IN SCHEMA public TO {name}",
            # Tables a later migration adds get the same rights when the owner creates them.
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {tables} ON TABLES TO {name}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {sequences} ON SEQUENCES TO {name}",
        ):
            connection.execute(
                sql.SQL(statement).format(
                    database=database, name=name, tables=TABLE_RIGHTS, sequences=SEQUENCE_RIGHTS
                )
            )


def _libpq_url(url: str) -> str:
    """Turn an SQLAlchemy URL (postgresql+psycopg://...) into the plain one libpq reads."""
    return normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def main() -> int:
    """Grant from the environment; print one line, or the reason it failed."""
    try:
        role = os.environ.get("GTM_APP_ROLE", "gtm_app")
        grant_app_role(os.environ["DATABASE_URL"], role, os.environ["GTM_APP_PASSWORD"])
    except KeyError as missing:
        print(f"app_role: {missing.args[0]} is not set", file=sys.stderr)
        return 1
    except (ValueError, psycopg.Error) as error:
        print(f"app_role: {error}", file=sys.stderr)
        return 1
    print(f"app_role: {role} may read and write rows, nothing more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
