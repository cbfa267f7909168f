"""The back button after a few moves: always a whole, current page, never a stale fragment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ANSWER, OpenPlayer
from tests.browser.player import BrowserPlayer


def assert_whole_current_page(player: BrowserPlayer, outcomes: list[str]) -> None:
    expect(player.page.locator("html head title")).to_have_count(1)
    expect(player.facts).to_have_count(1)
    expect(player.guesses).to_have_count(len(outcomes))
    assert player.outcomes() == outcomes
    expect(player.reviews).to_have_count(len(outcomes))
    player.expect_attempts_left(6 - len(outcomes))
    expect(player.form).to_be_visible()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_back_after_a_few_moves(open_player: OpenPlayer, js: bool) -> None:
    player = open_player(js=js)
    player.guess("Lanterns Over Kyoto")
    player.skip()
    player.guess("Spider-Moth")
    outcomes = ["wrong", "skipped", "wrong"]
    assert_whole_current_page(player, outcomes)

    # Leave for another page, then come back with the browser's Back button.
    player.page.goto("/titles?guess=harbour")
    expect(player.page.locator("h1")).to_contain_text("Titles matching")
    player.page.go_back()
    player.page.wait_for_load_state()
    player.wait_for_htmx()
    assert_whole_current_page(player, outcomes)

    if not js:
        # Each counted move was a POST answered by a 303: Back walks the pages of the same game,
        # each fetched afresh (no-store), and never re-posts a move.
        player.page.go_back()
        player.page.wait_for_load_state()
        assert_whole_current_page(player, outcomes)

    # The restored page still plays.
    player.guess(ANSWER)
    expect(player.result).to_have_attribute("data-result", "won")
    assert player.outcomes() == [*outcomes, "right"]
