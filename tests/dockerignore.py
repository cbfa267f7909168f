"""Docker's .dockerignore rules, reimplemented to compute a build context without a Docker engine.

It follows moby's patternmatcher (what `docker build` uses): lines are trimmed, `#` lines and blank
lines skipped, each pattern cleaned like a path with any leading `/` dropped; `*` and `?` never
cross `/`, `**` matches any number of folders (none included); `!` re-includes; the last pattern
that matches a path or one of its parent folders decides.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pattern:
    """One .dockerignore line: its text, whether it re-includes, and its compiled form."""

    text: str
    exclusion: bool
    regex: re.Pattern[str]

    def matches(self, path: str) -> bool:
        """Tell whether `path` (slash-separated, relative) matches this pattern."""
        return self.regex.match(path) is not None


def _compile(pattern: str) -> re.Pattern[str]:
    out = "^"
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1 : i + 2] == "*":
                i += 2
                if pattern[i : i + 1] == "/":  # "**/" is treated as "**"
                    i += 1
                out += ".*" if i >= len(pattern) else "(.*/)?"
                continue
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        elif ch in "[]-^":  # character classes pass through, as in Go's filepath.Match
            out += ch
        else:
            out += re.escape(ch)
        i += 1
    return re.compile(out + "$")


def parse(text: str) -> list[Pattern]:
    """Read the patterns of a .dockerignore file."""
    patterns = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        cleaned = posixpath.normpath(line)
        if len(cleaned) > 1 and cleaned.startswith("/"):
            cleaned = cleaned.lstrip("/")
        patterns.append(Pattern(cleaned, exclusion, _compile(cleaned)))
    return patterns


def is_excluded(patterns: list[Pattern], path: str) -> bool:
    """Tell whether Docker leaves `path` out of the context (moby's MatchesOrParentMatches)."""
    parents = path.split("/")[:-1]
    excluded = False
    for pattern in patterns:
        # Only a pattern that could flip the current verdict is worth evaluating.
        if pattern.exclusion != excluded:
            continue
        match = pattern.matches(path) or any(
            pattern.matches("/".join(parents[: i + 1])) for i in range(len(parents))
        )
        if match:
            excluded = not pattern.exclusion
    return excluded


def build_context(root: Path) -> set[str]:
    """Return the relative paths of the files `docker build root` would send to the engine."""
    ignore = root / ".dockerignore"
    patterns = parse(ignore.read_text()) if ignore.exists() else []
    reincluded = [p.text for p in patterns if p.exclusion]
    files: set[str] = set()
    for folder, dirs, names in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        # Like Docker, skip walking an excluded folder unless a "!" pattern could reach inside it.
        dirs[:] = [
            d
            for d in dirs
            if not is_excluded(patterns, prefix + d)
            or any(r.startswith(prefix + d + "/") or r.startswith("*") for r in reincluded)
        ]
        files.update(prefix + n for n in names if not is_excluded(patterns, prefix + n))
    return files
