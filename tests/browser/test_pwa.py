"""The installable app in Chromium: installability, the offline page, and what the worker keeps."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.browser.conftest import CHROMIUM_ARGS, LiveServer, OpenPlayer
from tests.browser.player import CSP_REPORTER

OFFLINE_TEXT = "You're offline — today's puzzle will be here when you're back"
# Every URL the worker keeps, in every cache it has (it should have one).
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url);
  }
  return urls;
}"""


def precached(live_server: LiveServer) -> list[str]:
    """Return the static URLs the worker script lists, read from /sw.js as browsers get it."""
    with urllib.request.urlopen(live_server.url + "/sw.js", timeout=5) as response:
        script = response.read().decode()
    listed = re.search(r"^const ASSETS = (\[.*\]);$", script, re.MULTILINE)
    assert listed is not None, script
    assets: list[str] = json.loads(listed.group(1))
    return assets


def wait_for_worker(page: Page) -> None:
    """Wait until the service worker is active and controls this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # A function, not a bare expression: polling a bare expression needs eval, which the CSP
    # refuses (it passed only when the worker was already in control at the first check).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


@pytest.fixture
def profile(
    browser: Browser, chromium: Path, live_server: LiveServer, tmp_path: Path
) -> Iterator[BrowserContext]:
    """A browser with a profile on disk: Chromium never finds an incognito window installable."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(chromium),
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_REPORTER)
    yield context
    context.close()


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_chromium_finds_the_game_installable(profile: BrowserContext) -> None:
    page = profile.pages[0] if profile.pages else profile.new_page()
    errors = console_errors(page)
    page.goto("/")
    wait_for_worker(page)
    cdp = profile.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert urlsplit(manifest["url"]).path == "/manifest.webmanifest"
    assert manifest["errors"] == []
    parsed = json.loads(manifest["data"])
    assert parsed["start_url"] == "/" and parsed["display"] == "standalone"
    assert errors == []


def test_offline_the_worker_shows_the_offline_page(profile: BrowserContext) -> None:
    page = profile.pages[0] if profile.pages else profile.new_page()
    errors = console_errors(page)
    page.goto("/")
    wait_for_worker(page)
    profile.set_offline(True)
    for path in ("/", "/puzzle/1", "/stats"):
        page.goto(path)
        expect(page.locator("h1")).to_have_text(OFFLINE_TEXT)
        # Styled by app.css, which came from the worker's cache: the page's own paper colour.
        paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert paper == "rgb(251, 250, 247)"
    profile.set_offline(False)
    page.get_by_role("link", name="Try again").click()  # the page asked for, not /
    expect(page.locator("h1")).not_to_have_text(OFFLINE_TEXT)
    assert urlsplit(page.url).path == "/stats"
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Stats")
    page.goto("/")
    expect(page.locator("#guess-form")).to_be_visible()
    assert errors == []


def test_the_worker_keeps_static_files_only(
    open_player: OpenPlayer, live_server: LiveServer
) -> None:
    player = open_player(js=True)
    wait_for_worker(player.page)
    # A whole game through the worker: pages, fragments, typeahead, the result.
    player.page.locator("#guess").press_sequentially("Lant", delay=30)
    expect(player.page.locator("#guess-options [role=option]").first).to_be_visible()
    player.guess("Lanterns Over Kyoto")
    for _ in range(5):
        player.skip()
    expect(player.result).to_be_visible()
    for path in ("/stats", "/archive", "/"):
        player.open(path)
    kept = player.page.evaluate(CACHED_URLS)
    paths = sorted(urlsplit(url).path + "?" + urlsplit(url).query for url in kept)
    expected = sorted([*precached(live_server), "/offline?"])
    assert paths == expected
    assert all(p.startswith("/static/") and "?v=" in p for p in expected if p != "/offline?")
    assert player.console_errors == []
