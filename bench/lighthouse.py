"""Lighthouse mobile scores of the game's pages: performance, accessibility, best practices, SEO.

    .venv/bin/python bench/lighthouse.py [--path / --path /stats ...] [--keep-reports DIR]

Serves the game (sample catalogue, SQLite, gunicorn) on a free port and runs the npm
`lighthouse` that `make assets` installs (node_modules/.bin) with Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium), mobile emulation and throttling (Lighthouse's
defaults), against each path as a first visit. Prints the four scores per page and every audit
that cost points; exits 1 if a score is below --target (default 100).
The app serves its static files itself here, without nginx's compression: the scores are the
uncompressed worst case.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404: runs the npm lighthouse CLI
import sys
import tempfile
from pathlib import Path

from sample_site import ROOT, sample_site

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def audit(url: str, report: Path) -> dict[str, object]:
    """Run Lighthouse on one URL and return its JSON report."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(  # nosec B603
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    result: dict[str, object] = json.loads(report.read_text())
    return result


def lost_points(result: dict[str, object]) -> list[str]:
    """Return the audits of the four categories that scored below 1, as readable lines."""
    audits = result["audits"]
    categories = result["categories"]
    assert isinstance(audits, dict) and isinstance(categories, dict)
    lines = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            found = audits[ref["id"]]
            score = found.get("score")
            if ref.get("weight", 0) and score is not None and score < 1:
                shown = found.get("displayValue", "")
                lines.append(f"  {name}: {ref['id']} {score:.2f} {found['title']} {shown}")
    return lines


def main() -> None:
    """Audit each page and print the scores."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", action="append", help="page to audit (default /)")
    parser.add_argument("--target", type=int, default=100, help="lowest acceptable score")
    parser.add_argument("--keep-reports", type=Path, help="folder for the JSON reports")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make assets`")
    folder = args.keep_reports or Path(tempfile.mkdtemp(prefix="gtm-lighthouse-"))
    folder.mkdir(parents=True, exist_ok=True)
    below = False
    with sample_site() as base:
        for path in args.path or ["/"]:
            name = path.strip("/").replace("/", "-") or "today"
            result = audit(base + path, folder / f"{name}.json")
            categories = result["categories"]
            assert isinstance(categories, dict)
            scores = {c: round(categories[c]["score"] * 100) for c in CATEGORIES}
            below = below or min(scores.values()) < args.target
            environment = result["environment"]
            assert isinstance(environment, dict)
            # Lighthouse's measure of this machine's CPU at the time: a busy machine scores low
            # and its Total Blocking Time grows, so read a performance score with it.
            index = environment.get("benchmarkIndex")
            print(
                f"{path}: " + ", ".join(f"{c} {s}" for c, s in scores.items()),
                f"(CPU benchmark index {index})",
            )
            print("\n".join(lost_points(result)) or "  no audit lost points")
    print(f"reports in {folder}")
    sys.exit(1 if below else 0)


if __name__ == "__main__":
    main()
