"""Which way imports go: the house rules that keep the layers apart, read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "guessthatmovie"


def imported_modules(path: Path) -> set[str]:
    """Return every module a file imports (`from a.b import c` gives a.b and a.b.c)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def blueprint_modules() -> list[str]:
    """Return the web modules that define a blueprint."""
    return sorted(
        f"guessthatmovie.web.{path.stem}"
        for path in (PACKAGE / "web").glob("*.py")
        if "Blueprint(" in path.read_text(encoding="utf-8")
    )


def test_the_blueprints_are_found() -> None:
    assert {"guessthatmovie.web.play", "guessthatmovie.web.stats"} <= set(blueprint_modules())


@pytest.mark.parametrize("module", blueprint_modules())
def test_blueprints_never_import_each_other(module: str) -> None:
    path = PACKAGE / "web" / (module.rsplit(".", 1)[1] + ".py")
    others = set(blueprint_modules()) - {module}
    assert imported_modules(path) & others == set()


def test_the_cli_and_the_web_read_one_clock() -> None:
    """No copy of the clock: the CLI and the views take now/today from clock.py."""
    for path in [*(PACKAGE / "cli").glob("*.py"), *(PACKAGE / "web").glob("*.py")]:
        assert 'config["CLOCK"]' not in path.read_text(encoding="utf-8"), path
    assert not (PACKAGE / "web" / "time.py").exists()
