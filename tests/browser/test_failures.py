"""With JavaScript, a move that cannot reach the server, or meets a 429 or a 5xx, says so in the
notice, keeps the typed text and offers to send it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from guessthatmovie.config import PROJECT_ROOT
from tests.browser.conftest import OpenPlayer
from tests.browser.player import is_move


def test_a_move_sent_offline_says_so_and_can_be_sent_again(open_player: OpenPlayer) -> None:
    player = open_player(js=True, width=375, height=667, service_workers="block")
    player.page.locator("#guess").fill("Lanterns Over Kyoto")
    player.context.set_offline(True)
    player.form.locator("button[value=guess]").click()
    expect(player.notice).to_contain_text("Could not reach the game")
    expect(player.notice).to_be_in_viewport()
    expect(player.page.locator("#guess")).to_have_value("Lanterns Over Kyoto")
    player.expect_attempts_left(6)

    player.context.set_offline(False)
    with player.page.expect_response(is_move) as answer:
        player.notice.get_by_role("button", name="Try again").click()
    assert answer.value.status == 200
    player.settle()
    assert player.outcomes() == ["wrong"]
    expect(player.notice).to_contain_text("Wrong: Lanterns Over Kyoto")


@pytest.mark.parametrize(
    ("status", "fragment", "said"),
    [
        (429, "busy-fragment.html", "Too many requests"),
        (502, "unavailable-fragment.html", "briefly unavailable"),
    ],
)
def test_a_busy_or_failing_server_is_said_and_the_skip_sent_again(
    open_player: OpenPlayer, status: int, fragment: str, said: str
) -> None:
    player = open_player(js=True, service_workers="block")
    body = (PROJECT_ROOT / "static" / "errors" / fragment).read_text()
    failing = True

    def answer(route: Route) -> None:
        if failing:
            route.fulfill(status=status, body=body, content_type="text/html")
        else:
            route.continue_()

    player.page.route("**/moves", answer)
    player.page.locator("#guess").fill("half typed")
    assert player.skip().status == status
    expect(player.notice).to_contain_text(said)
    expect(player.page.locator("#guess")).to_have_value("half typed")
    player.expect_attempts_left(6)

    failing = False
    retry = player.notice.get_by_role("button", name="Try again")
    assert player.press(retry).status == 200
    assert player.outcomes() == ["skipped"]  # the same move: the skip, not a guess
