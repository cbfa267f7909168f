"""Playing with JavaScript on: every move is an htmx swap on the same page, never a navigation."""

from __future__ import annotations

from playwright.sync_api import Response, expect

from tests.browser.conftest import ANSWER
from tests.browser.player import BrowserPlayer, play_to_a_loss

MARKER = "window.__samePage"


def mark_page(player: BrowserPlayer) -> None:
    """Leave a value on window that only survives as long as the document does."""
    player.page.evaluate(f"{MARKER} = 'still here'")


def assert_same_page(player: BrowserPlayer) -> None:
    assert player.navigations == [], f"a move navigated: {player.navigations}"
    assert player.page.evaluate(MARKER) == "still here", "the page was reloaded"


def test_winning_game_swaps_fragments_in_place(player: BrowserPlayer) -> None:
    mark_page(player)
    expect(player.facts).to_have_count(1)
    expect(player.reviews).to_have_count(0)
    expect(player.guesses).to_have_count(0)
    player.expect_attempts_left(6)

    answer = player.guess("Lanterns Over Kyoto")
    assert answer.status == 200
    assert answer.request.headers.get("hx-request") == "true"
    expect(player.reviews).to_have_count(1)
    expect(player.reviews.first).to_contain_text("Clue 2")
    player.expect_attempts_left(5)
    expect(player.notice).to_contain_text("Wrong: Lanterns Over Kyoto")
    assert player.outcomes() == ["wrong"]
    expect(player.page.locator("#guess")).to_have_value("")

    assert player.skip().status == 200
    expect(player.reviews).to_have_count(2)
    player.expect_attempts_left(4)
    expect(player.notice).to_contain_text("Skipped")
    assert player.outcomes() == ["wrong", "skipped"]

    assert player.guess(ANSWER).status == 200
    expect(player.result).to_have_attribute("data-result", "won")
    expect(player.result).to_contain_text(ANSWER)
    expect(player.result).to_contain_text("3/6")
    expect(player.form).to_have_count(0)
    expect(player.reviews).to_have_count(2)  # a right guess reveals no new clue
    assert player.outcomes() == ["wrong", "skipped", "right"]
    player.expect_attempts_left(0)

    assert_same_page(player)
    assert player.console_errors == []

    # The swapped page and a fresh load of it agree.
    shown = player.snapshot()
    player.reload()
    assert player.snapshot() == shown


def test_losing_game_names_the_movie_only_at_the_end(player: BrowserPlayer) -> None:
    mark_page(player)

    def swapped(response: Response) -> None:
        assert response.status == 200

    play_to_a_loss(player, ANSWER, swapped)
    player.expect_attempts_left(0)
    assert player.outcomes() == ["skipped"] * 6

    assert_same_page(player)
    assert player.console_errors == []

    shown = player.snapshot()
    player.reload()
    assert player.snapshot() == shown


def test_unknown_title_offers_suggestions_that_play(player: BrowserPlayer) -> None:
    mark_page(player)
    answer = player.guess("Quiet Harbor Lights")
    assert answer.status == 422
    expect(player.notice).to_contain_text(f"Did you mean {ANSWER} (1998)?")
    expect(player.notice).to_contain_text("No attempt used")
    suggestion = player.notice.get_by_role(
        "button", name=f"Put “{ANSWER} (1998)” in the guess field"
    )
    expect(suggestion).to_be_visible()
    expect(suggestion).to_have_text(f"{ANSWER} (1998)")
    player.expect_attempts_left(6)
    expect(player.guesses).to_have_count(0)
    expect(player.reviews).to_have_count(0)
    # The typed text stays in the box, so the player can correct it.
    expect(player.page.locator("#guess")).to_have_value("Quiet Harbor Lights")

    # With JS a pick fills the field, costing nothing; the player then presses Guess.
    suggestion.click()
    expect(player.page.locator("#guess")).to_have_value(f"{ANSWER} (1998)")
    expect(player.page.locator("#guess")).to_be_focused()
    player.expect_attempts_left(6)
    assert player.press(player.form.locator("button[value=guess]")).status == 200
    expect(player.result).to_have_attribute("data-result", "won")
    expect(player.result).to_contain_text(ANSWER)
    expect(player.result).to_contain_text("1/6")
    assert player.outcomes() == ["right"]
    expect(player.notice.get_by_role("button")).to_have_count(0)
    assert_same_page(player)
