"""A shared result link in a real browser: axe in both themes, JavaScript off, screenshots.

Screenshots of the page (375 and 1280 px wide) and the picture it points to go to the git-ignored
screenshots/ folder, for a person to look at.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from guessthatmovie.game import schedule
from tests.browser.conftest import SCREENSHOTS, LiveServer, OpenPlayer, screenshot
from tests.browser.player import BrowserPlayer
from tests.browser.test_accessibility import AXE_SCRIPT, Auditor, describe
from tests.conftest import LAUNCH


def result_path(grid: str = "xso") -> str:
    number = schedule.puzzle_number(datetime.now(UTC).date(), LAUNCH)
    return f"/r/{number}/{grid}"


@pytest.fixture
def auditor(browser: Browser, live_server: LiveServer) -> Iterator[Auditor]:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make assets` installs axe-core", pytrace=False)
    auditor = Auditor(browser, live_server, AXE_SCRIPT)
    yield auditor
    auditor.close()


@pytest.mark.parametrize("grid", ["xso", "xxxxxx"], ids=["won", "lost"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_no_axe_violations_on_a_result_link(
    auditor: Auditor, js: bool, dark: bool, grid: str
) -> None:
    auditor.dark = dark
    player = BrowserPlayer(auditor.new_context(js), js=js)
    player.open(result_path(grid))
    violations = auditor.violations(player)
    assert violations == [], describe(violations)


def test_without_javascript_the_link_leads_to_todays_game(open_player: OpenPlayer) -> None:
    player = open_player(js=False)
    player.open(result_path())
    squares = player.page.locator("[data-square]")
    expect(squares).to_have_count(6)
    expect(squares.nth(0)).to_contain_text("Attempt 1: wrong")
    player.page.get_by_role("link", name="Play today's puzzle").click()
    player.page.wait_for_load_state()
    expect(player.page.locator("#guess-form")).to_be_visible()
    assert urlsplit(player.page.url).path == "/"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_a_result_link(open_player: OpenPlayer, width: int, dark: bool) -> None:
    player = open_player(js=True, width=width, height=800, dark=dark)
    player.open(result_path())
    expect(player.page.get_by_role("link", name="Play today's puzzle")).to_be_visible()
    assert player.page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert (
        screenshot(player, f"result-link-{width}-{'dark' if dark else 'light'}").stat().st_size > 0
    )
    assert player.console_errors == []  # no CSP violation, no script error


def test_the_picture_a_preview_shows(live_server: LiveServer, open_player: OpenPlayer) -> None:
    player = open_player(js=True)
    player.open(result_path())
    image = player.page.locator('meta[property="og:image"]').get_attribute("content")
    assert image == live_server.url + result_path() + ".png"
    with urllib.request.urlopen(image, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/png"
        data = response.read()
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "result-link-preview.png").write_bytes(data)
    assert data.startswith(b"\x89PNG")
