"""Put a release's static files where nginx serves them, keeping the previous release's.

    python -m guessthatmovie.release_static SOURCE ROOT [--keep N]

SOURCE is the image's static folder; ROOT (/srv/guessthatmovie on the box) ends up as:

    ROOT/releases/<release>/static/...      each release's files, whole
    ROOT/current -> releases/<release>      the newest, switched by an atomic rename
    ROOT/by-hash/<v>/static/<path>          each file under the content hash its ?v= URL carries

nginx answers /static/<path>?v=<v> from by-hash (a year, immutable) and anything else from
current (an hour). A page rendered by the previous release still gets its own files, never the
new ones under its old URL. Releases beyond the newest `keep` (and the hashed files only they
used) are removed. Running it again with the same files changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from guessthatmovie.web.assets import content_hash

HASH_LENGTH = 12


def file_hashes(source: Path) -> dict[str, str]:
    """Return {path relative to source: the hash its fingerprinted URL carries}."""
    found: dict[str, str] = {}
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = content_hash(path)
            assert digest is not None
            found[path.relative_to(source).as_posix()] = digest
    return found


def release_id(hashes: dict[str, str]) -> str:
    """Name a release after all its files and their contents."""
    listing = "".join(f"{name}\0{digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(listing.encode()).hexdigest()[:HASH_LENGTH]


def _copy_tree(source: Path, hashes: dict[str, str], target: Path) -> None:
    """Copy every listed file under target/static/, readable by nginx."""
    for name in hashes:
        destination = target / "static" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination)
        destination.chmod(0o644)


def _switch(root: Path, release: str) -> None:
    """Point ROOT/current at the release in one rename: nginx never sees a half-made tree."""
    link = root / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("releases") / release)
    link.replace(root / "current")


def _release_order(root: Path) -> list[str]:
    """Return the releases, oldest first, as the history file records them."""
    history = root / "releases.log"
    names = history.read_text().split() if history.exists() else []
    return [name for name in names if (root / "releases" / name).is_dir()]


def publish(source: Path, root: Path, keep: int = 2) -> str:
    """Release SOURCE's files under ROOT, keep the newest `keep` releases; return the release."""
    if keep < 2:
        raise ValueError("keep at least 2 releases: the previous one's pages are still open")
    if not source.is_dir():
        raise FileNotFoundError(f"no static folder at {source}")
    hashes = file_hashes(source)
    release = release_id(hashes)
    (root / "releases").mkdir(parents=True, exist_ok=True)
    final = root / "releases" / release
    if not final.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root / "releases"))
        _copy_tree(source, hashes, staging)
        staging.chmod(0o755)
        staging.rename(final)
    for name, digest in hashes.items():
        hashed = root / "by-hash" / digest / "static" / name
        if not hashed.exists():
            hashed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, hashed)
            hashed.chmod(0o644)
    _switch(root, release)
    order = [name for name in _release_order(root) if name != release] + [release]
    (root / "releases.log").write_text("\n".join(order) + "\n")
    _prune(root, order[-keep:])
    return release


def _prune(root: Path, kept: list[str]) -> None:
    """Remove releases not kept, and hashed files no kept release serves."""
    wanted: set[tuple[str, str]] = set()
    for release in kept:
        folder = root / "releases" / release / "static"
        wanted |= {(digest, name) for name, digest in file_hashes(folder).items()}
    for folder in (root / "releases").iterdir():
        if folder.name not in kept:
            shutil.rmtree(folder)
    for digest_folder in (root / "by-hash").iterdir():
        static = digest_folder / "static"
        for path in sorted(static.rglob("*"), reverse=True):
            key = (digest_folder.name, path.relative_to(static).as_posix())
            if path.is_file() and key not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not static.exists() or not any(static.iterdir()):
            shutil.rmtree(digest_folder)


def main(argv: list[str] | None = None) -> int:
    """Run from the command line: print the release and what current points at."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the release's static folder")
    parser.add_argument("root", type=Path, help="where nginx serves from (/srv/guessthatmovie)")
    parser.add_argument("--keep", type=int, default=2, help="releases to keep (at least 2)")
    args = parser.parse_args(argv)
    try:
        release = publish(args.source, args.root, args.keep)
    except (OSError, ValueError) as error:
        print(f"release_static: {error}", file=sys.stderr)
        return 1
    print(f"static files of release {release} published under {args.root}/current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
