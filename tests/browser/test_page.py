"""The page as a browser loads it: assets, console, CSP, answer secrecy, a narrow phone screen."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Response, expect

from tests.browser.conftest import ANSWER, LiveServer, OpenPlayer
from tests.browser.player import BrowserPlayer

SECRET = re.compile(r"quiet\W*harbou?r", re.IGNORECASE)


def test_page_loads_cleanly_under_its_csp(player: BrowserPlayer) -> None:
    statuses = {url.split("?")[0]: status for url, status in player.responses}
    htmx = [url for url in statuses if url.endswith("/static/vendor/htmx.min.js")]
    assert htmx, f"the page did not load htmx: {sorted(statuses)}"
    assert statuses[htmx[0]] == 200
    css = [url for url in statuses if url.endswith("/static/css/app.css")]
    assert css and statuses[css[0]] == 200
    assert player.page.evaluate("typeof htmx.version") == "string"

    document = player.page.request.get("/")
    assert "script-src 'self'" in document.headers["content-security-policy"]

    # A few moves, so htmx's swaps run under the CSP too.
    player.guess("Lanterns Over Kyoto")
    player.guess("Quiet Harbor Lights")
    player.skip()
    player.expect_attempts_left(4)
    # Chromium logs every 4xx answer to a request as an error; the unknown title's notice comes
    # with a 422 on purpose (nothing was counted), so that one line is expected.
    refused = re.compile(r"status of 422 .*/moves\)$")
    unexpected = [error for error in player.console_errors if not refused.search(error)]
    assert unexpected == []
    assert len(player.console_errors) == 1, player.console_errors


def test_csp_violations_would_be_reported(player: BrowserPlayer) -> None:
    """The console check above can see CSP violations: an inline script is refused and reported."""
    player.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true";
            document.body.append(script);
        }"""
    )
    expect_violation = re.compile(r"CSP violation: script-src")
    for _ in range(100):  # the report arrives asynchronously: give it up to two seconds
        if any(expect_violation.search(error) for error in player.console_errors):
            break
        player.page.wait_for_timeout(20)
    assert player.page.evaluate("window.__inlineRan === undefined")
    assert any(expect_violation.search(error) for error in player.console_errors), (
        player.console_errors
    )


def test_favicon_is_served(live_server: LiveServer) -> None:
    """Browsers ask for /favicon.ico by themselves; a 404 there is a console error per page."""
    try:
        with urllib.request.urlopen(live_server.url + "/favicon.ico", timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 200


def assert_answer_hidden(player: BrowserPlayer, answer: Response | None = None) -> None:
    """Neither the page's HTML, nor the move's answer, nor any cookie names the answer."""
    html = player.page.content()
    assert not SECRET.search(html), "the page names the answer before the end"
    if answer is not None:
        # A 303 has no body to read; its headers still must not give the movie away.
        body = answer.text() if not 300 <= answer.status < 400 else ""
        assert not SECRET.search(body + str(answer.headers)), "a response names the answer"
    cookies = player.cookie_text()
    assert not SECRET.search(cookies), f"a cookie names the answer: {cookies}"


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_answer_stays_secret_until_the_game_is_lost(open_player: OpenPlayer, js: bool) -> None:
    player = open_player(js=js)
    assert player.cookie_text(), "the player should have a session cookie"
    assert_answer_hidden(player)

    answer = player.guess("Quiet Harbor Lights")  # suggests the answer by name: not a move
    assert answer.status == player.refused
    player.open("/")
    assert_answer_hidden(player)

    answer = player.guess("Lanterns Over Kyoto")
    assert_answer_hidden(player, answer)
    for left in (4, 3, 2, 1):
        answer = player.skip()
        player.expect_attempts_left(left)
        assert_answer_hidden(player, answer)
    # The snippets that quote the title are on the page, with the title blanked out.
    expect(player.reviews).to_have_count(5)
    expect(player.reviews.filter(has_text="▇▇▇▇")).to_have_count(2)
    player.reload()
    assert_answer_hidden(player)

    player.skip()
    expect(player.result).to_have_attribute("data-result", "lost")
    expect(player.result).to_contain_text(ANSWER)
    assert SECRET.search(player.page.content())
    assert not SECRET.search(player.cookie_text())


def test_narrow_phone_screen_fits(open_player: OpenPlayer) -> None:
    player = open_player(js=True, width=360, height=740)
    page = player.page

    def assert_fits() -> None:
        for control in (
            page.locator("#guess"),
            player.form.locator("button[value=guess]"),
            player.form.locator("button[value=skip]"),
        ):
            expect(control).to_be_visible()
            box = control.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (control, box)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways: {width}px wide"

    assert_fits()
    player.guess("Quiet Harbor Lights")  # long suggestion buttons
    expect(player.notice.get_by_role("button").first).to_be_visible()
    assert_fits()
    player.guess("12 Angry Jurors")  # two movies share the title: a choice of both
    assert_fits()
    player.skip()
    player.skip()
    player.expect_attempts_left(4)
    assert_fits()
