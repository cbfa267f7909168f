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


def package_modules(folder: str) -> list[Path]:
    """Return the Python files of one of the package's folders."""
    return sorted((PACKAGE / folder).glob("*.py"))


def reaches(imported: set[str], prefixes: tuple[str, ...]) -> set[str]:
    """Return the imported modules that are, or live under, one of `prefixes`."""
    return {name for name in imported if name.startswith(prefixes) or name in prefixes}


@pytest.mark.parametrize("path", package_modules("importers"), ids=lambda path: path.stem)
def test_importers_read_files_and_never_touch_the_database(path: Path) -> None:
    """A reader yields plain records: no store, no extensions, no Flask, no SQLAlchemy."""
    forbidden = (
        "guessthatmovie.store",
        "guessthatmovie.extensions",
        "guessthatmovie.models",
        "guessthatmovie.catalogue_import",
        "guessthatmovie.cli",
        "flask",
        "flask_sqlalchemy",
        "sqlalchemy",
    )
    assert reaches(imported_modules(path), forbidden) == set()


@pytest.mark.parametrize("path", package_modules("store"), ids=lambda path: path.stem)
def test_the_store_never_imports_the_readers_or_the_drivers(path: Path) -> None:
    """The store writes records it is handed; it never reaches back up to who hands them."""
    forbidden = (
        "guessthatmovie.importers",
        "guessthatmovie.catalogue_import",
        "guessthatmovie.cli",
        "guessthatmovie.web",
        "guessthatmovie.board",
    )
    assert reaches(imported_modules(path), forbidden) == set()


@pytest.mark.parametrize("path", package_modules("game"), ids=lambda path: path.stem)
def test_the_game_core_imports_nothing_of_ours_outside_it(path: Path) -> None:
    """The pure decisions (is a review a clue, is it clean, in what order) need no app."""
    ours = {name for name in imported_modules(path) if name.startswith("guessthatmovie")}
    assert {name for name in ours if not name.startswith("guessthatmovie.game")} == set()
    assert reaches(imported_modules(path), ("flask", "sqlalchemy")) == set()


def test_only_the_store_opens_or_ends_transactions() -> None:
    """Commits and rollbacks live in store/: the driver and the CLI ask the store to end a batch."""
    for path in [
        PACKAGE / "catalogue_import.py",
        *package_modules("importers"),
        *package_modules("cli"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert ".commit()" not in text and ".rollback()" not in text, path


def test_one_path_writes_films() -> None:
    """Only store/films.py creates Movie rows; no other module defines a second loader."""
    creators = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if "Movie(title=" in path.read_text(encoding="utf-8")
    ]
    assert creators == [Path("store/films.py")]
