"""Settings: one table of what the operator can change, read from the environment and checked.

Each setting has its environment variable, a parser (text → value), a default and a check. An
unset or blank variable takes the default; a value that does not parse or does not pass its check
stops the start with a ConfigError that names the setting, the value and what it expects.
docs/operations.md lists the same settings (tests/test_config.py keeps the two in step).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from guessthatmovie import config_values as values
from guessthatmovie.config_values import normalise_database_url as normalise_database_url
from guessthatmovie.config_values import parse_networks as parse_networks

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A marker that validate() refuses outside debug and tests, not a credential.
DEV_SECRET = "dev-only-not-secret"  # nosec B105


# A ClickException too, so that the `flask` commands print the message and exit 1; Gunicorn
# prints a RuntimeError raised while loading the app the same way: never a traceback.
class ConfigError(click.ClickException, RuntimeError):
    """Raised when the settings cannot run the app safely."""


def _sqlite_in_instance(read: Mapping[str, Any]) -> str:
    """Keep the database in a SQLite file under the instance folder when DATABASE_URL is unset."""
    return f"sqlite:///{read['INSTANCE_PATH'] / 'guessthatmovie.db'}"


def _secure_unless_debug(read: Mapping[str, Any]) -> bool:
    """Send the cookie over HTTPS only, unless debugging on plain HTTP."""
    return not read["DEBUG"]


def _public_host(read: Mapping[str, Any]) -> list[str] | None:
    """Trust PUBLIC_BASE_URL's host when TRUSTED_HOSTS is unset; no origin: any host."""
    host = urlsplit(read["PUBLIC_BASE_URL"]).hostname if read["PUBLIC_BASE_URL"] else None
    return [host] if host else None


@dataclass(frozen=True)
class Setting:
    """One setting the operator can change: its variable, parser, default and check."""

    name: str  # the environment variable, as docs/operations.md lists it
    parse: Callable[[str], Any]  # raises ValueError on text it cannot read
    default: Any
    check: Callable[[Any], bool]
    expected: str  # what the check accepts, said to the operator
    key: str = ""  # the app.config key, when it is not the variable's name
    # A default that follows settings read before this one (the table's order).
    derive: Callable[[Mapping[str, Any]], Any] | None = None
    secret: bool = False  # never repeated in a message

    @property
    def config_key(self) -> str:
        """Return the app.config key that holds the setting."""
        return self.key or self.name

    def read(self, environ: Mapping[str, str], read: Mapping[str, Any]) -> Any:
        """Return the variable's value, or the default when it is unset or blank."""
        raw = environ.get(self.name, "")
        if not raw.strip():
            return self.derive(read) if self.derive is not None else self.default
        try:
            return self.parse(raw)
        except ValueError as error:
            raise self.refusal(raw) from error

    def refusal(self, value: Any) -> ConfigError:
        """Return the error that names this setting, the value given and what it expects."""
        shown = "the value given" if self.secret else repr(_without_password(value))
        return ConfigError(f"{self.name} must be {self.expected}, not {shown}.")


def _without_password(value: Any) -> Any:
    if isinstance(value, str) and "://" in value:
        password = urlsplit(value).password
        if password:
            return value.replace(password, "***")
    return value


RATE_LIMIT = "a rate limit in limits notation, such as '60 per minute' or '10/minute;100/hour'"
FLAG = "one of 1, true, yes, on or 0, false, no, off"

SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", str, DEV_SECRET, values.is_text, "a long random value", secret=True),
    Setting(
        "GTM_INSTANCE_PATH",
        Path,
        PROJECT_ROOT / "instance",
        values.is_folder,
        "a folder",
        key="INSTANCE_PATH",
    ),
    Setting(
        "DATABASE_URL",
        normalise_database_url,
        None,
        values.is_text,
        "a SQLAlchemy database URL",
        key="SQLALCHEMY_DATABASE_URI",
        derive=_sqlite_in_instance,
    ),
    Setting("GAME_ATTEMPTS", int, 6, values.is_whole(2, 20), "a whole number from 2 to 20"),
    Setting(
        "GAME_TIMEZONE", str.strip, "UTC", values.is_zone, "an IANA timezone such as Europe/Paris"
    ),
    Setting(
        "GAME_LAUNCH_DATE",
        values.day,
        date(2026, 1, 1),
        lambda value: isinstance(value, date),
        "a day written YYYY-MM-DD",
    ),
    # The players' language: the import keeps only reviews written in it (ISO 639-1).
    Setting(
        "CATALOGUE_LANGUAGE", values.lower, "en", values.is_language, "a two-letter code such as en"
    ),
    Setting("FLASK_DEBUG", values.flag, False, values.is_flag, FLAG, key="DEBUG"),
    Setting(
        "SESSION_COOKIE_SECURE",
        values.flag,
        True,
        values.is_flag,
        FLAG,
        derive=_secure_unless_debug,
    ),
    Setting(
        "REDIS_URL",
        str.strip,
        None,
        values.is_redis_url,
        "a redis://, rediss:// or unix:// URL (or unset)",
    ),
    Setting(
        "REDIS_SOCKET_TIMEOUT",
        float,
        0.5,
        values.is_timeout,
        "a number of seconds above 0 and at most 10",
    ),
    Setting("GUESS_RATE_LIMIT", str.strip, "60 per minute", values.is_rate_limit, RATE_LIMIT),
    Setting("GUESS_ADDRESS_LIMIT", str.strip, "600 per minute", values.is_rate_limit, RATE_LIMIT),
    Setting("SEARCH_RATE_LIMIT", str.strip, "300 per minute", values.is_rate_limit, RATE_LIMIT),
    Setting(
        "TRANSFER_SITE_FAILURES", str.strip, "120 per minute", values.is_rate_limit, RATE_LIMIT
    ),
    # Leagues (web/leagues.py): how many a player may be in, how many members one holds, and
    # how often a player, and an address, may start or join one.
    Setting("LEAGUES_PER_PLAYER", int, 10, values.is_whole(1, 100), "a whole number from 1 to 100"),
    Setting("LEAGUE_MEMBERS", int, 50, values.is_whole(2, 500), "a whole number from 2 to 500"),
    Setting("LEAGUE_RATE_LIMIT", str.strip, "20 per hour", values.is_rate_limit, RATE_LIMIT),
    Setting("LEAGUE_ADDRESS_LIMIT", str.strip, "200 per hour", values.is_rate_limit, RATE_LIMIT),
    # Workers of this instance (gunicorn.conf.py sets it): without shared counts, each worker
    # gets this share of every limit. A single process (flask run, tests) is 1.
    Setting("WEB_CONCURRENCY", int, 1, values.is_whole(1), "a whole number from 1"),
    Setting("PROXY_HOPS", int, 1, values.is_whole(0, 5), "a whole number from 0 to 5"),
    # The peers whose forwarded headers are believed (gunicorn reads the same variable).
    Setting(
        "FORWARDED_ALLOW_IPS",
        str.strip,
        "127.0.0.1,::1",
        values.is_networks,
        "addresses or networks, comma-separated (or *)",
    ),
    Setting(
        "PUBLIC_BASE_URL",
        values.origin,
        None,
        values.is_origin,
        "the site's origin, such as https://example.org",
    ),
    Setting(
        "TRUSTED_HOSTS",
        values.names,
        None,
        values.are_hosts,
        "host names, comma-separated",
        derive=_public_host,
    ),
    # The daily pick's known-ness floor: films at least ~this many people rated (game/known.py).
    Setting("PUZZLE_MIN_RATINGS", int, 20_000, values.is_whole(0), "a whole number from 0"),
    Setting(
        "LOG_FORMAT", values.lower, "json", lambda value: value in {"json", "text"}, "json or text"
    ),
)

# What the app always sets and the operator does not change (the environment comes on top).
APP_DEFAULTS: Mapping[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_NAME": "gtm",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(days=400),
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: a game can span days
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "CLOCK": None,  # None: the system clock (tests inject their own)
    # About 50 KB a result picture: each worker keeps its ~80 most recently asked for.
    "RESULT_PICTURE_CACHE_BYTES": 4 * 1024 * 1024,
}


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Read every setting of the table from environment variables, keyed as app.config has it."""
    read: dict[str, Any] = {}
    for setting in SETTINGS:
        read[setting.config_key] = setting.read(environ, read)
    return read


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Return the database URL: DATABASE_URL, else a SQLite file under the instance folder."""
    read = {"INSTANCE_PATH": SETTING["GTM_INSTANCE_PATH"].read(environ, {})}
    return str(SETTING["DATABASE_URL"].read(environ, read))


def validate(config: Mapping[str, Any]) -> None:
    """Refuse settings that would run an unsafe or broken game, naming the first one."""
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET) and not (
        config.get("DEBUG") or config.get("TESTING")
    ):
        raise ConfigError(
            "SECRET_KEY is not set. Set it to a long random value, e.g. "
            "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'); "
            "only debug and testing runs may go without one."
        )
    for setting in SETTINGS:
        value = config.get(setting.config_key)
        if not setting.check(value):
            raise setting.refusal(value)


SETTING = {setting.name: setting for setting in SETTINGS}
# The instance folder, for the app and for Alembic's default database.
INSTANCE_PATH: Path = SETTING["GTM_INSTANCE_PATH"].read(os.environ, {})
