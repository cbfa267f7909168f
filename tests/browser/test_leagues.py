"""Leagues in real browsers on a phone (375×667), JavaScript on and off.

Friends start a league from the statistics page, join by its invite link, see each other's
squares on the day's board (after a reload without JavaScript, after htmx's refresh with it),
never the film or a guess; a member leaves, the keeper removes one, and the removed member's
page says so with a 404. A league of ten members with long names fits a phone without sideways
scrolling, every tap target is 44 px, and axe finds nothing on any league page, light or dark.

Members who only need to exist, join or play do it over HTTP through a browser context's request
API (its own cookies, the same forms a browser sends), which is quick; a member whose page a test
looks at is a real tab.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import ANSWER, LiveServer, OpenPlayer, screenshot
from tests.browser.player import BrowserPlayer
from tests.browser.test_accessibility import AXE_SCRIPT, Auditor, describe

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
LEAGUE_URL = re.compile(r".*/leagues/(\d+)$")
LEAGUES_URL = re.compile(r".*/leagues$")
SECRET = re.compile(r"quiet\W*harbou?r", re.IGNORECASE)
WRONG = "Lanterns Over Kyoto"
ALSO_WRONG = "Spider-Moth"
LONG_LEAGUE = "The Extraordinarily Long Named Film Club"  # 40 characters, the most
LONG_NAMES = ["Wolfeschlegelsteinhausen"] + [f"Wolfeschlegelsteinhaus{n:02d}" for n in range(1, 10)]
NOT_MEMBER = "not (or no longer) in it"

# Each member's line of today's board: [name, squares or "playing"/"not yet"], sorted by name.
BOARD = """() => [...document.querySelectorAll("[data-league-member]")].map((line) => {
  const name = line.querySelector(".member-name").firstChild.textContent.trim();
  const squares = [...line.querySelectorAll("[data-square]")].map((s) => s.dataset.square);
  const state = line.querySelector(".member-state");
  return [name, squares.length ? squares.join(" ") : state.textContent.trim()];
}).sort()"""

# Everything a player taps on a league page, and its size where either side is under 44 px.
SMALL_TARGETS = """() => [...document.querySelectorAll(
      "a, button, input:not([type=hidden]), select, textarea, summary")]
    .filter((el) => el.getClientRects().length && !el.classList.contains("skip-link"))
    .map((el) => [el.outerHTML.slice(0, 90), el.getBoundingClientRect()])
    .filter(([, r]) => r.width && (r.height < 44 || r.width < 44))
    .map(([html, r]) => [html, Math.round(r.width), Math.round(r.height)])"""

# The page's width against the screen's, and any element whose box pokes out to the right.
SIDEWAYS = """() => {
  const root = document.documentElement;
  const out = [...document.querySelectorAll("main *")]
    .filter((el) => el.getClientRects().length)
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map((el) => el.outerHTML.slice(0, 80));
  return { scroll: root.scrollWidth, client: root.clientWidth, out };
}"""

# Names whose text is clipped (an ellipsis, or hidden overflow): ten "Wolfeschlege…" look alike.
CUT_SHORT = """() => [...document.querySelectorAll(
      "th[scope=row], .member-name, .league-names li, [data-league-list] a")]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => [el.textContent.trim(), el.scrollWidth, el.clientWidth])"""

# Table headings of one word that the layout broke over two lines ("Playe / d").
BROKEN_HEADINGS = """() => [...document.querySelectorAll("thead th")].filter((th) => {
  const range = document.createRange();
  range.selectNodeContents(th);
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return th.textContent.trim().split(/\\s+/).length === 1 && lines.size > 1;
}).map((th) => th.textContent.trim())"""

# --- members over HTTP ------------------------------------------------------------------------


class Friend:
    """A member acting over HTTP only: a browser context's request API, so its own cookies."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context

    def html(self, path: str) -> BeautifulSoup:
        response = self.context.request.get(path)
        assert response.ok, (path, response.status)
        return BeautifulSoup(response.text(), "html.parser")

    def submit(self, path: str, selector: str, **data: str) -> str:
        """Send the form `selector` of the page at `path`; return where it leads."""
        form = self.html(path).select_one(selector)
        assert form is not None, f"no {selector} on {path}"
        fields: dict[str, str | float | bool] = {
            str(i["name"]): str(i.get("value", "")) for i in form.find_all("input") if i.get("name")
        }
        fields.update(data)
        response = self.context.request.post(str(form["action"]), form=fields)
        assert response.ok, (form["action"], response.status, response.text()[:500])
        return urlsplit(response.url).path

    def start(self, name: str, me: str) -> int:
        form = "form[data-league=create]"
        landed = self.submit("/stats", form, league_name=name, display_name=me)
        match = LEAGUE_URL.match(landed)
        assert match, landed
        return int(match.group(1))

    def join(self, invite: str, me: str) -> None:
        landed = self.submit(invite, "form[data-league=join]", display_name=me)
        assert LEAGUE_URL.match(landed), landed

    def play(self, *moves: str) -> None:
        """Play today's puzzle: each move a title, or "" for a skip."""
        for move in moves:
            data = {"action": "guess", "guess": move} if move else {"action": "skip"}
            self.submit("/", "#guess-form", **data)


@dataclass(frozen=True)
class BigLeague:
    """A league of ten members with the longest names, in every state of the day."""

    id: int
    invite: str
    keeper_cookies: list[Any]
    # What today's board shows of each member, by name.
    board: dict[str, str]

    @property
    def path(self) -> str:
        return f"/leagues/{self.id}"


# Each member's moves today (None: has not opened the puzzle), and what the board shows for it.
BIG_DAY: list[tuple[tuple[str, ...] | None, str]] = [
    ((WRONG, "", ANSWER), "wrong skipped right unused unused unused"),
    ((ANSWER,), "right unused unused unused unused unused"),
    (("", "", "", "", "", ANSWER), "skipped skipped skipped skipped skipped right"),
    ((WRONG, ALSO_WRONG, "", "", "", ""), "wrong wrong skipped skipped skipped skipped"),
    (("", "", "", "", "", ""), "skipped skipped skipped skipped skipped skipped"),
    ((WRONG,), "playing"),
    (("", ""), "playing"),
    (None, "not yet"),
    (None, "not yet"),
    (None, "not yet"),
]


@pytest.fixture(scope="module")
def big_league(browser: Browser, live_server: LiveServer) -> Iterator[BigLeague]:
    """Start a 40-character league with ten 24-character members: won, lost, playing, not yet."""
    contexts: list[BrowserContext] = []

    def friend() -> Friend:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        return Friend(context)

    try:
        keeper = friend()
        league_id = keeper.start(LONG_LEAGUE, LONG_NAMES[0])
        link = keeper.html(f"/leagues/{league_id}").select_one("[data-league-invite]")
        assert link is not None
        invite = urlsplit(str(link["href"])).path
        members = [keeper]
        for name in LONG_NAMES[1:]:
            members.append(friend())
            members[-1].join(invite, name)
        for member, (moves, _shown) in zip(members, BIG_DAY, strict=True):
            if moves is not None:
                member.play(*moves)
        board = {name: shown for name, (_moves, shown) in zip(LONG_NAMES, BIG_DAY, strict=True)}
        yield BigLeague(league_id, invite, list(keeper.context.cookies()), board)
    finally:
        for context in contexts:
            context.close()


# --- what a browser player does and sees ------------------------------------------------------


def league_id_of(player: BrowserPlayer) -> int:
    match = LEAGUE_URL.match(player.page.url)
    assert match, player.page.url
    return int(match.group(1))


def submit_and_land(player: BrowserPlayer, button: str, landing: re.Pattern[str]) -> None:
    """Press a league form's button and wait for the page it leads to (a 303, then a GET)."""
    player.page.locator(button).click()
    player.page.wait_for_url(landing)
    player.page.wait_for_load_state()
    player.wait_for_htmx()
    player.wait_for_autofocus()


def start_league(player: BrowserPlayer, name: str, me: str) -> int:
    """Start a league from the statistics page; return its id, from the page landed on."""
    player.open("/stats")
    form = player.page.locator("form[data-league=create]")
    form.get_by_label("League name").fill(name)
    form.get_by_label("Your name in it").fill(me)
    submit_and_land(player, "form[data-league=create] button[type=submit]", LEAGUE_URL)
    return league_id_of(player)


def join_league(player: BrowserPlayer, invite: str, me: str, name: str) -> int:
    """Open an invite link, check whom it shows, and join; return the league's id."""
    player.open(invite)
    expect(player.page.locator("h1")).to_have_text(f"Join {name}")
    form = player.page.locator("form[data-league=join]")
    form.get_by_label("Your name in this league").fill(me)
    submit_and_land(player, "form[data-league=join] button[type=submit]", LEAGUE_URL)
    expect(player.page.locator("[data-league-done]")).to_have_text(f"You joined {name} as {me}.")
    return league_id_of(player)


def board(player: BrowserPlayer) -> dict[str, str]:
    return dict(player.page.evaluate(BOARD))


def expect_board(player: BrowserPlayer, expected: dict[str, str]) -> None:
    """Check today's board; with JavaScript on, wait for a swap under way to bring it."""
    if player.js:
        want = sorted([name, shown] for name, shown in expected.items())
        # On a timeout the assertion below says what the board shows instead.
        with contextlib.suppress(PlaywrightTimeoutError):
            player.page.wait_for_function(
                f"want => JSON.stringify(({BOARD})()) === JSON.stringify(want)", arg=want
            )
    assert board(player) == expected


def is_board_refresh(response: Response) -> bool:
    """Return whether a response answers htmx's refresh of a league's board."""
    request = response.request
    return bool(
        request.method == "GET"
        and LEAGUE_URL.match(response.url)
        and request.headers.get("hx-request") == "true"
    )


def refresh_board(player: BrowserPlayer, how: str) -> None:
    """Bring the board up to date: a reload without JavaScript; with it, htmx in place."""
    if not player.js:
        player.reload()
        return
    navigations = len(player.navigations)
    with player.page.expect_response(is_board_refresh) as answer:
        if how == "focus":  # the player comes back to the tab
            player.page.evaluate("() => window.dispatchEvent(new Event('focus'))")
        else:
            player.page.locator("[data-league-finished] a", has_text="Refresh").click()
    assert answer.value.status == 200
    fragment = answer.value.text()
    assert fragment.lstrip().startswith('<div id="league-board"'), fragment[:200]
    assert "<html" not in fragment
    assert_no_secret(fragment, "the board's fragment")
    player.settle()
    assert len(player.navigations) == navigations, "the refresh navigated"


def assert_no_secret(html: str, where: str) -> None:
    """Neither the film's title nor anyone's guessed title is in the markup."""
    assert SECRET.search(html) is None, f"the answer is in {where}"
    for guessed in (WRONG, ALSO_WRONG):
        assert guessed.lower() not in html.lower(), f"a guess ({guessed}) is in {where}"


def leave(player: BrowserPlayer, name: str) -> None:
    """Leave the league from its page (the form waits in a disclosure)."""
    player.page.locator(".league-leave summary").click()
    leave_button = player.page.get_by_role("button", name=f"Leave {name}")
    expect(leave_button).to_be_visible()
    submit_and_land(player, "form[data-league=leave] button[type=submit]", LEAGUES_URL)


def as_keeper(player: BrowserPlayer, big: BigLeague) -> BrowserPlayer:
    """Make a browser player the big league's keeper (its cookies), on the league's page."""
    player.context.add_cookies(big.keeper_cookies)
    player.open(big.path)
    return player


# --- the flows --------------------------------------------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_friends_start_join_play_leave_and_are_removed(open_player: OpenPlayer, js: bool) -> None:
    name = "Friday Film Club"
    ann = open_player(js=js, **PHONE)
    league_id = start_league(ann, name, "Ann")
    expect(ann.page.locator("h1")).to_contain_text(name)
    expect(ann.page.locator("[data-league-done]")).to_contain_text(f"You started {name}")
    expect_board(ann, {"Ann": "not yet"})
    invite_url = ann.page.locator("[data-league-invite]").get_attribute("href")
    assert invite_url is not None and invite_url.startswith("http"), invite_url
    expect(ann.page.locator("[data-league-invite]")).to_have_text(invite_url)
    invite = urlsplit(invite_url).path

    bob = open_player(js=js, **PHONE)
    assert join_league(bob, invite, "Bob", name) == league_id
    expect_board(bob, {"Ann": "not yet", "Bob": "not yet"})
    refresh_board(ann, "link")
    expect_board(ann, {"Ann": "not yet", "Bob": "not yet"})

    # Bob plays to the end; Ann's board shows his squares, never the film or his guess.
    bob.open("/")
    bob.guess(WRONG)
    bob.skip()
    bob.guess(ANSWER)
    expect(bob.result).to_have_attribute("data-result", "won")
    refresh_board(ann, "focus")
    expect_board(ann, {"Ann": "not yet", "Bob": "wrong skipped right unused unused unused"})
    expect(ann.page.locator("[data-league-finished]")).to_contain_text("1 of 2 finished")
    week = ann.page.locator("[data-standings=week] tbody tr")
    expect(week).to_have_count(2)
    assert_no_secret(ann.page.content(), "Ann's league page")
    bob.open(f"/leagues/{league_id}")
    expect_board(bob, {"Ann": "not yet", "Bob": "wrong skipped right unused unused unused"})
    assert_no_secret(bob.page.content(), "Bob's league page")

    # Cleo joins; Bob leaves; Ann, the keeper, removes Cleo.
    cleo = open_player(js=js, **PHONE)
    join_league(cleo, invite, "Cleo", name)
    leave(bob, name)
    expect(bob.page.locator("[data-league-done]")).to_have_text(f"You left {name}.")
    expect(bob.page.locator(f"[data-league-list] a[href='/leagues/{league_id}']")).to_have_count(0)
    refresh_board(ann, "button")
    expect_board(ann, {"Ann": "not yet", "Cleo": "not yet"})

    ann.reload()
    ann.page.locator("#remove-member").select_option(label="Cleo")
    submit_and_land(ann, "form[data-league=remove] button[type=submit]", LEAGUE_URL)
    expect(ann.page.locator("[data-league-done]")).to_have_text("Cleo is no longer in the league.")
    expect_board(ann, {"Ann": "not yet"})

    if js:  # Cleo's tab, still open, refreshes its board: the notice says why it cannot
        with cleo.page.expect_response(is_board_refresh) as answer:
            cleo.page.locator("[data-league-finished] a", has_text="Refresh").click()
        assert answer.value.status == 404
        expect(cleo.notice).to_contain_text(NOT_MEMBER)
    response = cleo.page.reload()
    assert response is not None and response.status == 404
    expect(cleo.page.locator("h1")).to_have_text("Not your league")
    expect(cleo.page.locator("[data-league-error]")).to_contain_text(NOT_MEMBER)
    expect(cleo.page.locator("[data-league-member]")).to_have_count(0)
    # The 404 itself is the one error a console shows: Cleo's reload, as the test meant.
    assert ann.console_errors == bob.console_errors == []
    assert [e for e in cleo.console_errors if "status of 404" not in e] == []


# --- ten members on a phone -------------------------------------------------------------------


def assert_fits(player: BrowserPlayer, what: str) -> None:
    """No sideways scrolling; no name cut short; no table heading broken inside a word."""
    seen = player.page.evaluate(SIDEWAYS)
    assert seen["scroll"] <= seen["client"], f"{what} scrolls sideways: {seen}"
    assert seen["out"] == [], f"{what}: boxes stick out to the right: {seen['out']}"
    assert player.page.evaluate(CUT_SHORT) == [], f"{what}: a name is cut short"
    assert player.page.evaluate(BROKEN_HEADINGS) == [], f"{what}: a heading breaks a word"


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_ten_members_with_long_names_fit_a_phone(
    open_player: OpenPlayer, big_league: BigLeague, js: bool
) -> None:
    mode = "htmx" if js else "no-js"
    keeper = as_keeper(open_player(js=js, **PHONE), big_league)
    expect(keeper.page.locator("h1")).to_contain_text(LONG_LEAGUE)
    expect_board(keeper, big_league.board)
    for table in ("[data-standings=week]", "[data-standings=all]", "[data-recent]"):
        expect(keeper.page.locator(f"{table} tbody tr")).to_have_count(10)
    assert_fits(keeper, "the league's page")
    screenshot(keeper, f"league-10-phone-{mode}")
    keeper.open("/leagues")
    expect(keeper.page.locator("[data-league-list]")).to_contain_text(LONG_LEAGUE)
    assert_fits(keeper, "/leagues")
    screenshot(keeper, f"leagues-phone-{mode}")

    outsider = open_player(js=js, **PHONE)
    outsider.open(big_league.invite)
    expect(outsider.page.locator(".league-names li")).to_have_count(10)
    assert_fits(outsider, "the invite page")
    screenshot(outsider, f"league-invite-phone-{mode}")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_the_league_page_on_a_desktop(
    open_player: OpenPlayer, big_league: BigLeague, js: bool
) -> None:
    keeper = as_keeper(open_player(js=js, **DESKTOP), big_league)
    expect_board(keeper, big_league.board)
    assert_fits(keeper, "the league's page")
    screenshot(keeper, f"league-10-desktop-{'htmx' if js else 'no-js'}")


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_every_tap_target_on_the_league_pages_is_44_px(
    open_player: OpenPlayer, big_league: BigLeague, js: bool
) -> None:
    keeper = as_keeper(open_player(js=js, **PHONE), big_league)
    keeper.page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    expect(keeper.page.locator("form[data-league=leave] button")).to_be_visible()
    assert keeper.page.evaluate(SMALL_TARGETS) == [], "the league's page"
    keeper.open("/leagues")
    assert keeper.page.evaluate(SMALL_TARGETS) == [], "/leagues"
    outsider = open_player(js=js, **PHONE)
    outsider.open(big_league.invite)
    assert outsider.page.evaluate(SMALL_TARGETS) == [], "the invite page"


# --- accessibility ----------------------------------------------------------------------------


@pytest.fixture
def auditor(browser: Browser, live_server: LiveServer) -> Iterator[Auditor]:
    """Test_accessibility's auditor: players in CSP-bypassing contexts, axe run on their pages."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make node-dev` installs axe-core", pytrace=False)
    auditor = Auditor(browser, live_server, AXE_SCRIPT)
    yield auditor
    auditor.close()


def open_league_page(auditor: Auditor, big: BigLeague, js: bool, which: str) -> BrowserPlayer:
    """Open one of the league pages in an auditor's context (the keeper's, or an outsider's)."""
    player = auditor.open_player(js=js)
    if which in ("league", "leagues"):
        player.context.add_cookies(big.keeper_cookies)
    if which == "league":
        player.open(big.path)
        expect(player.page.locator("[data-league-member]")).to_have_count(10)
    elif which == "leagues":
        player.open("/leagues")
        expect(player.page.locator("[data-league-list]")).to_contain_text(LONG_LEAGUE)
    elif which == "invite":
        player.open(big.invite)
        expect(player.page.locator("form[data-league=join]")).to_be_visible()
    else:  # an outsider at the league's own address
        response = player.page.goto(big.path)
        assert response is not None and response.status == 404
        expect(player.page.locator("[data-league-error]")).to_contain_text(NOT_MEMBER)
    return player


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("which", ["league", "invite", "leagues", "gone"])
@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_no_axe_violations_on_league_pages(
    auditor: Auditor, big_league: BigLeague, js: bool, which: str, dark: bool
) -> None:
    auditor.dark = dark
    player = open_league_page(auditor, big_league, js, which)
    if which == "league":  # the disclosure's form is judged open, too
        player.page.locator(".league-leave summary").click()
        expect(player.page.locator("form[data-league=leave] button")).to_be_visible()
    violations = auditor.violations(player)
    mode = ("htmx" if js else "no-js") + (", dark" if dark else ", light")
    assert violations == [], (
        f"axe found {len(violations)} violation(s) on the {which} page ({mode}):\n"
        + describe(violations)
    )
