"""One turn, one screen: at 375×667 (an iPhone SE), after every move, JS on and off, the newest
clue and the guess field are both in sight without scrolling; the end lands on the result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ANSWER, OpenPlayer
from tests.browser.player import BrowserPlayer

WIDTH, HEIGHT = 375, 667

# The newest card's box, the field's and the pinned bar's top, as the screen shows them.
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  const cards = document.querySelectorAll("#clues > li");
  const field = document.getElementById("guess");
  const turn = document.querySelector(".turn");
  return { clue: box(cards[cards.length - 1]), field: field && box(field),
           bar: turn && turn.getBoundingClientRect().top, height: innerHeight };
}"""


def assert_one_screen(player: BrowserPlayer, what: str) -> None:
    """The newest clue card is whole on screen above the pinned bar; the field is on screen."""
    seen = player.page.evaluate(MEASURE)
    (top, bottom), (field_top, field_bottom) = seen["clue"], seen["field"]
    assert top >= 0 and bottom <= seen["bar"] + 1, (what, seen)
    assert field_top >= 0 and field_bottom <= seen["height"], (what, seen)


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_every_move_fits_one_phone_screen(open_player: OpenPlayer, js: bool) -> None:
    player = open_player(js=js, width=WIDTH, height=HEIGHT)
    moves = [
        ("guess", "Lanterns Over Kyoto"),
        ("guess", "Lanterns Over Kyoto"),  # refused: already guessed
        ("guess", "Quiet Harbor Lights"),  # refused: unknown, with suggestions
        ("skip", ""),
        ("guess", "Glass Meridian (2016)"),
        ("skip", ""),
    ]
    for action, text in moves:
        answer = player.skip() if action == "skip" else player.guess(text)
        assert answer.status in (200, 303, 422), answer.status
        assert_one_screen(player, f"{action} {text}")
    player.guess(ANSWER)
    # The end: the result's heading on screen, without scrolling.
    heading = player.page.locator("#result-heading")
    expect(heading).to_be_in_viewport()
    if not js:
        assert player.page.url.endswith("/#result")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_targets_are_44_px_tall(open_player: OpenPlayer, js: bool) -> None:
    player = open_player(js=js, width=WIDTH, height=HEIGHT)
    player.guess("Quiet Harbor Lights")  # suggestion buttons too
    small = player.page.evaluate(
        """() => Array.from(document.querySelectorAll(
              "header a, nav a, button, input:not([type=hidden]), summary, .suggestions button"))
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == []
