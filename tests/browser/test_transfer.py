"""Moving stats to another device in real browsers: two contexts are two devices, plus a third.

The first device wins today's game and makes a code. The second had played an earlier puzzle
from the archive and started today's; it redeems the code and then shows the first device's
finished game and the same statistics, its archive game merged in. A third device's try with
the used code is refused. All of it with JavaScript on and off.

Then, on a phone (375×667, touch), the forms forgive: Reload after either form posts nothing
(without JavaScript both answer 303 to /stats), a mistyped code is "not right" and stays in the
field to be corrected, and the code is shown on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from guessthatmovie import create_app
from guessthatmovie.extensions import db
from guessthatmovie.game import titles, transfer
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import puzzles
from guessthatmovie.web.transfer import NOT_RIGHT, USED
from tests.browser.conftest import ANSWER, SECRET_KEY, LiveServer, OpenPlayer, screenshot
from tests.browser.player import BrowserPlayer
from tests.conftest import LAUNCH

EARLIER_ANSWER = "Spider-Moth"


@pytest.fixture(scope="module")
def earlier_puzzle(live_server: LiveServer) -> int:
    """Schedule an earlier puzzle (three days ago) on the live server's database, once."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": live_server.database_url,
            "GAME_LAUNCH_DATE": LAUNCH,
            "GAME_TIMEZONE": "UTC",
        }
    )
    with app.app_context():
        now = datetime.now(UTC)
        day = now.date() - timedelta(days=3)
        puzzle = puzzles.puzzle_on(day)
        if puzzle is None:
            movie = catalogue_queries.movies_matching(titles.parse_guess(EARLIER_ANSWER))[0]
            puzzle = puzzles.set_puzzle(day, movie, LAUNCH, now)
        number = puzzle.number
        db.session.remove()
        db.engine.dispose()
    return number


def stats_of(player: BrowserPlayer) -> dict[str, str]:
    """Open /stats and read the player's figures."""
    player.open("/stats")
    figures = player.page.locator("dd[data-stat]")
    names = figures.evaluate_all("nodes => nodes.map(node => node.dataset.stat)")
    return dict(zip(names, figures.all_inner_texts(), strict=True))


def submit(player: BrowserPlayer, form: str, button: str) -> int:
    """Press a transfer form's button; return the status of the answer to its POST."""
    locator = player.page.locator(f"form[data-transfer={form}]").get_by_role("button", name=button)
    is_post = lambda r: r.request.method == "POST" and "/transfer/" in r.url  # noqa: E731
    # Without JavaScript the form posts and loads a page; with it, htmx swaps the answer in, or
    # (a redeem that worked) follows HX-Redirect to the stats page.
    with player.page.expect_response(is_post) as answer:
        locator.click()
    status = answer.value.status
    player.page.wait_for_load_state()
    player.settle()
    return status


def make_code(player: BrowserPlayer) -> str:
    """Press "Play on another device" on /stats and read the code shown."""
    player.open("/stats")
    assert submit(player, "create", "Play on another device") == (200 if player.js else 303)
    shown = player.page.locator("[data-transfer-code]")
    expect(shown).to_be_visible()
    expect(player.page.locator("[data-transfer-expiry] time")).to_be_visible()
    return shown.inner_text().strip()


def redeem(player: BrowserPlayer, typed: str) -> int:
    """Type a code into "I have a code" on /stats and send it."""
    player.open("/stats")
    player.page.get_by_label("Transfer code").fill(typed)
    return submit(player, "redeem", "Use this code")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_stats_move_to_another_device(
    open_player: OpenPlayer, live_server: LiveServer, earlier_puzzle: int, js: bool
) -> None:
    log_before = live_server.log_path.stat().st_size
    laptop = open_player(js=js)
    laptop.open(f"/puzzle/{earlier_puzzle}")
    laptop.skip()
    laptop.guess(EARLIER_ANSWER)
    expect(laptop.result).to_have_attribute("data-result", "won")
    laptop.open("/")
    laptop.skip()  # today's game started here too: the phone's finished one will stand
    laptop.expect_attempts_left(5)

    phone = open_player(js=js)
    phone.skip()
    phone.guess(ANSWER)
    expect(phone.result).to_have_attribute("data-result", "won")
    code = make_code(phone)
    mode = "htmx" if js else "no-js"
    screenshot(phone, f"transfer-code-{mode}")
    assert transfer.parse_code(code) is not None and len(code) == 14  # XXXX-XXXX-XXXX
    assert code not in phone.page.url and code.replace("-", "") not in phone.page.url

    # Typed as a person might: lower case, a space for the dash.
    assert redeem(laptop, code.lower().replace("-", " ")) in (200, 303)
    expect(laptop.page).to_have_url(f"{live_server.url}/stats")
    expect(laptop.page.locator("[data-transfer-done]")).to_be_visible()
    screenshot(laptop, f"transfer-done-{mode}")

    merged = stats_of(laptop)
    assert merged == stats_of(phone)  # the phone reads the merged history too
    assert merged == {
        "played": "2",  # today's win on the phone and the laptop's archive win
        "win-percent": "100",
        "current-streak": "1",  # the archive game counts as played, never in a streak
        "max-streak": "1",
    }

    laptop.open("/")
    phone.open("/")
    expect(laptop.result).to_have_attribute("data-result", "won")
    # The phone's game, not the laptop's skip. (Everyone's figures may be cached per worker
    # for a while, so the two tabs' results are compared without them.)
    seen = [device.snapshot() for device in (laptop, phone)]
    for shown in seen:
        shown.pop("result_text")
    assert seen[0] == seen[1]
    for part in ("[data-result] .answer", "[data-result] [data-stats]"):
        assert laptop.page.locator(part).inner_text() == phone.page.locator(part).inner_text()
    assert laptop.outcomes() == ["skipped", "right"]
    for device in (laptop, phone):
        device.open("/archive")
        entry = device.page.locator(f"[data-puzzle='{earlier_puzzle}']")
        expect(entry).to_have_attribute("data-status", "won")

    tablet = open_player(js=js)
    assert redeem(tablet, code) == (422 if js else 303)
    expect(tablet.page.locator("[data-transfer-error]")).to_have_text(USED)
    expect(tablet.page.get_by_label("Transfer code")).to_be_focused()
    screenshot(tablet, f"transfer-refused-{mode}")
    assert stats_of(tablet)["played"] == "0"

    with live_server.log_path.open("rb") as log:
        log.seek(log_before)
        logged = log.read().decode(errors="replace")
    assert "/transfer/redeem" in logged  # the access log saw the requests...
    for form in (code, code.replace("-", ""), code.lower(), code.lower().replace("-", " ")):
        assert form not in logged  # ...and never the code
    # The browser itself reports the refused code's 422; nothing else may go wrong anywhere.
    assert [e for e in tablet.console_errors if "status of 422" not in e] == []
    assert len(tablet.console_errors) == (1 if js else 0)
    assert laptop.console_errors == phone.console_errors == []


def posts_during(player: BrowserPlayer, action: Callable[[], object]) -> list[str]:
    """Run an action; return the URLs of the POST requests the page sent meanwhile."""
    sent: list[str] = []
    listener = lambda request: sent.append(request.url) if request.method == "POST" else None  # noqa: E731
    player.page.on("request", listener)
    try:
        action()
        player.page.wait_for_load_state()
        player.settle()
    finally:
        player.page.remove_listener("request", listener)
    return sent


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_the_transfer_forms_forgive_on_a_phone(
    open_player: OpenPlayer, live_server: LiveServer, js: bool
) -> None:
    phone = open_player(js=js, width=375, height=667, touch=True)
    code = make_code(phone)
    shown = phone.page.locator("[data-transfer-code]")
    # One line: an inline element broken over two lines has two client rectangles.
    assert shown.evaluate("node => node.getClientRects().length") == 1
    box = shown.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    # Reload: the same code, and no POST (no new code made).
    assert posts_during(phone, phone.reload) == []
    expect(shown).to_have_text(code)
    assert code not in phone.page.url

    laptop = open_player(js=js, width=375, height=667, touch=True)
    typo = code[:-1] + ("Z" if code[-1] != "Z" else "Y")  # one character wrong
    assert redeem(laptop, typo.lower()) == (422 if js else 303)
    expect(laptop.page.locator("[data-transfer-error]")).to_have_text(NOT_RIGHT)
    field = laptop.page.get_by_label("Transfer code")
    expect(field).to_have_value(typo.lower())  # kept, to be corrected rather than typed again
    expect(field).to_be_focused()
    screenshot(laptop, f"transfer-typo-{'htmx' if js else 'no-js'}")
    # Reload posts nothing (without JavaScript the page is the GET a 303 led to).
    assert posts_during(laptop, laptop.reload) == []
    # Corrected in place, the code works.
    field.fill(code)
    assert submit(laptop, "redeem", "Use this code") in (200, 303)
    expect(laptop.page).to_have_url(f"{live_server.url}/stats")
    expect(laptop.page.locator("[data-transfer-done]")).to_be_visible()
    assert posts_during(laptop, laptop.reload) == []
    assert [e for e in laptop.console_errors if "status of 422" not in e] == []
    assert phone.console_errors == []
