"""Whole games as players play them: typeahead, skips, hints, the result and its share text.

With JavaScript on, titles are picked from the typeahead (keys, or a tap on a touch screen) and
the share text is copied with the Copy button. With JavaScript off, the same games are typed in
full or picked from the "did you mean" list, and the share text sits in its read-only box.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from guessthatmovie.game import schedule
from tests.browser.conftest import ANSWER, LiveServer, OpenPlayer
from tests.browser.player import BrowserPlayer
from tests.conftest import LAUNCH

SECRET = re.compile(r"quiet\W*harbou?r", re.IGNORECASE)


def number() -> int:
    return schedule.puzzle_number(datetime.now(UTC).date(), LAUNCH)


def pick_with_keys(player: BrowserPlayer, typed: str, label: str) -> None:
    """Type a few letters, arrow down to `label`, Enter to pick it, Enter again to send."""
    field = player.page.locator("#guess")
    field.click()
    field.press_sequentially(typed, delay=30)
    option = player.page.locator("#guess-options [role=option]", has_text=label)
    expect(option).to_have_count(1)
    while option.get_attribute("aria-selected") != "true":
        field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value(label)
    with player.page.expect_response(lambda r: "/moves" in r.url):
        field.press("Enter")
    player.settle()


def pick_with_a_tap(player: BrowserPlayer, typed: str, label: str) -> None:
    """Type a few letters, tap the option, tap Guess."""
    field = player.page.locator("#guess")
    field.tap()
    field.press_sequentially(typed, delay=30)
    player.page.locator("#guess-options [role=option]", has_text=label).tap()
    expect(field).to_have_value(label)
    player.press(player.form.locator("button[value=guess]"))


def copy_share_text(player: BrowserPlayer, live_server: LiveServer) -> str:
    player.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    player.page.get_by_role("button", name="Copy result").click()
    expect(player.page.locator("[data-share-status]")).to_have_text("Copied: paste it anywhere.")
    copied: str = player.page.evaluate("navigator.clipboard.readText()")
    return copied


def test_won_game_with_javascript(open_player: OpenPlayer, live_server: LiveServer) -> None:
    player = open_player(js=True)
    pick_with_keys(player, "kyo", "Lanterns Over Kyoto (2004)")
    expect(player.reviews).to_have_count(1)
    expect(player.guesses.first.locator("[data-hint=year]")).to_have_text(
        re.compile(r"2004: the answer is earlier")
    )
    player.skip()
    expect(player.page.locator("main")).not_to_contain_text(ANSWER)
    pick_with_keys(player, "quiet har", f"{ANSWER} (1998)")
    expect(player.result).to_have_attribute("data-result", "won")
    expect(player.result).to_be_focused()
    # Said once, by the result heading (focused): not by the notice, nor the attempts line.
    expect(player.notice).to_have_text("")
    expect(player.page.locator("#result-heading")).to_have_text("You got it in 3/6!")
    copied = copy_share_text(player, live_server)
    assert (
        copied
        == f"Guess That Movie #{number()} 3/6\n🟥⬛🟩⬜⬜⬜\n{live_server.url}/r/{number()}/xso"
    )
    assert not SECRET.search(copied)
    assert player.console_errors == []


def test_lost_game_with_javascript_on_a_touch_screen(
    open_player: OpenPlayer, live_server: LiveServer
) -> None:
    player = open_player(js=True, width=390, height=844, touch=True)
    for typed, label in [
        ("kyo", "Lanterns Over Kyoto (2004)"),
        ("glass", "Glass Meridian (2016)"),
        ("spider", "Spider-Moth (2019)"),
        ("ordinary", "An Ordinary Miracle (2001)"),
    ]:
        pick_with_a_tap(player, typed, label)
        assert not SECRET.search(player.page.content())
    player.skip()
    pick_with_a_tap(player, "salt", "Salt & Pepper Road (1983)")
    expect(player.result).to_have_attribute("data-result", "lost")
    expect(player.result).to_contain_text(ANSWER)
    assert player.outcomes() == ["wrong"] * 4 + ["skipped", "wrong"]
    expect(player.notice).to_have_text("")
    copied = copy_share_text(player, live_server)
    assert (
        copied
        == f"Guess That Movie #{number()} X/6\n🟥🟥🟥🟥⬛🟥\n{live_server.url}/r/{number()}/xxxxsx"
    )


def test_won_game_without_javascript(open_player: OpenPlayer, live_server: LiveServer) -> None:
    player = open_player(js=False)
    # A misspelt title costs nothing and offers the catalogue's nearest titles to press.
    assert player.guess("Lantrens Over Kyoto").status == 303
    pick = player.notice.get_by_role("button", name="Lanterns Over Kyoto (2004)")
    player.press(pick)
    assert player.outcomes() == ["wrong"]
    expect(player.guesses.first.locator("[data-hint=genres]")).to_have_text("No genres in common")
    player.skip()
    player.guess("the quiet harbour")
    expect(player.result).to_have_attribute("data-result", "won")
    box = player.page.locator("textarea[readonly][data-share-text]")
    expect(box).to_have_value(
        f"Guess That Movie #{number()} 3/6\n🟥⬛🟩⬜⬜⬜\n{live_server.url}/r/{number()}/xso"
    )
    expect(player.page.locator("[data-share-button]")).to_be_hidden()


def test_lost_game_without_javascript(open_player: OpenPlayer, live_server: LiveServer) -> None:
    player = open_player(js=False, width=360, height=740)
    for title in ("Spider-Moth", "Glass Meridian (1961)", "An Ordinary Miracle"):
        player.guess(title)
        assert not SECRET.search(player.page.content())
    for _ in range(3):
        player.skip()
    expect(player.result).to_have_attribute("data-result", "lost")
    expect(player.result).to_contain_text(ANSWER)
    box = player.page.locator("textarea[readonly][data-share-text]")
    expect(box).to_have_value(
        f"Guess That Movie #{number()} X/6\n🟥🟥🟥⬛⬛⬛\n{live_server.url}/r/{number()}/xxxsss"
    )
    assert player.page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
