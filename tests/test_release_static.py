"""The static release (guessthatmovie.release_static) run release after release on one root."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.release_static import main, publish

STATIC = PROJECT_ROOT / "static"


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A copy of the project's static folder, to change between releases."""
    folder = tmp_path / "image-static"
    shutil.copytree(STATIC, folder)
    return folder


def served(root: Path, path: str, version: str | None) -> bytes:
    """Return what nginx's /static/ location answers: by-hash for a known ?v=, else current."""
    if version is not None:
        hashed = root / "by-hash" / version / "static" / path
        if hashed.is_file():
            return hashed.read_bytes()
    return (root / "current" / "static" / path).read_bytes()


def test_two_releases_serve_the_new_files_and_keep_the_old_ones(
    tmp_path: Path, source: Path
) -> None:
    """After a second release, old ?v= URLs still get the old bytes and new ones the new."""
    root = tmp_path / "srv"
    css = source / "css" / "app.css"
    old = css.read_bytes()
    first = publish(source, root)
    assert served(root, "css/app.css", short_hash(old)) == old

    new = old + b"\n/* release two */\n"
    css.write_bytes(new)
    second = publish(source, root)
    assert second != first
    assert (root / "current").resolve() == (root / "releases" / second).resolve()
    assert served(root, "css/app.css", None) == new
    assert served(root, "css/app.css", short_hash(new)) == new
    assert served(root, "css/app.css", short_hash(old)) == old  # a page of release one
    # The copy lands at the same place each time (never static/static, the docs' old recipe).
    assert not (root / "current" / "static" / "static").exists()
    assert {p.name for p in (root / "releases").iterdir()} == {first, second}
    for path in STATIC.rglob("*"):
        if path.is_file():
            relative = path.relative_to(STATIC).as_posix()
            assert (root / "current" / "static" / relative).is_file(), relative


def test_a_third_release_drops_the_first_ones_files(tmp_path: Path, source: Path) -> None:
    """Only the current and previous releases stay; files only the first used are gone."""
    root = tmp_path / "srv"
    css = source / "css" / "app.css"
    versions = []
    for n in range(3):
        css.write_bytes(css.read_bytes() + f"/* {n} */".encode())
        versions.append(short_hash(css.read_bytes()))
        publish(source, root)
    assert len(list((root / "releases").iterdir())) == 2
    assert not (root / "by-hash" / versions[0]).exists()
    for version in versions[1:]:
        assert (root / "by-hash" / version / "static" / "css" / "app.css").is_file()
    # Files no release changed keep their one hashed copy.
    icon = STATIC / "favicon.svg"
    assert (root / "by-hash" / short_hash(icon.read_bytes()) / "static" / "favicon.svg").is_file()


def test_releasing_the_same_files_again_changes_nothing(tmp_path: Path, source: Path) -> None:
    """A re-run (a retried deploy) keeps one release and the same current."""
    root = tmp_path / "srv"
    first = publish(source, root)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert publish(source, root) == first
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_the_command_says_what_went_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing source or too small a --keep is a one-line message and exit status 1."""
    assert main([str(tmp_path / "missing"), str(tmp_path / "srv")]) == 1
    assert "no static folder" in capsys.readouterr().err
    assert main([str(STATIC), str(tmp_path / "srv"), "--keep", "1"]) == 1
    assert "keep at least 2" in capsys.readouterr().err
    assert main([str(STATIC), str(tmp_path / "srv")]) == 0
    assert "published" in capsys.readouterr().out
