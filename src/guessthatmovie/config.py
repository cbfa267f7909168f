"""Settings read from the environment and checked at start-up."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_PATH = Path(os.environ.get("GTM_INSTANCE_PATH", PROJECT_ROOT / "instance"))
# A marker that validate() refuses outside debug and tests, not a credential.
DEV_SECRET = "dev-only-not-secret"  # nosec B105


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> list[Network] | None:
    """Parse "127.0.0.1,::1,10.0.0.0/16" into networks; None for "*" (any peer is a proxy)."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if "*" in items:
        return None
    return [ipaddress.ip_network(item, strict=False) for item in items]


class ConfigError(RuntimeError):
    """Raised when the settings cannot run the app safely."""


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (as RDS and most hosts hand them out) at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Return the database URL: DATABASE_URL, else a SQLite file under instance/."""
    url = environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_PATH / 'guessthatmovie.db'}"
    return normalise_database_url(url)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _whole(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from error


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}.") from error


def _hosts(environ: Mapping[str, str]) -> list[str] | None:
    """Return TRUSTED_HOSTS: the listed names, else PUBLIC_BASE_URL's host, else None (any)."""
    listed = [h.strip() for h in environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if listed:
        return listed
    base = (environ.get("PUBLIC_BASE_URL") or "").strip()
    host = urlsplit(base).hostname if base else None
    return [host] if host else None


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Read the settings the operator can change from environment variables."""
    debug = _flag(environ.get("FLASK_DEBUG"), False)
    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url(environ),
        "REDIS_URL": environ.get("REDIS_URL") or None,
        "REDIS_SOCKET_TIMEOUT": _number(environ, "REDIS_SOCKET_TIMEOUT", 0.5),
        "GUESS_RATE_LIMIT": environ.get("GUESS_RATE_LIMIT") or "60 per minute",
        "GUESS_ADDRESS_LIMIT": environ.get("GUESS_ADDRESS_LIMIT") or "600 per minute",
        "SEARCH_RATE_LIMIT": environ.get("SEARCH_RATE_LIMIT") or "300 per minute",
        "TRANSFER_SITE_FAILURES": environ.get("TRANSFER_SITE_FAILURES") or "120 per minute",
        # Workers of this instance (gunicorn.conf.py sets it): without shared counts, each worker
        # gets this share of every limit. A single process (flask run, tests) is 1.
        "WEB_CONCURRENCY": _whole(environ, "WEB_CONCURRENCY", 1),
        "PROXY_HOPS": _whole(environ, "PROXY_HOPS", 1),
        # The peers whose forwarded headers are believed (gunicorn reads the same variable).
        "FORWARDED_ALLOW_IPS": environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1",
        "PUBLIC_BASE_URL": (environ.get("PUBLIC_BASE_URL") or "").strip().rstrip("/") or None,
        "TRUSTED_HOSTS": _hosts(environ),
        "LOG_FORMAT": (environ.get("LOG_FORMAT") or "json").strip().lower(),
        "GAME_ATTEMPTS": int(environ.get("GAME_ATTEMPTS", "6")),
        "GAME_TIMEZONE": environ.get("GAME_TIMEZONE", "UTC"),
        "GAME_LAUNCH_DATE": date.fromisoformat(environ.get("GAME_LAUNCH_DATE", "2026-01-01")),
        # The players' language: the import keeps only reviews written in it (ISO 639-1).
        "CATALOGUE_LANGUAGE": (environ.get("CATALOGUE_LANGUAGE") or "en").strip().lower(),
        "SESSION_COOKIE_SECURE": _flag(environ.get("SESSION_COOKIE_SECURE"), not debug),
        "DEBUG": debug,
    }
    if environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = environ["SECRET_KEY"]
    return settings


def validate(config: Mapping[str, Any]) -> None:
    """Refuse settings that would run an unsafe or broken game."""
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET) and not (
        config.get("DEBUG") or config.get("TESTING")
    ):
        raise ConfigError(
            "SECRET_KEY is not set. Set it to a long random value, e.g. "
            "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'); "
            "only debug and testing runs may go without one."
        )
    attempts = config["GAME_ATTEMPTS"]
    if not isinstance(attempts, int) or not 2 <= attempts <= 20:
        raise ConfigError(f"GAME_ATTEMPTS must be a whole number from 2 to 20, not {attempts!r}.")
    language = config.get("CATALOGUE_LANGUAGE", "en")
    if not (isinstance(language, str) and len(language) == 2 and language.isalpha()):
        raise ConfigError(f"CATALOGUE_LANGUAGE must be a code like en, not {language!r}.")
    _validate_production(config)
    try:
        ZoneInfo(config["GAME_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(
            f"GAME_TIMEZONE {config['GAME_TIMEZONE']!r} is not a known timezone."
        ) from error


def _validate_production(config: Mapping[str, Any]) -> None:
    """Refuse cache, rate-limit, proxy and logging settings that cannot work."""
    url = config.get("REDIS_URL")
    if url and not str(url).startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REDIS_URL must be a redis://, rediss:// or unix:// URL, not {url!r}.")
    timeout = config.get("REDIS_SOCKET_TIMEOUT", 0.5)
    if not isinstance(timeout, int | float) or not 0 < timeout <= 10:
        raise ConfigError(f"REDIS_SOCKET_TIMEOUT must be from 0 to 10 seconds, not {timeout!r}.")
    for name, default in (
        ("GUESS_RATE_LIMIT", "60 per minute"),
        ("GUESS_ADDRESS_LIMIT", "600 per minute"),
        ("SEARCH_RATE_LIMIT", ""),
        ("TRANSFER_SITE_FAILURES", ""),
    ):
        limit = config.get(name, default) or default
        try:
            parse_many(str(limit)) if limit else None
        except ValueError as error:
            raise ConfigError(
                f"{name} {limit!r} is not a rate limit such as '60 per minute'."
            ) from error
    workers = config.get("WEB_CONCURRENCY", 1)
    if not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"WEB_CONCURRENCY must be a whole number from 1, not {workers!r}.")
    base = config.get("PUBLIC_BASE_URL")
    if base:
        parts = urlsplit(str(base))
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ConfigError(
                f"PUBLIC_BASE_URL must be the site's origin (https://example.org), not {base!r}."
            )
    try:
        parse_networks(str(config.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")))
    except ValueError as error:
        raise ConfigError(
            "FORWARDED_ALLOW_IPS must list addresses or networks (or *), "
            f"not {config.get('FORWARDED_ALLOW_IPS')!r}."
        ) from error
    hops = config.get("PROXY_HOPS", 1)
    if not isinstance(hops, int) or not 0 <= hops <= 5:
        raise ConfigError(f"PROXY_HOPS must be a whole number from 0 to 5, not {hops!r}.")
    if config.get("LOG_FORMAT", "json") not in {"json", "text"}:
        raise ConfigError(f"LOG_FORMAT must be json or text, not {config.get('LOG_FORMAT')!r}.")
