"""The installable app over HTTP: manifest, icons, service worker, offline page, and the CSP."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from PIL import Image

from guessthatmovie import CONTENT_SECURITY_POLICY, icons
from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.web import pwa
from tests.conftest import Player

SVG = (PROJECT_ROOT / "static" / "icons" / "app.svg").read_text()
CSS = (PROJECT_ROOT / "static" / "css" / "app.css").read_text()


def paper_colours() -> tuple[str, str]:
    """Return the --paper colour of app.css's light theme and of its dark theme."""
    light, dark = re.findall(r"--paper: (#[0-9a-f]{6})", CSS)[:2]
    return light, dark


def get_json(client: FlaskClient, url: str) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, object] = json.loads(response.get_data(as_text=True))
    return data


# --- manifest and page tags ----------------------------------------------------------------------


def test_manifest_describes_an_installable_app(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Guess That Movie"
    assert 0 < len(manifest["short_name"]) <= 12  # what fits under a home-screen icon
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    light, _dark = paper_colours()
    assert manifest["theme_color"] == manifest["background_color"] == light
    kinds = {(i["type"], i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert kinds == {
        ("image/svg+xml", "any", "any"),
        ("image/png", "192x192", "any"),
        ("image/png", "512x512", "any"),
        ("image/png", "512x512", "maskable"),
    }
    for entry in manifest["icons"]:
        icon = client.get(entry["src"])
        assert icon.status_code == 200 and icon.mimetype == entry["type"], entry
        if entry["type"] == "image/png":
            image = Image.open(io.BytesIO(icon.data))
            assert f"{image.width}x{image.height}" == entry["sizes"]


def test_every_page_links_the_manifest_icons_and_theme_colours(app: Flask, answer: str) -> None:
    client = app.test_client()
    light, dark = paper_colours()
    for path in ("/", "/stats", "/archive", "/no-such-page"):
        page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        assert page.find("link", rel="manifest")["href"] == "/manifest.webmanifest", path
        touch = page.find("link", rel="apple-touch-icon")["href"]
        image = Image.open(io.BytesIO(client.get(touch).data))
        assert image.size == (180, 180) and image.mode == "RGB"  # iOS fills transparency black
        themes = {
            m["media"]: m["content"] for m in page.find_all("meta", attrs={"name": "theme-color"})
        }
        assert themes == {
            "(prefers-color-scheme: light)": light,
            "(prefers-color-scheme: dark)": dark,
        }


def test_the_csp_allows_the_worker_and_manifest_without_loosening() -> None:
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in CONTENT_SECURITY_POLICY.split("; ")
    )
    # worker-src falls back to script-src, manifest-src to default-src: both 'self' only.
    assert "worker-src" not in directives and "manifest-src" not in directives
    assert "child-src" not in directives
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]


# --- icons -------------------------------------------------------------------------------------


def test_icons_are_drawn_from_the_svg_the_same_way_every_time() -> None:
    drawing = icons.parse_svg(SVG)
    assert (drawing.width, drawing.height) == (512, 512)
    background = drawing.shapes[0]
    assert background.kind == "rect" and background.numbers[:4] == (0, 0, 512, 512)
    assert icons.render_png(SVG, 192) == icons.render_png(SVG, 192)
    plain = Image.open(io.BytesIO(icons.render_png(SVG, 192))).convert("RGBA")
    masked = Image.open(io.BytesIO(icons.render_png(SVG, 192, maskable=True)))
    red = tuple(int(background.fill[i : i + 2], 16) for i in (1, 3, 5))
    # "any" keeps the SVG's rounded corners; maskable fills its square for the platform's mask.
    assert plain.getpixel((0, 0))[3] == 0
    assert masked.mode == "RGB" and masked.getpixel((0, 0)) == red
    # Both show the white film frame in the middle.
    assert plain.getpixel((41, 96))[:3] == masked.getpixel((41, 96)) == (255, 255, 255)


def test_the_maskable_icon_keeps_its_design_inside_the_safe_zone() -> None:
    """Android may cut the icon to a circle of 80 % of its width: every shape but the backdrop
    stays inside it."""
    drawing = icons.parse_svg(SVG)
    centre, radius = drawing.width / 2, drawing.width * 0.4
    for shape in drawing.shapes[1:]:
        if shape.kind == "rect":
            x, y, width, height, _ = shape.numbers
            corners = [(x, y), (x + width, y), (x, y + height), (x + width, y + height)]
        else:
            corners = list(zip(shape.numbers[0::2], shape.numbers[1::2], strict=True))
        for cx, cy in corners:
            assert (cx - centre) ** 2 + (cy - centre) ** 2 <= radius**2, shape


def test_the_renderer_refuses_shapes_it_cannot_draw() -> None:
    with pytest.raises(ValueError, match="circle"):
        icons.parse_svg('<svg viewBox="0 0 8 8"><circle cx="4" cy="4" r="2" fill="#000"/></svg>')


def test_icon_urls_are_versioned_and_cached_for_a_year(app: Flask) -> None:
    client = app.test_client()
    with app.test_request_context():
        versioned = url_for("pwa.icon", name="icon-512")
    assert re.fullmatch(r"/icons/icon-512\.png\?v=[0-9a-f]{12}", versioned)
    current = client.get(versioned)
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/icons/icon-512.png").headers["Cache-Control"] == "public, max-age=3600"
    again = client.get(versioned, headers={"If-None-Match": current.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/icons/secret.png").status_code == 404
    assert client.get("/icons/..%2Fsw.png").status_code == 404


# --- service worker and offline page -----------------------------------------------------------


def worker_constants(script: str) -> dict[str, object]:
    found = dict(re.findall(r"^const (\w+) = (.+);$", script, re.MULTILINE))
    return {name: json.loads(value) for name, value in found.items()}


def test_the_worker_is_served_from_the_root_and_never_stale(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response.headers  # at the root, its scope is "/"
    assert (
        client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    )
    constants = worker_constants(response.get_data(as_text=True))
    assert constants["OFFLINE"] == "/offline"
    assert re.fullmatch(r"gtm-[0-9a-f]{12}", str(constants["CACHE"]))
    assets = constants["ASSETS"]
    assert isinstance(assets, list) and len(assets) == len(pwa.PRECACHED_STATIC)
    for url in assets:
        # Content-hashed static files only: a new release is a new URL, never a stale answer.
        assert re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", url), url
        assert client.get(url).status_code == 200, url


def test_the_worker_caches_nothing_but_its_list(app: Flask) -> None:
    script = app.test_client().get("/sw.js").get_data(as_text=True)
    # Two writes to a cache in the whole script: the install step's addAll of the list, and
    # nothing in the fetch handler (pages always come from the network).
    assert script.count("cache.addAll(") == 1
    assert ".put(" not in script and "cache.add(" not in script
    fetch_handler = script[script.index('addEventListener("fetch"') :]
    assert "caches.open" not in fetch_handler


def test_worker_manifest_and_offline_page_are_the_same_for_every_player(
    app: Flask, answer: str
) -> None:
    stranger = app.test_client()
    player = Player(app.test_client(), htmx=False)
    for _ in range(6):
        player.skip()  # a finished game: the answer is on this player's pages now
    for path in ("/sw.js", "/manifest.webmanifest", "/offline"):
        theirs = stranger.get(path)
        mine = player.client.get(path)
        assert theirs.data == mine.data, path
        assert "Set-Cookie" not in theirs.headers, path
        assert "harbour" not in theirs.get_data(as_text=True).casefold(), path


def test_offline_page_is_a_static_page_in_the_site_style(app: Flask) -> None:
    response = app.test_client().get("/offline")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text() == "You're offline — today's puzzle will be here when you're back"
    assert page.find("form") is None and page.find("script") is None
    # Shown in place of any page: "Try again" asks for that page again (an empty link), not /.
    assert page.find("a", string="Try again")["href"] == ""
    script = app.test_client().get("/sw.js").get_data(as_text=True)
    stylesheet = page.find("link", rel="stylesheet")["href"]
    assert urlsplit(stylesheet).path == "/static/css/app.css"
    assert stylesheet in worker_constants(script)["ASSETS"]  # type: ignore[operator]


def test_the_script_registers_the_worker() -> None:
    script = (PROJECT_ROOT / "static" / "js" / "app.js").read_text()
    assert 'navigator.serviceWorker.register("/sw.js")' in script
