"""Measure the bytes a first visit downloads: HTML + CSS + JS, compressed as nginx serves them.

    .venv/bin/python bench/page_weight.py [--budget 30720]

Serves the game (sample catalogue, SQLite, gunicorn) on a free port, fetches today's page as a
new visitor, and every stylesheet, script and icon the page links. Pages are sent as they are
(nginx/guessthatmovie.conf has `gzip off` for them, against BREACH); static files are compressed
with the settings of its `location ^~ /static/` block (gzip_types, gzip_min_length and
gzip_comp_level, nginx's default level 1 when unset) using zlib, the library nginx uses.
Prints one line per file, the total of HTML + CSS + JS against the budget, and exits 1 over it.
Response headers are not counted (HTTP/2's HPACK makes them a few dozen bytes each).
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from sample_site import ROOT, sample_site

NGINX_SITE = ROOT / "nginx" / "guessthatmovie.conf"
# nginx's /etc/nginx/mime.types for the extensions the page links.
TYPES = {".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class GzipRules:
    """The static location's compression settings."""

    types: frozenset[str]
    min_length: int
    level: int


def static_gzip_rules(site: str) -> GzipRules:
    """Read the gzip settings of the `location ^~ /static/` block of the nginx site file, or
    those it inherits from the server block around it (set outside any location)."""
    block = re.search(r"location \^~ /static/ \{(.*?)\n    \}", site, re.S)
    if block is None or not re.search(r"\bgzip on;", block[1]):
        raise SystemExit(f"{NGINX_SITE} no longer gzips /static/: update bench/page_weight.py")
    server = re.sub(r"\n    location [^\n]*\{.*?\n    \}", "", site, flags=re.S)

    def setting(pattern: str) -> re.Match[str] | None:
        return re.search(pattern, block[1]) or re.search(pattern, server)

    types = setting(r"gzip_types ([^;]+);")
    min_length = setting(r"gzip_min_length (\d+);")
    level = setting(r"gzip_comp_level (\d+);")
    return GzipRules(
        # text/html is always compressed when gzip is on; only static files are, here.
        types=frozenset(["text/html", *(types[1].split() if types else [])]),
        min_length=int(min_length[1]) if min_length else 20,
        level=int(level[1]) if level else 1,
    )


def gzip_size(data: bytes, level: int) -> int:
    """Return the size of a gzip stream of `data` (18 bytes of gzip header and trailer added)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return len(compressor.compress(data) + compressor.flush()) + 18


def fetch(url: str) -> bytes:
    """GET a URL (loopback only) and return its body."""
    with urllib.request.urlopen(url, timeout=10) as response:  # nosec B310: our own server
        body: bytes = response.read()
        return body


def main() -> None:
    """Measure and print the first visit's weight."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=int, default=30 * 1024, help="bytes (default 30 KiB)")
    args = parser.parse_args()
    rules = static_gzip_rules(NGINX_SITE.read_text())
    rows: list[tuple[str, str, int, int]] = []
    with sample_site() as base:
        html = fetch(base + "/")
        rows.append(("html", "/ (page, not compressed)", len(html), len(html)))
        soup = BeautifulSoup(html, "html.parser")
        links = [("css", link["href"]) for link in soup.select("link[rel~=stylesheet][href]")]
        links += [("js", script["src"]) for script in soup.select("script[src]")]
        links += [("other", link["href"]) for link in soup.select("link[rel~=icon][href]")]
        links += [("other", link["href"]) for link in soup.select("link[rel=manifest][href]")]
        for kind, href in links:
            body = fetch(urljoin(base + "/", str(href)))
            kind_type = TYPES.get(Path(str(href).split("?")[0]).suffix, "")
            compressed = kind_type in rules.types and len(body) >= rules.min_length
            wire = gzip_size(body, rules.level) if compressed else len(body)
            rows.append((kind, str(href), len(body), wire))
    print(
        f"nginx static gzip: level {rules.level}, min length {rules.min_length}, types "
        f"{' '.join(sorted(rules.types))}"
    )
    print(f"{'kind':<6}{'raw B':>9}{'wire B':>9}  url")
    for kind, href, raw, wire in rows:
        print(f"{kind:<6}{raw:9d}{wire:9d}  {href}")
    total = sum(wire for kind, _href, _raw, wire in rows if kind in {"html", "css", "js"})
    other = sum(wire for kind, _href, _raw, wire in rows if kind == "other")
    print(
        f"HTML + CSS + JS on the wire: {total} B ({total / 1024:.1f} KiB); budget "
        f"{args.budget} B; icon/manifest besides: {other} B"
    )
    sys.exit(0 if total <= args.budget else 1)


if __name__ == "__main__":
    main()
