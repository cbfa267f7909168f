"""A player in a real browser tab: plays moves through the page's own form, as a person would."""

from __future__ import annotations

import base64
import binascii
import contextlib
import zlib
from collections.abc import Callable

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Frame,
    Locator,
    Page,
    Response,
    expect,
)
from playwright.sync_api import (
    TimeoutError as PlaywrightTimeoutError,
)

# Reports CSP violations as console errors, so a listener sees them across page loads too.
# Playwright injects this through the DevTools protocol, so the page's CSP does not block it.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
  );
});
"""

# The result's text without the countdown, which rightly moves on between two looks at the page.
WITHOUT_COUNTDOWN = """node => {
  const copy = node.cloneNode(true);
  copy.querySelectorAll("[data-countdown]").forEach((clock) => clock.remove());
  return copy.textContent.replace(/\\s+/g, " ").trim();
}"""

# htmx marks elements with these classes while a request, a swap or a settle is under way.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


class BrowserPlayer:
    """One player (one browser context, so its own cookies) on one tab of today's puzzle."""

    def __init__(self, context: BrowserContext, js: bool) -> None:
        self.context = context
        self.js = js
        self.page: Page = context.new_page()
        self.console_errors: list[str] = []
        self.navigations: list[str] = []
        self.responses: list[tuple[str, int]] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.on("framenavigated", self._on_navigation)
        self.page.on("response", lambda r: self.responses.append((r.url, r.status)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        text = f"{message.text} ({where})" if where else message.text
        self.console_errors.append(text)

    def _on_navigation(self, frame: Frame) -> None:
        if frame is self.page.main_frame:
            self.navigations.append(self.page.main_frame.url)

    # --- loading ------------------------------------------------------------------------------

    def open(self, path: str = "/") -> Response:
        """Load a page (and, with JavaScript on, wait until htmx has taken over the forms)."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == 200, f"GET {path} answered {response.status}"
        self.wait_for_htmx()
        self.wait_for_autofocus()
        return response

    def reload(self) -> Response:
        """Reload the page, as a player pressing F5."""
        response = self.page.reload()
        assert response is not None and response.status == 200
        self.wait_for_htmx()
        self.wait_for_autofocus()
        return response

    def wait_for_htmx(self) -> None:
        if self.js:
            self.page.wait_for_function("() => window.htmx !== undefined && htmx.version")

    def wait_for_autofocus(self) -> None:
        """Wait until the browser has focused the page's `autofocus` element (and scrolled to it).

        Browsers run autofocus at a rendering step after the load, not during it: a look taken
        right after the load event may come before it, on a busy machine.
        """
        # If nothing takes the focus, what the page shows is for the test's own checks to judge.
        with contextlib.suppress(PlaywrightTimeoutError):
            # A URL's fragment that names an element blocks autofocus (the HTML standard).
            self.page.wait_for_function(
                "() => !document.querySelector('[autofocus]')"
                " || document.activeElement !== document.body"
                " || (location.hash.length > 1"
                " && document.getElementById(location.hash.slice(1)) !== null)",
                polling=20,
                timeout=3000,
            )

    def settle(self) -> None:
        """Wait until htmx has no request, swap or settle under way."""
        if self.js:
            self.page.wait_for_function(
                f"() => document.querySelector({HTMX_BUSY!r}) === null", polling=20
            )

    # --- the markup a player sees -------------------------------------------------------------

    @property
    def guesses(self) -> Locator:
        return self.page.locator("[data-guess]")

    @property
    def reviews(self) -> Locator:
        return self.page.locator('[data-clue="review"]')

    @property
    def facts(self) -> Locator:
        return self.page.locator('[data-clue="facts"]')

    @property
    def attempts(self) -> Locator:
        return self.page.locator("[data-attempts-left]")

    @property
    def result(self) -> Locator:
        return self.page.locator("[data-result]")

    @property
    def notice(self) -> Locator:
        return self.page.locator("#notice")

    @property
    def form(self) -> Locator:
        return self.page.locator("#guess-form")

    def outcomes(self) -> list[str]:
        return [
            value or ""
            for value in self.guesses.evaluate_all("nodes => nodes.map(node => node.dataset.guess)")
        ]

    def snapshot(self) -> dict[str, object]:
        """What the player can see of the game, to compare a page before and after a reload."""
        return {
            "attempts_left": self.attempts.get_attribute("data-attempts-left"),
            "outcomes": self.outcomes(),
            "reviews": self.reviews.all_inner_texts(),
            "result": self.result.get_attribute("data-result") if self.result.count() else None,
            "result_text": self.result.evaluate(WITHOUT_COUNTDOWN) if self.result.count() else None,
        }

    # --- moves --------------------------------------------------------------------------------

    def guess(self, text: str) -> Response:
        """Type a title into the guess box and press Guess."""
        self.page.locator("#guess").fill(text)
        return self.press(self.form.locator("button[value=guess]"))

    def skip(self) -> Response:
        """Press Skip."""
        return self.press(self.form.locator("button[value=skip]"))

    def press(self, button: Locator) -> Response:
        """Press a move button and wait until the page shows the answer.

        With JavaScript on, returns the htmx request's response (a fragment, no navigation).
        With JavaScript off, returns the response of the form POST (a 303 for a counted move)
        after the browser has followed it and loaded the page it points to.
        """
        if self.js:
            with self.page.expect_response(is_move) as answer:
                button.click()
            answer.value.finished()
            self.settle()
            return answer.value
        with self.page.expect_navigation() as navigation:
            button.click()
        landed = navigation.value
        assert landed is not None
        self.page.wait_for_load_state()
        self.wait_for_autofocus()
        posted = landed.request.redirected_from or landed.request
        response = posted.response()
        assert response is not None
        return response

    # --- what the browser holds ---------------------------------------------------------------

    def cookie_text(self) -> str:
        """Every cookie of this player (HttpOnly ones too), raw and with signed payloads decoded."""
        parts = []
        for cookie in self.context.cookies():
            parts.append(f"{cookie['name']}={cookie['value']}")
            parts.append(decode_signed(cookie["value"]))
        return "\n".join(parts)

    # --- checks -------------------------------------------------------------------------------

    @property
    def refused(self) -> int:
        """Return the status of a refused move: 422 to htmx, 303 (to the page) for a plain form."""
        return 422 if self.js else 303

    def suggestion(self, label: str) -> Locator:
        """Return the "did you mean" button for a catalogue title."""
        return self.notice.locator(f'button[data-fill="{label}"]')

    def expect_attempts_left(self, left: int) -> None:
        expect(self.attempts).to_have_attribute("data-attempts-left", str(left))


def is_move(response: Response) -> bool:
    """Return whether a response answers a move (a guess or skip form post)."""
    return response.request.method == "POST" and "/moves" in response.url


def decode_signed(value: str) -> str:
    """Decode the payload of an itsdangerous-signed value (Flask's session cookie), if it is one."""
    compressed = value.startswith(".")
    payload = value.removeprefix(".").split(".")[0]
    try:
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if compressed:
            data = zlib.decompress(data)
    except (binascii.Error, ValueError, zlib.error):
        return ""
    return data.decode(errors="replace")


def play_to_a_loss(player: BrowserPlayer, answer: str, check: Callable[[Response], None]) -> None:
    """Skip six times, checking each move with `check`; the title shows only once it is lost."""
    main = player.page.locator("main")
    for move in range(1, 7):
        expect(main).not_to_contain_text(answer, ignore_case=True)
        check(player.skip())
        expect(player.guesses).to_have_count(move)
        if move < 6:
            player.expect_attempts_left(6 - move)
            expect(player.reviews).to_have_count(move)
            expect(player.result).to_have_count(0)

    expect(player.result).to_have_attribute("data-result", "lost")
    expect(player.result).to_contain_text(answer)
    expect(player.form).to_have_count(0)
    expect(player.attempts).to_contain_text("6 of 6 attempts used")
    expect(player.reviews).to_have_count(5)
