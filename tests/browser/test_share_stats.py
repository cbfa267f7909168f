"""Share/Copy, the countdown, and the stats and archive pages in a real browser."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Response, Route, expect

from guessthatmovie.game import schedule
from tests.browser.conftest import ANSWER, LiveServer, OpenPlayer
from tests.browser.player import BrowserPlayer, play_to_a_loss
from tests.conftest import LAUNCH

SECRET = re.compile(r"quiet\W*harbou?r", re.IGNORECASE)


def todays_number() -> int:
    return schedule.puzzle_number(datetime.now(UTC).date(), LAUNCH)


def counted(response: Response) -> None:
    assert response.status in (200, 303), response.status


def win_in_two(player: BrowserPlayer) -> None:
    player.skip()
    player.guess(ANSWER)
    expect(player.result).to_have_attribute("data-result", "won")


def test_copy_puts_the_share_text_on_the_clipboard(
    open_player: OpenPlayer, live_server: LiveServer
) -> None:
    player = open_player(js=True)
    player.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    play_to_a_loss(player, ANSWER, counted)
    n = todays_number()
    expected = f"Guess That Movie #{n} X/6\n⬛⬛⬛⬛⬛⬛\n{live_server.url}/r/{n}/ssssss"
    box = player.page.locator("[data-share-text]")
    expect(box).to_have_value(expected)
    button = player.page.get_by_role("button", name="Copy result")
    expect(button).to_be_visible()  # revealed by the script, after an htmx swap
    button.click()
    status = player.page.locator("[data-share-status]")
    expect(status).to_have_text("Copied: paste it anywhere.")
    expect(status).to_be_visible()
    # Said once: the button keeps its name, only the status speaks.
    expect(player.page.locator("[data-share-button]")).to_have_text("Copy result")
    assert player.page.evaluate("navigator.clipboard.readText()") == expected
    assert SECRET.search(expected) is None
    assert player.console_errors == []


def test_copy_after_a_reload_and_blocked_copying_selects_the_text(
    open_player: OpenPlayer, live_server: LiveServer
) -> None:
    """Where the Clipboard API is refused (no permission here), the text is selected instead."""
    player = open_player(js=True)
    win_in_two(player)
    player.reload()
    player.page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('blocked')); }"
    )
    player.page.get_by_role("button", name="Copy result").click()
    expect(player.page.locator("[data-share-status]")).to_contain_text("Copying is blocked")
    selected = player.page.evaluate(
        """() => { const box = document.querySelector("[data-share-text]");
                   return box.value.substring(box.selectionStart, box.selectionEnd); }"""
    )
    assert selected.startswith(f"Guess That Movie #{todays_number()} 2/6\n⬛🟩⬜⬜⬜⬜\n")


def test_without_javascript_the_box_holds_the_share_text(
    open_player: OpenPlayer, live_server: LiveServer
) -> None:
    player = open_player(js=False)
    win_in_two(player)
    box = player.page.locator("textarea[readonly][data-share-text]")
    n = todays_number()
    expect(box).to_have_value(
        f"Guess That Movie #{n} 2/6\n⬛🟩⬜⬜⬜⬜\n{live_server.url}/r/{n}/so"
    )
    expect(player.page.get_by_label("Copy this text to share it")).to_be_visible()
    expect(player.page.locator("[data-share-button]")).to_be_hidden()  # it needs the script
    expect(player.page.locator("[data-stat=played]")).to_have_text("1")


def test_the_countdown_ticks(player: BrowserPlayer) -> None:
    win_in_two(player)
    clock = player.page.locator("time[data-countdown]")
    first = clock.inner_text()
    assert re.fullmatch(r"\d{1,2}:\d\d:\d\d", first)
    player.page.wait_for_function(
        "first => document.querySelector('time[data-countdown]').textContent !== first", arg=first
    )
    assert re.fullmatch(r"\d{1,2}:\d\d:\d\d", clock.inner_text())


def test_at_zero_the_countdown_points_to_the_new_puzzle(open_player: OpenPlayer) -> None:
    """The page is served one second before midnight (the server's text, nudged by the test)."""
    player = open_player(js=True, service_workers="block")  # so that page.route sees the page
    win_in_two(player)

    def one_second_left(route: Route) -> None:
        response = route.fetch()
        body = re.sub(r'data-countdown="\d+"', 'data-countdown="1"', response.text())
        route.fulfill(response=response, body=body)

    player.page.route(lambda address: urlsplit(address).path == "/", one_second_left)
    player.reload()
    box = player.page.locator("[data-countdown-box]")
    expect(box).to_have_text("A new puzzle is out: play it.")
    expect(box.get_by_role("link", name="play it")).to_have_attribute("href", "/")


def test_stats_and_archive_fit_a_320px_screen(open_player: OpenPlayer) -> None:
    player = open_player(js=True, width=320, height=640)
    win_in_two(player)
    for path in (None, "/stats", "/archive"):
        if path:
            player.open(path)
        width = player.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path or 'the result'} scrolls sideways: {width}px wide"
    expect(player.page.locator(f"[data-puzzle='{todays_number()}'] [data-title]")).to_have_text(
        f"{ANSWER} (1998)"
    )


# Headless Chromium on Linux has no share sheet: this stands in for the phone's, recording calls.
FAKE_SHARE_SHEET = """
window.sharedTexts = [];
navigator.share = (data) => { window.sharedTexts.push(data.text); return Promise.resolve(); };
"""


def test_a_touch_device_gets_the_share_sheet(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    try:
        context.set_default_timeout(10_000)
        context.add_init_script(FAKE_SHARE_SHEET)
        player = BrowserPlayer(context, js=True)
        player.open("/")
        win_in_two(player)
        button = player.page.get_by_role("button", name="Share result")
        expect(button).to_be_visible()
        button.click()
        expect(player.page.locator("[data-share-status]")).to_have_text("Shared")
        n = todays_number()
        expected = f"Guess That Movie #{n} 2/6\n⬛🟩⬜⬜⬜⬜\n{live_server.url}/r/{n}/so"
        assert player.page.evaluate("window.sharedTexts") == [expected]
    finally:
        context.close()
