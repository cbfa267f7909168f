"""One turn, one screen, on an iPhone SE (375×667) and the smallest phones (320×568), JS on and off.

On arrival mid-game and after every move the newest clue and the guess field are both in sight
without scrolling; a new game shows its whole facts card above the pinned bar; "which one did you
mean?" shows every choice, likeliest first; the end shows the result, the share and the countdown
on one screen; and everything a player taps is at least 44 px each way.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ANSWER, OpenPlayer
from tests.browser.player import BrowserPlayer
from tests.catalogue import LITTLE_WOMEN, TITANICS

PHONES = [(375, 667), (320, 568)]
PHONE_IDS = ["375x667", "320x568"]

# The newest card's box, the field's, the pinned bar's and the choices', as the screen shows them.
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  const cards = document.querySelectorAll("#clues > li");
  const field = document.getElementById("guess");
  const turn = document.querySelector(".turn");
  const choices = [...document.querySelectorAll("#notice form button")];
  return { clue: box(cards[cards.length - 1]), field: field && box(field),
           bar: turn && turn.getBoundingClientRect().top, height: innerHeight,
           choices: choices.map((b) => [...box(b), b.getBoundingClientRect().width]) };
}"""
# How much of the newest card must show above a bar that lists choices: its heading and the
# first line of its words.
FIRST_LINE = 64


def assert_one_screen(player: BrowserPlayer, what: str) -> dict[str, Any]:
    """The newest clue card is whole on screen above the pinned bar; the field is on screen.

    While the bar lists choices, those are all on screen and the card's first line shows above.
    """
    seen: dict[str, Any] = player.page.evaluate(MEASURE)
    (top, bottom), (field_top, field_bottom) = seen["clue"], seen["field"]
    assert field_top >= 0 and field_bottom <= seen["height"], (what, seen)
    assert top >= 0, (what, seen)
    if seen["choices"]:
        assert top + FIRST_LINE <= seen["bar"] + 1, (what, seen)
        for choice_top, choice_bottom, _width in seen["choices"]:
            assert choice_top >= 0 and choice_bottom <= seen["height"], (what, seen)
    else:
        assert bottom <= seen["bar"] + 1, (what, seen)
    return seen


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
def test_every_move_and_every_arrival_fits_one_phone_screen(
    open_player: OpenPlayer, js: bool, width: int, height: int
) -> None:
    player = open_player(js=js, width=width, height=height)
    # A new game: the whole facts card above the bar.
    assert_one_screen(player, "new game")
    moves = [
        ("guess", "Lanterns Over Kyoto", True),
        ("guess", "Lanterns Over Kyoto", False),  # refused: already guessed
        ("guess", "Quiet Harbor Lights", False),  # refused: a misspelling, "did you mean"
        ("skip", "", True),
        ("guess", "Titanic", False),  # refused: which one did you mean?
        ("guess", "Glass Meridian (2016)", True),
        ("skip", "", True),
    ]
    for action, text, counted in moves:
        answer = player.skip() if action == "skip" else player.guess(text)
        assert answer.status in (200, 303, 422), answer.status
        assert_one_screen(player, f"{action} {text}")
        if counted:
            # Coming back mid-game (a new visit, not a reload) lands on the newest clue too.
            player.open("/")
            assert_one_screen(player, f"arrival after {action} {text}")
    player.guess(ANSWER)
    # The end: the result's heading on screen, without scrolling.
    heading = player.page.locator("#result-heading")
    expect(heading).to_be_in_viewport()
    if not js:
        assert player.page.url.endswith("/#result")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize(("width", "height"), PHONES, ids=PHONE_IDS)
@pytest.mark.parametrize(
    ("typed", "expected"), [("Titanic", TITANICS), ("little women", LITTLE_WOMEN)]
)
def test_which_one_shows_every_choice_likeliest_first(
    open_player: OpenPlayer, js: bool, width: int, height: int, typed: str, expected: list[str]
) -> None:
    player = open_player(js=js, width=width, height=height)
    player.skip()
    assert player.guess(typed).status == player.refused
    expect(player.notice).to_contain_text("Which one did you mean?")
    picks = player.notice.locator("form button .pick")
    assert picks.all_inner_texts() == expected
    seen = assert_one_screen(player, typed)
    bar_width = player.page.locator("#guess-form").evaluate("f => f.getBoundingClientRect().width")
    for _top, _bottom, choice_width in seen["choices"]:
        assert choice_width >= bar_width - 1  # a full-width row each
    assert player.notice.locator(".more").count() == 0  # none left out
    # The likeliest is one tap away: JS on, it fills the field; off, it plays that film.
    first = player.notice.locator("form button").first
    if js:
        first.click()
        expect(player.page.locator("#guess")).to_have_value(expected[0])
        player.press(player.form.locator("button[value=guess]"))
    else:
        player.press(first)
    expect(player.guesses.nth(1)).to_contain_text(expected[0])
    assert_one_screen(player, f"{typed}, picked")


@pytest.mark.parametrize("won", [True, False], ids=["won", "lost"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_the_end_fits_one_screen(open_player: OpenPlayer, js: bool, dark: bool, won: bool) -> None:
    player = open_player(js=js, width=375, height=667, dark=dark)
    player.skip()
    player.guess("Lanterns Over Kyoto")
    if won:
        player.guess(ANSWER)
    else:
        for _ in range(4):
            player.skip()
    share = "[data-share-button]" if js else "[data-share-text]"
    for shown in ("#result-heading", ".reveal-title", ".reveal-year", ".synopsis", share):
        expect(player.page.locator(shown)).to_be_in_viewport(ratio=1)
    expect(player.page.locator("[data-countdown]")).to_be_in_viewport(ratio=1)
    # The game is over: no instructions, and one border on the focused panel, its own colour.
    expect(player.page.locator("#help")).to_be_hidden()
    result = player.page.locator("[data-result]")
    if js:
        expect(result).to_be_focused()
    outline, border, _offset = result.evaluate(
        """r => { r.focus(); const s = getComputedStyle(r);
                  return [s.outlineColor, s.borderTopColor, s.outlineOffset]; }"""
    )
    assert outline == border
    # The squares look like the share text's: ⬛ skipped, 🟥 wrong, 🟩 right, ⬜ unused.
    squares = player.page.locator("#result .share-grid .square").evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).backgroundColor)"
    )
    dark_square, light_square = "rgb(29, 29, 36)", "rgb(251, 250, 247)"
    assert squares[0] == dark_square
    if won:  # skipped, wrong, right, then three unused
        assert squares[3:] == [light_square] * 3
    else:  # skipped, wrong, then four skipped
        assert squares[2:] == [dark_square] * 4


# Everything a player taps: links, buttons, fields, disclosure summaries, the typeahead's options.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
      "a, button, input:not([type=hidden]), textarea, summary, [role=option]"))
    .filter((el) => el.getClientRects().length && !el.classList.contains("skip-link"))
    .map((el) => [el.outerHTML.slice(0, 90), el.getBoundingClientRect()])
    .filter(([, r]) => r.width && (r.height < 44 || r.width < 44))
    .map(([html, r]) => [html, Math.round(r.width), Math.round(r.height)])"""


def assert_targets(player: BrowserPlayer, what: str) -> None:
    player.page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    small = player.page.evaluate(SMALL_TARGETS)
    assert small == [], what


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize(("width", "height"), [(375, 667), (1280, 800)], ids=["phone", "desktop"])
def test_every_tapped_target_is_44_px(
    open_player: OpenPlayer, js: bool, width: int, height: int
) -> None:
    player = open_player(js=js, width=width, height=height)
    assert_targets(player, "new game")
    if js:
        player.page.locator("#guess").press_sequentially("Little", delay=20)
        expect(player.page.locator("#guess-options [role=option]").first).to_be_visible()
        assert_targets(player, "typeahead")
        player.page.keyboard.press("Escape")
    player.guess("Titanic")
    assert_targets(player, "which one")
    player.guess("Quiet Harbor Lights")
    assert_targets(player, "did you mean")
    player.guess("Lanterns Over Kyoto")
    assert_targets(player, "mid-game")
    player.guess(ANSWER)
    assert_targets(player, "won")
    result_link = player.page.locator("[data-share-text]").input_value().split("\n")[-1]
    for page in ("/stats", "/archive", result_link):
        player.open(page)
        assert_targets(player, page)
    player.page.goto("/offline")  # the service worker's page: no htmx on it
    assert_targets(player, "offline")


def test_the_bar_stays_small(open_player: OpenPlayer) -> None:
    player = open_player(js=True, width=375, height=667)
    bar = player.page.locator(".turn")

    def height() -> float:
        return float(bar.evaluate("b => b.getBoundingClientRect().height"))

    assert height() <= 667 * 0.2  # no notice
    player.guess("Lanterns Over Kyoto")
    assert height() <= 667 * 0.25  # with a notice
    # An on-screen keyboard leaves 380 px: the typeahead fits above the field, below the
    # newest clue's first line.
    player.page.set_viewport_size({"width": 375, "height": 380})
    player.page.locator("#guess").press_sequentially("Little", delay=20)
    options = player.page.locator("#guess-options")
    expect(options.locator("[role=option]").first).to_be_visible()
    seen = player.page.evaluate(
        """() => { const r = (s) => document.querySelector(s).getBoundingClientRect();
                   const cards = document.querySelectorAll("#clues > li");
                   return { list: r("#guess-options"), field: r("#guess"),
                            clue: cards[cards.length - 1].getBoundingClientRect() }; }"""
    )
    assert seen["list"]["y"] >= 0 and seen["list"]["bottom"] <= seen["field"]["y"], seen
    assert seen["clue"]["y"] >= 0 and seen["clue"]["y"] + FIRST_LINE <= seen["list"]["y"], seen
    assert options.locator("[role=option]").count() >= 2


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_wins_flourish_honours_reduced_motion(open_player: OpenPlayer, motion: str) -> None:
    player = open_player(js=True, width=375, height=667)
    player.page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
    player.page.evaluate(
        """() => document.addEventListener("animationstart", (e) => {
             if (e.target.classList.contains("reveal-title")) window.popped = true; })"""
    )
    player.guess(ANSWER)
    expect(player.result).to_have_attribute("data-result", "won")
    player.page.wait_for_timeout(100)
    assert player.page.evaluate("() => window.popped === true") is (motion == "no-preference")
