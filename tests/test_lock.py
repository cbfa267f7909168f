"""The lock (requirements/*.txt, `make lock`) agrees with pyproject.toml and is what installs."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from guessthatmovie.config import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
RUNTIME = PROJECT_ROOT / "requirements" / "runtime.txt"
DEV = PROJECT_ROOT / "requirements" / "dev.txt"


@dataclass(frozen=True)
class Pin:
    """One locked package: its exact version and the hashes of the files allowed for it."""

    version: str
    hashes: frozenset[str]


def read_lock(path: Path) -> dict[str, Pin]:
    """Parse a pip-compile lock into {canonical name: Pin}."""
    text = re.sub(r"\\\n", " ", path.read_text())  # join the continuation lines
    pins: dict[str, Pin] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})*)", line)
        assert match, f"{path.name}: not a pinned, hashed requirement: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"{path.name} pins {name} twice"
        pins[name] = Pin(match.group(2), frozenset(re.findall(r"[0-9a-f]{64}", match.group(3))))
    return pins


def direct(requirements: list[str]) -> dict[str, Requirement]:
    """Index pyproject.toml's requirement strings by canonical name."""
    parsed = [Requirement(text) for text in requirements]
    return {canonicalize_name(r.name): r for r in parsed}


RUNTIME_DIRECT = direct(PYPROJECT["project"]["dependencies"])
DEV_DIRECT = direct(PYPROJECT["project"]["optional-dependencies"]["dev"])


@pytest.fixture(scope="module")
def runtime() -> dict[str, Pin]:
    return read_lock(RUNTIME)


@pytest.fixture(scope="module")
def dev() -> dict[str, Pin]:
    return read_lock(DEV)


def test_every_pin_carries_a_hash(runtime: dict[str, Pin], dev: dict[str, Pin]) -> None:
    """pip --require-hashes refuses a line without one: each package names its files' hashes."""
    for pins in (runtime, dev):
        assert pins
        assert all(pin.hashes for pin in pins.values())


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [(RUNTIME, RUNTIME_DIRECT), (DEV, {**RUNTIME_DIRECT, **DEV_DIRECT})],
    ids=["runtime", "dev"],
)
def test_the_lock_holds_pyprojects_pins(lock: Path, wanted: dict[str, Requirement]) -> None:
    """Each dependency pyproject.toml names is locked at a version its specifier allows."""
    pins = read_lock(lock)
    for name, requirement in wanted.items():
        assert name in pins, f"{name} is in pyproject.toml but not in {lock.name}: run make lock"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"{lock.name} locks {name}=={pins[name].version}, pyproject.toml wants "
            f"{requirement.specifier}: run make lock"
        )
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary
            assert any(n.startswith(f"{name}-{extra}") for n in pins), (name, extra)


def test_runtime_lock_has_no_test_tool(runtime: dict[str, Pin]) -> None:
    """`make play` and the image install runtime.txt: pytest, mypy and the rest stay out."""
    only_dev = set(DEV_DIRECT) - set(RUNTIME_DIRECT)
    assert only_dev and not only_dev & set(runtime)


def test_dev_lock_installs_the_runtime_lock_unchanged(
    runtime: dict[str, Pin], dev: dict[str, Pin]
) -> None:
    """Tests run on the very versions (and files) that production installs."""
    for name, pin in runtime.items():
        assert dev.get(name) == pin, f"{name}: runtime.txt and dev.txt disagree, run make lock"


@pytest.mark.parametrize("python", ["here", "3.11.0"])
def test_the_lock_is_closed(dev: dict[str, Pin], python: str) -> None:
    """Every requirement of every locked package is locked (pip runs with --no-deps), here and on
    the oldest 3.11 (Debian 12 has 3.11.2), whose markers can ask for more."""
    environment: dict[str, str] = {"extra": ""}
    if python != "here":
        environment |= {"python_full_version": python, "python_version": python[:4]}
    installed = {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()}
    for name in dev:
        if name not in installed:
            pytest.fail(f"{name} is locked but not installed here: run make install")
        for text in installed[name].requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            needed = canonicalize_name(requirement.name)
            assert needed in dev, f"{name} needs {needed}, which the lock leaves out"


def test_this_environment_runs_the_locked_versions(dev: dict[str, Pin]) -> None:
    """`make install` installed exactly the lock (a stale venv would test other code)."""
    for name, pin in dev.items():
        assert metadata.version(name) == pin.version, name
