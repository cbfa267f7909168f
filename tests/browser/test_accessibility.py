"""Automated accessibility checks: axe-core on each state of a game, with JavaScript on and off.

axe-core comes from npm (a devDependency, installed into node_modules/ by `make assets`) and is
injected into the page by the test only. The page's CSP allows scripts from 'self' alone, so these
contexts bypass it; nothing else of the page changes.

A page with JavaScript off cannot run axe (its timers never fire), so each JavaScript-off state is
played in a JavaScript-off context, and the HTML it shows is served at the same URL to a second,
JavaScript-on tab that loads the same stylesheet but none of the page's scripts. axe runs there,
on the markup and styles a player without JavaScript gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from guessthatmovie.config import PROJECT_ROOT
from guessthatmovie.web.transfer import MALFORMED
from tests.browser.conftest import ANSWER, LiveServer
from tests.browser.player import BrowserPlayer

AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS!r}}}}})"
SHOWN_TARGETS = 3
STYLES_LOADED = """() => document.styleSheets.length > 0
    && [...document.styleSheets].every(sheet => sheet.cssRules.length > 0)"""


class Auditor:
    """Opens players in CSP-bypassing contexts and runs axe on what they see."""

    def __init__(self, browser: Browser, live_server: LiveServer, script: Path) -> None:
        self.browser = browser
        self.live_server = live_server
        self.script = script
        self.contexts: list[BrowserContext] = []
        self.dark = False

    def new_context(self, js: bool) -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.live_server.url,
            java_script_enabled=js,
            viewport={"width": 1024, "height": 800},
            bypass_csp=True,
            color_scheme="dark" if self.dark else "light",
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context

    def open_player(self, js: bool) -> BrowserPlayer:
        """A new player on today's puzzle, in a context where axe can be injected."""
        player = BrowserPlayer(self.new_context(js), js=js)
        player.open("/")
        return player

    def violations(self, player: BrowserPlayer) -> list[dict[str, Any]]:
        """Run axe on the page the player sees now; return its violations."""
        page = player.page if player.js else self.replay_without_scripts(player.page)
        # A new clue card fades in; judge colours once it has arrived, not halfway through.
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )
        page.add_script_tag(path=self.script)
        results: dict[str, Any] = page.evaluate(AXE_RUN)
        violations: list[dict[str, Any]] = results["violations"]
        return violations

    def replay_without_scripts(self, shown: Page) -> Page:
        """Serve the HTML of a JavaScript-off page, at its URL, to a tab that can run axe."""
        html = shown.content()
        url = shown.url
        page = self.new_context(js=True).new_page()

        def serve_snapshot(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        def abort(route: Route) -> None:
            route.abort()

        # The snapshot's own scripts (htmx) stay out: a JavaScript-off player never runs them.
        page.route(lambda address: urlsplit(address).path.endswith(".js"), abort)
        page.route(lambda address: address == url, serve_snapshot)
        response = page.goto(url)
        assert response is not None and response.ok
        # Contrast and layout checks need the page's own stylesheet, loaded and readable.
        assert page.evaluate(STYLES_LOADED), "the snapshot's stylesheet did not load"
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make assets` installs axe-core", pytrace=False)
    return AXE_SCRIPT


@pytest.fixture
def auditor(browser: Browser, live_server: LiveServer, axe_script: Path) -> Iterator[Auditor]:
    auditor = Auditor(browser, live_server, axe_script)
    yield auditor
    auditor.close()


def describe(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: rule, impact, help, and the first few offending elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        nodes = violation["nodes"]
        for node in nodes[:SHOWN_TARGETS]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(nodes) > SHOWN_TARGETS:
            lines.append(f"    ... and {len(nodes) - SHOWN_TARGETS} more elements")
    return "\n".join(lines)


# --- the states of a game, each played from a fresh page --------------------------------------


def fresh(player: BrowserPlayer) -> None:
    player.expect_attempts_left(6)


def unknown_title(player: BrowserPlayer) -> None:
    """A title not in the catalogue: a notice with suggestion buttons, no attempt used."""
    assert player.guess("Quiet Harbor Lights").status == player.refused
    expect(player.suggestion(f"{ANSWER} (1998)")).to_be_visible()


def mid_game(player: BrowserPlayer) -> None:
    """A wrong guess and a skip: two review clues, the guesses so far, the form still there."""
    player.guess("Lanterns Over Kyoto")
    player.skip()
    player.expect_attempts_left(4)
    expect(player.reviews).to_have_count(2)


def won_with_result_open(player: BrowserPlayer) -> None:
    """The game won on the third move, with the result's list of clues opened."""
    mid_game(player)
    player.guess(ANSWER)
    expect(player.result).to_have_attribute("data-result", "won")
    details = player.result.locator("details")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def lost(player: BrowserPlayer) -> None:
    """Six skips: the game lost, the answer shown."""
    for _ in range(6):
        player.skip()
    expect(player.result).to_have_attribute("data-result", "lost")


def high_contrast_mid_game(player: BrowserPlayer) -> None:
    """The player switched on high contrast (remembered by cookie), then played two moves."""
    player.page.locator("form.contrast button").click()
    player.page.wait_for_load_state()
    player.wait_for_htmx()
    assert player.page.locator("html").get_attribute("data-contrast") == "high"
    mid_game(player)


def stats_page(player: BrowserPlayer) -> None:
    """The statistics page after a win: the player's figures and everyone's."""
    won_with_result_open(player)
    player.open("/stats")
    expect(player.page.locator("[data-figures]")).to_be_visible()


def archive_page(player: BrowserPlayer) -> None:
    """The archive after a win: today's entry with its result and title."""
    won_with_result_open(player)
    player.open("/archive")
    expect(player.page.locator("[data-title]")).to_have_text(f"{ANSWER} (1998)")


def transfer_code_shown(player: BrowserPlayer) -> None:
    """The statistics page after a win, with a fresh transfer code shown."""
    stats_page(player)
    player.page.locator("form[data-transfer=create] button").click()
    player.page.wait_for_load_state()
    player.settle()
    expect(player.page.locator("[data-transfer-code]")).to_be_visible()


def transfer_code_refused(player: BrowserPlayer) -> None:
    """The statistics page with "I have a code" refusing what was typed (not a code: no limit)."""
    player.open("/stats")
    player.page.get_by_label("Transfer code").fill("K7QX")  # too short: no guess, not counted
    player.page.locator("form[data-transfer=redeem] button").click()
    player.page.wait_for_load_state()
    player.settle()
    expect(player.page.locator("[data-transfer-error]")).to_have_text(MALFORMED)


STATES: dict[str, Callable[[BrowserPlayer], None]] = {
    "fresh": fresh,
    "unknown-title": unknown_title,
    "mid-game": mid_game,
    "won": won_with_result_open,
    "lost": lost,
    "high-contrast": high_contrast_mid_game,
    "stats": stats_page,
    "archive": archive_page,
    "transfer-code": transfer_code_shown,
    "transfer-refused": transfer_code_refused,
}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_no_axe_violations(auditor: Auditor, js: bool, state: str, dark: bool) -> None:
    auditor.dark = dark
    player = auditor.open_player(js=js)
    STATES[state](player)
    violations = auditor.violations(player)
    mode = ("htmx" if js else "no-js") + (", dark" if dark else ", light")
    assert violations == [], (
        f"axe found {len(violations)} violation(s) on the {state} page ({mode}):\n"
        + describe(violations)
    )


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_planted_violations_would_be_reported(auditor: Auditor, js: bool) -> None:
    """The audit can fail: an unlabelled field and faint text planted in the page are found."""
    player = auditor.open_player(js=js)
    # Playwright's evaluate runs even with JavaScript off; the page's own scripts do not.
    player.page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend",
            '<input type="text" name="planted"><p style="color: #ddd">Faint words</p>'
        )"""
    )
    found = {violation["id"] for violation in auditor.violations(player)}
    assert {"label", "color-contrast"} <= found, found
