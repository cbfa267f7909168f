"""The title typeahead and focus handling in a real browser: keys, taps, picks by id, layout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Response, expect

from tests.browser.conftest import ANSWER, OpenPlayer, screenshot
from tests.browser.player import BrowserPlayer


def field(player: BrowserPlayer) -> Locator:
    return player.page.locator("#guess")


def options(player: BrowserPlayer) -> Locator:
    return player.page.locator("#guess-options [role=option]")


def type_slowly(player: BrowserPlayer, text: str) -> None:
    """Type as a person does, one key at a time, so htmx's input trigger fires."""
    field(player).click()
    field(player).press_sequentially(text, delay=30)


def type_and_settle(player: BrowserPlayer, text: str) -> None:
    """Type, then wait until the options for the whole text are in: an answer to a shorter text
    arriving after the arrow key would replace the list the key moved in (a slow machine)."""

    def answers_all(response: Response) -> bool:
        query = parse_qs(urlsplit(response.url).query)
        return response.url.split("?")[0].endswith("/titles") and query.get("guess") == [text]

    with player.page.expect_response(answers_all):
        player.page.keyboard.type(text, delay=30)
    player.page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_arrow_keys_and_enter_pick_a_namesake_by_id(player: BrowserPlayer) -> None:
    type_slowly(player, "glass mer")
    expect(options(player)).to_have_count(2)
    expect(field(player)).to_have_attribute("aria-expanded", "true")
    # Neither has a count of critics: the newest first.
    expect(options(player)).to_have_text(["Glass Meridian (2016)", "Glass Meridian (1961)"])

    field(player).press("ArrowDown")
    field(player).press("ArrowDown")
    second = options(player).nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(options(player).first).to_have_attribute("aria-selected", "false")
    expect(field(player)).to_have_attribute(
        "aria-activedescendant", second.get_attribute("id") or ""
    )
    expect(field(player)).to_be_focused()

    field(player).press("Enter")  # picks; does not send yet
    expect(field(player)).to_have_value("Glass Meridian (1961)")
    expect(player.page.locator("#guess-options")).to_be_hidden()
    expect(field(player)).to_have_attribute("aria-expanded", "false")
    movie_id = player.page.locator("input[name=movie_id]").input_value()
    assert movie_id.isdigit()
    assert player.guesses.count() == 0

    with player.page.expect_response(lambda r: "/moves" in r.url) as answer:
        field(player).press("Enter")  # now it sends, with the id
    assert answer.value.status == 200
    assert f"movie_id={movie_id}" in (answer.value.request.post_data or "")
    player.settle()
    assert player.outcomes() == ["wrong"]
    expect(player.guesses.first.locator(".label")).to_have_text("Glass Meridian (1961)")
    expect(player.guesses.first.locator("[data-hint=year]")).to_contain_text("the answer is later")


def test_a_tap_picks_and_escape_closes(open_player: OpenPlayer) -> None:
    player = open_player(js=True, width=390, height=800, touch=True)
    type_slowly(player, "kyoto")
    expect(options(player)).to_have_count(1)
    field(player).press("Escape")
    expect(player.page.locator("#guess-options")).to_be_hidden()
    field(player).press("ArrowDown")  # opens it again
    expect(player.page.locator("#guess-options")).to_be_visible()
    options(player).first.tap()
    expect(field(player)).to_have_value("Lanterns Over Kyoto (2004)")
    player.press(player.form.locator("button[value=guess]"))
    assert player.outcomes() == ["wrong"]


def test_editing_after_a_pick_forgets_the_id(player: BrowserPlayer) -> None:
    type_slowly(player, "glass mer")
    expect(options(player)).to_have_count(2)
    options(player).first.click()
    assert player.page.locator("input[name=movie_id]").input_value() != ""
    field(player).press("End")
    field(player).press("Backspace")
    assert player.page.locator("input[name=movie_id]").input_value() == ""


def test_focus_lands_on_what_each_move_revealed(player: BrowserPlayer) -> None:
    player.guess("Lanterns Over Kyoto")
    expect(player.reviews.last).to_be_focused()
    player.page.keyboard.press("Tab")  # the next stop is the guess field
    expect(field(player)).to_be_focused()
    player.guess("Quiet Harbor Lights")  # unknown: nothing revealed, the player stays put
    expect(field(player)).to_be_focused()
    player.guess(ANSWER)
    expect(player.result).to_be_focused()


def test_keyboard_only_game(player: BrowserPlayer) -> None:
    """Tab to the field, type, pick with the keys, send with Enter: no mouse at all."""
    player.page.keyboard.press("Tab")  # the skip link
    while player.page.evaluate("document.activeElement.id") != "guess":
        player.page.keyboard.press("Tab")
    type_and_settle(player, "quiet harb")
    expect(options(player)).to_have_count(1)
    player.page.keyboard.press("ArrowDown")
    player.page.keyboard.press("Enter")
    with player.page.expect_response(lambda r: "/moves" in r.url):
        player.page.keyboard.press("Enter")
    player.settle()
    expect(player.result).to_have_attribute("data-result", "won")


@pytest.mark.parametrize("width", [320, 360])
def test_a_phone_screen_never_scrolls_sideways(open_player: OpenPlayer, width: int) -> None:
    player = open_player(js=True, width=width, height=740)
    player.guess("12 Angry Jurors (1957)")
    player.skip()
    type_slowly(player, "angry")
    expect(options(player).first).to_be_visible()
    overflow = player.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    small = player.page.evaluate(
        """() => [...document.querySelectorAll('button, summary, [role=option], input[type=text]')]
            .filter(el => el.offsetParent !== null)
            .map(el => el.getBoundingClientRect())
            .filter(box => box.height < 44 || box.width < 44).length"""
    )
    assert small == 0, "a touch target is smaller than 44 px"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_the_game(open_player: OpenPlayer, width: int, dark: bool) -> None:
    """Pictures of each state, and of the stats and archive pages, for people to look at."""
    theme = "dark" if dark else "light"
    player = open_player(js=True, width=width, height=900, dark=dark)
    assert screenshot(player, f"new-game-{width}-{theme}").stat().st_size > 0
    player.guess("Lanterns Over Kyoto")
    player.skip()
    type_slowly(player, "glass")
    expect(options(player)).to_have_count(2)
    screenshot(player, f"mid-game-{width}-{theme}")
    field(player).press("Escape")
    player.guess(ANSWER)
    expect(player.result).to_be_visible()
    screenshot(player, f"won-{width}-{theme}")
    for page in ("stats", "archive"):
        player.open(f"/{page}")
        screenshot(player, f"{page}-{width}-{theme}")
    lost = open_player(js=True, width=width, height=900, dark=dark)
    for _ in range(6):
        lost.skip()
    expect(lost.result).to_have_attribute("data-result", "lost")
    screenshot(lost, f"lost-{width}-{theme}")
