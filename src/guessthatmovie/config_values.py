"""How the settings table reads a variable's text (parsers) and judges a value (checks)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> list[Network] | None:
    """Parse "127.0.0.1,::1,10.0.0.0/16" into networks; None for "*" (any peer is a proxy)."""
    entries = items(text)
    if "*" in entries:
        return None
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (as RDS and most hosts hand them out) at the psycopg 3 driver."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def items(text: str) -> list[str]:
    """Split a comma-separated list, dropping blanks."""
    return [item.strip() for item in text.split(",") if item.strip()]


FLAGS = {"1": True, "true": True, "yes": True, "on": True}
FLAGS |= {"0": False, "false": False, "no": False, "off": False}


def flag(text: str) -> bool:
    """Read an on/off word (1, true, yes, on; 0, false, no, off)."""
    try:
        return FLAGS[text.strip().lower()]
    except KeyError:
        raise ValueError(text) from None


def names(text: str) -> list[str]:
    """Read a comma-separated list that names at least one thing."""
    listed = items(text)
    if not listed:
        raise ValueError(text)
    return listed


def lower(text: str) -> str:
    """Read a word, in lower case."""
    return text.strip().lower()


def origin(text: str) -> str | None:
    """Read a site's origin without its trailing slash; blank: None."""
    return text.strip().rstrip("/") or None


def day(text: str) -> date:
    """Read a day written YYYY-MM-DD."""
    return date.fromisoformat(text.strip())


def is_whole(low: int, high: int | None = None) -> Callable[[Any], bool]:
    """Return a check for a whole number from `low` (to `high`)."""

    def check(value: Any) -> bool:
        whole = isinstance(value, int) and not isinstance(value, bool)
        return whole and low <= value and (high is None or value <= high)

    return check


def is_text(value: Any) -> bool:
    """Return whether the value is a non-empty string."""
    return isinstance(value, str) and bool(value)


def is_folder(value: Any) -> bool:
    """Return whether the value names a folder."""
    return isinstance(value, Path | str) and bool(str(value))


def is_flag(value: Any) -> bool:
    """Return whether the value is on or off."""
    return isinstance(value, bool)


def is_zone(value: Any) -> bool:
    """Return whether the value is a known IANA timezone."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def is_language(value: Any) -> bool:
    """Return whether the value is a two-letter language code."""
    return isinstance(value, str) and len(value) == 2 and value.isalpha()


def is_redis_url(value: Any) -> bool:
    """Return whether the value is unset or a Redis URL."""
    return value is None or str(value).startswith(("redis://", "rediss://", "unix://"))


def is_timeout(value: Any) -> bool:
    """Return whether the value is a number of seconds above 0 and at most 10."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 10


def is_rate_limit(value: Any) -> bool:
    """Return whether the value is a rate limit in limits notation."""
    try:
        return is_text(value) and bool(parse_many(value))
    except ValueError:
        return False


def is_networks(value: Any) -> bool:
    """Return whether the value lists addresses or networks (or *)."""
    try:
        return isinstance(value, str) and parse_networks(value) != []
    except ValueError:
        return False


def is_origin(value: Any) -> bool:
    """Return whether the value is unset or a site's origin (no path)."""
    if value is None:
        return True
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.path.strip("/")


def are_hosts(value: Any) -> bool:
    """Return whether the value is unset or a non-empty list of host names."""
    return value is None or (isinstance(value, list) and all(map(is_text, value)) and value != [])
