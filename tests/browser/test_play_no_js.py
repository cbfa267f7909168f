"""Playing with JavaScript off: plain form posts, each answered 303 and followed to the page."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Response, expect

from tests.browser.conftest import ANSWER
from tests.browser.player import BrowserPlayer, play_to_a_loss


def assert_redirected_home(player: BrowserPlayer, answer: Response) -> None:
    """A counted move answers 303 to the puzzle's page, and the browser has loaded it."""
    assert answer.request.method == "POST"
    assert answer.status == 303, answer.status
    assert urlsplit(answer.headers["location"]).path == "/"
    assert urlsplit(player.page.url).path == "/"


def assert_same_after_reload(player: BrowserPlayer) -> None:
    shown = player.snapshot()
    player.reload()
    assert player.snapshot() == shown


def test_winning_game_with_plain_forms(plain_player: BrowserPlayer) -> None:
    player = plain_player
    expect(player.facts).to_have_count(1)
    player.expect_attempts_left(6)

    assert_redirected_home(player, player.guess("Lanterns Over Kyoto"))
    expect(player.reviews).to_have_count(1)
    player.expect_attempts_left(5)
    expect(player.notice).to_contain_text("Wrong: Lanterns Over Kyoto")
    assert player.outcomes() == ["wrong"]
    assert_same_after_reload(player)

    assert_redirected_home(player, player.skip())
    expect(player.reviews).to_have_count(2)
    player.expect_attempts_left(4)
    assert player.outcomes() == ["wrong", "skipped"]
    assert_same_after_reload(player)

    assert_redirected_home(player, player.guess(ANSWER))
    expect(player.result).to_have_attribute("data-result", "won")
    expect(player.result).to_contain_text(ANSWER)
    expect(player.form).to_have_count(0)
    assert player.outcomes() == ["wrong", "skipped", "right"]
    assert_same_after_reload(player)

    # Every move and every reload was a page load of its own: 3 + 3.
    assert len(player.navigations) == 6, player.navigations
    assert player.console_errors == []


def test_losing_game_with_plain_forms(plain_player: BrowserPlayer) -> None:
    player = plain_player
    play_to_a_loss(player, ANSWER, lambda response: assert_redirected_home(player, response))
    assert_same_after_reload(player)
    assert player.console_errors == []


def test_unknown_title_suggestions_work_without_javascript(plain_player: BrowserPlayer) -> None:
    player = plain_player
    answer = player.guess("Quiet Harbor Lights")
    # Post/Redirect/Get, a refusal too: the notice and the typed text wait on the page.
    assert answer.status == 303
    assert player.page.url.endswith("/#latest-clue")
    expect(player.notice).to_contain_text(f"Did you mean {ANSWER} (1998)?")
    player.expect_attempts_left(6)
    expect(player.page.locator("#guess")).to_have_value("Quiet Harbor Lights")

    suggestion = player.notice.get_by_role("button", name=f"{ANSWER} (1998)")
    assert_redirected_home(player, player.press(suggestion))
    expect(player.result).to_have_attribute("data-result", "won")
    assert player.outcomes() == ["right"]


def test_back_and_reload_never_post_a_refused_move_again(plain_player: BrowserPlayer) -> None:
    player = plain_player
    posts: list[str] = []
    player.page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    player.guess("Lanterns Over Kyoto")  # counted
    assert player.guess("Lanterns Over Kyoto").status == 303  # a repeat: refused, redirected
    expect(player.notice).to_contain_text("already guessed")
    assert len(posts) == 2
    player.reload()  # a GET: no "Confirm Form Resubmission", the refusal was said once
    expect(player.notice).not_to_contain_text("already guessed")
    player.page.go_back()
    player.page.go_forward()
    assert len(posts) == 2, posts
    player.expect_attempts_left(5)
    assert player.outcomes() == ["wrong"]
