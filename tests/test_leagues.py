"""Leagues over HTTP: start, join, the day's board, keeping a league, transfers, limits."""

from __future__ import annotations

import random
import re
import threading
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from guessthatmovie.extensions import db
from guessthatmovie.game import leagues
from guessthatmovie.models import League, LeagueMember
from tests.browser.player import decode_signed
from tests.conftest import Clock, Player
from tests.test_stats import TODAY, schedule, share_text

LEAGUE_PATH = re.compile(r"^/leagues/(\d+)$")
INVITE_PATH = re.compile(r"^/l/([0-9a-z]+)$")
ANSWER = "The Quiet Harbour"
WRONG = "Lanterns Over Kyoto"


class Friend:
    """One browser: its own cookie and player, using the league forms as a player does."""

    def __init__(self, app: Flask, address: str | None = None) -> None:
        self.client: FlaskClient = app.test_client()
        if address:
            self.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        self.last: TestResponse | None = None

    def get(self, path: str, **headers: str) -> tuple[int, BeautifulSoup]:
        response = self.client.get(path, headers=headers)
        self.last = response
        return response.status_code, BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def submit(self, path: str, form: str, **data: str) -> tuple[int, BeautifulSoup]:
        """Fill the form `data-league=form` of the page at `path` and send it (no JavaScript).

        A 303 is followed, as a browser does: the status returned is the POST's, the page the
        GET's. Refused, the POST's own page (a 4xx) is returned.
        """
        status, page = self.get(path)
        assert status == 200, (path, status)
        node = page.find("form", attrs={"data-league": form})
        assert node is not None, f"no {form} form on {path}"
        fields = {i["name"]: i.get("value", "") for i in node.find_all("input") if i.get("name")}
        fields.update(data)
        response = self.client.post(node["action"], data=fields)
        self.last = response
        if response.status_code == 303:
            self.location = response.headers["Location"]
            _, followed = self.get(self.location)
            return 303, followed
        return response.status_code, BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def start(self, name: str = "Friday Film Club", me: str = "Ann", where: str = "/stats") -> int:
        status, page = self.submit(where, "create", league_name=name, display_name=me)
        assert status == 303, (status, error(page))
        match = LEAGUE_PATH.match(self.location)
        assert match, self.location
        return int(match.group(1))

    def invite_path(self, league_id: int) -> str:
        status, page = self.get(f"/leagues/{league_id}")
        assert status == 200
        link = page.find(attrs={"data-league-invite": True})
        assert link is not None
        path = re.sub(r"^https?://[^/]+", "", link["href"])
        assert INVITE_PATH.match(path), path
        return str(path)

    def join(self, invite: str, me: str) -> tuple[int, BeautifulSoup]:
        return self.submit(invite, "join", display_name=me)

    def board(self, league_id: int) -> dict[str, str]:
        """Return each member's line of today's board: their name and what it shows."""
        status, page = self.get(f"/leagues/{league_id}")
        assert status == 200, status
        return board_of(page)

    def player_id(self) -> str:
        with self.client.session_transaction() as session:
            return str(session["player"])

    def play(self, *moves: str) -> None:
        """Play today's puzzle: each move a title, or "" for a skip."""
        player = Player(self.client, htmx=False)
        for move in moves:
            player.guess(move) if move else player.skip()


def board_of(page: BeautifulSoup) -> dict[str, str]:
    lines = {}
    for node in page.select("[data-league-member]"):
        name = node.find(class_="member-name").find(string=True, recursive=False).strip()
        squares = [li["data-square"] for li in node.select("[data-square]")]
        lines[name] = " ".join(squares) if squares else node.find(class_="member-state").text
    return lines


def error(page: BeautifulSoup) -> str:
    node = page.find(attrs={"data-league-error": True})
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)) if node else ""


def done(page: BeautifulSoup) -> str:
    return " ".join(node.get_text(strip=True) for node in page.select("[data-league-done]"))


@pytest.fixture
def today(app: Flask, catalogue: None, clock: Clock) -> int:
    """Schedule today's puzzle; return its number."""
    return schedule(app, clock, TODAY, ANSWER)


@pytest.fixture
def friends(app: Flask, today: int) -> tuple[Friend, Friend, int, str]:
    """Ann starts a league and Bob joins it by its link: (ann, bob, league id, invite path)."""
    ann, bob = Friend(app), Friend(app)
    league_id = ann.start()
    invite = ann.invite_path(league_id)
    status, _ = bob.join(invite, "Bob")
    assert status == 303 and bob.location == f"/leagues/{league_id}"
    return ann, bob, league_id, invite


@pytest.mark.parametrize("where", ["/stats", "/leagues"])
def test_starting_a_league_lands_on_its_page(app: Flask, today: int, where: str) -> None:
    ann = Friend(app)
    league_id = ann.start("Friday Film Club", "Ann", where=where)
    status, page = ann.get(f"/leagues/{league_id}")
    assert status == 200
    assert page.find("h1").find(string=True, recursive=False).strip() == "Friday Film Club"
    assert board_of(page) == {"Ann": "not yet"}
    invite = ann.invite_path(league_id)
    token = INVITE_PATH.match(invite).group(1)  # type: ignore[union-attr]
    assert len(token) * 5 >= 60 and ann.player_id() not in token


def test_the_league_flash_shows_once(app: Flask, today: int) -> None:
    ann = Friend(app)
    status, page = ann.submit("/stats", "create", league_name="Club", display_name="Ann")
    assert status == 303
    assert "You started Club" in done(page)
    assert done(ann.get(ann.location)[1]) == ""


def test_the_end_of_a_game_offers_to_start_a_league(app: Flask, today: int) -> None:
    ann = Friend(app)
    ann.play(WRONG, ANSWER)
    page = ann.get("/")[1]
    assert page.find(attrs={"data-result": "won"}) is not None
    assert page.find("form", attrs={"data-league": "create"}) is not None
    league_id = ann.start("After the game", "Ann", where="/")
    assert ann.board(league_id) == {"Ann": "wrong right unused unused unused unused"}


def test_joining_by_the_invite_link(app: Flask, friends: tuple[Friend, Friend, int, str]) -> None:
    ann, bob, league_id, invite = friends
    status, page = Friend(app).get(invite)
    assert status == 200
    assert [li.get_text(strip=True) for li in page.select(".league-names li")] == ["Ann", "Bob"]
    assert page.find("form", attrs={"data-league": "join"}).find(
        "input", attrs={"name": "display_name"}
    )
    assert ann.board(league_id) == bob.board(league_id) == {"Ann": "not yet", "Bob": "not yet"}
    # A member opening the link again lands on the league's page.
    response = bob.client.get(invite)
    assert response.status_code == 303 and response.headers["Location"] == f"/leagues/{league_id}"


def test_a_first_visit_by_the_link_can_join(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    """A browser that never saw the game opens the link: its player is made there."""
    _, _, league_id, invite = friends
    newcomer = Friend(app)
    status, _ = newcomer.join(invite, "Cleo")
    assert status == 303 and newcomer.location == f"/leagues/{league_id}"
    assert set(newcomer.board(league_id)) == {"Ann", "Bob", "Cleo"}


def test_the_board_before_and_after_a_member_finishes(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    bob.play(WRONG)
    assert ann.board(league_id) == {"Ann": "not yet", "Bob": "playing"}
    bob.play("", ANSWER)
    assert ann.board(league_id) == {
        "Bob": "wrong skipped right unused unused unused",
        "Ann": "not yet",
    }
    # Ann has not finished: nothing of the film in the page, its headers or her cookie; nor,
    # ever, Bob's guesses.
    ann.get(f"/leagues/{league_id}")
    assert ann.last is not None
    raw = ann.last.get_data(as_text=True)
    assert ANSWER not in raw and "Quiet Harbour" not in raw and WRONG not in raw
    assert all(ANSWER not in value for value in ann.last.headers.values())
    cookie = ann.client.get_cookie("gtm")
    assert cookie is not None and "Quiet" not in decode_signed(cookie.value)
    ann.play("", "", "", "", "", "")  # Ann loses: still no guess of Bob's on the page
    assert ann.board(league_id) == {
        "Bob": "wrong skipped right unused unused unused",
        "Ann": "skipped skipped skipped skipped skipped skipped",
    }
    raw = ann.client.get(f"/leagues/{league_id}").get_data(as_text=True)
    assert WRONG not in raw


def test_the_page_is_private(app: Flask, friends: tuple[Friend, Friend, int, str]) -> None:
    ann, bob, league_id, _ = friends
    other = Friend(app)
    other.start("Another League", "Zed")
    page = ann.get(f"/leagues/{league_id}")[1]
    assert ann.last is not None
    headers = ann.last.headers
    assert "no-store" in headers["Cache-Control"] and "public" not in headers["Cache-Control"]
    assert "noindex" in headers["X-Robots-Tag"]
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    raw = ann.last.get_data(as_text=True)
    for player in (ann.player_id(), bob.player_id(), other.player_id()):
        assert player not in raw
    assert "Another League" not in raw and "Zed" not in raw


def test_standings_and_the_last_seven_days(
    app: Flask, clock: Clock, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    ann.play(ANSWER)
    bob.play(WRONG, "", ANSWER)
    page = ann.get(f"/leagues/{league_id}")[1]
    week = page.find(attrs={"data-standings": "week"})
    rows = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in week.tbody.find_all("tr")
    ]
    assert rows == [["Ann", "1", "1", "1.0", "1"], ["Bob", "1", "1", "3.0", "1"]]
    recent = page.find(attrs={"data-recent": True})
    assert len(recent.thead.find_all("th")) == 1 + 7
    cells = [td.find(attrs={"role": "img"}) for td in recent.tbody.find("tr").find_all("td")]
    assert (cells[-1]["aria-label"], cells[-1].get_text()) == ("won in 1", "1")
    assert [i.get("class") for i in cells[-1].select(".mini i")] == [["r"]]
    assert (cells[0]["aria-label"], cells[0].get_text()) == ("not played", "–")


def test_the_htmx_refresh_swaps_the_board(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    page = ann.get(f"/leagues/{league_id}")[1]
    # The trigger sits on a wrapper the swap never replaces, so its throttle holds.
    live = page.find(class_="league-live")
    assert live["data-hx-get"] == f"/leagues/{league_id}"
    assert live["data-hx-trigger"] == "focus from:window throttle:10s"
    assert live["data-hx-target"] == "#league-board" and live.find(id="league-board") is not None
    bob.play(ANSWER)
    status, fragment = ann.get(f"/leagues/{league_id}", **{"HX-Request": "true"})
    assert status == 200 and ann.last is not None
    assert (
        "HX-Request" in ann.last.headers["Vary"] and "no-store" in ann.last.headers["Cache-Control"]
    )
    assert fragment.find("html") is None and fragment.find(id="league-board") is not None
    assert board_of(fragment)["Bob"] == "right unused unused unused unused unused"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("league_name", "", "Give the league a name"),
        ("league_name", "x" * 41, "at most 40"),
        ("league_name", "Bad\u202ename", "control or invisible"),
        ("display_name", "", "Choose the name"),
        ("display_name", "y" * 25, "at most 24"),
        ("display_name", "Ann 🎬", "letters, digits, spaces"),
        ("display_name", "<b>Ann</b>", "letters, digits, spaces"),
        ("display_name", "...", "at least one letter"),
    ],
)
def test_a_bad_name_is_refused_with_why_and_the_text_kept(
    app: Flask, today: int, field: str, text: str, message: str
) -> None:
    ann = Friend(app)
    data = {"league_name": "Good Name", "display_name": "Ann", field: text}
    status, page = ann.submit("/stats", "create", **data)
    assert status == 422
    assert message in error(page)
    node = page.find("input", attrs={"name": field})
    assert node.get("value", "") == text[:60] and node.get("aria-invalid") == "true"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(League)) == 0


def test_a_taken_name_in_any_case_is_refused(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    invite = friends[3]
    status, page = Friend(app).join(invite, "  ANN ")
    assert status == 422 and "already goes by that name" in error(page)
    assert page.find("input", attrs={"name": "display_name"})["value"] == "  ANN "


def test_a_full_league_says_so(app: Flask, today: int) -> None:
    app.config["LEAGUE_MEMBERS"] = 2
    ann = Friend(app)
    league_id = ann.start()
    invite = ann.invite_path(league_id)
    assert Friend(app).join(invite, "Bob")[0] == 303
    status, page = Friend(app).join(invite, "Cleo")
    assert status == 409 and "full: it has 2 members" in error(page)


def test_a_player_in_the_most_leagues_is_told_to_leave_one(app: Flask, today: int) -> None:
    app.config["LEAGUES_PER_PLAYER"] = 2
    ann, bob = Friend(app), Friend(app)
    ann.start("One")
    ann.start("Two")
    status, page = ann.submit("/stats", "create", league_name="Three", display_name="Ann")
    assert status == 409 and "in 2 leagues already" in error(page)
    invite = bob.invite_path(bob.start("Bob's", "Bob"))
    status, page = ann.join(invite, "Ann")
    assert status == 409 and "in 2 leagues already" in error(page)


def test_a_new_invite_link_stops_the_old_one(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, _, league_id, old = friends
    status, page = ann.submit(f"/leagues/{league_id}", "invite")
    assert status == 303 and "old one no longer works" in done(page)
    new = ann.invite_path(league_id)
    assert new != old
    late = Friend(app)
    status, page = late.get(old)
    assert status == 404 and "no longer works" in error(page)
    # A join posted from a page opened before the change is refused the same way.
    stale_page = late.client.get(new)
    csrf = BeautifulSoup(stale_page.get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": "csrf_token"}
    )["value"]
    response = late.client.post(old, data={"csrf_token": csrf, "display_name": "Late"})
    assert response.status_code == 404
    assert Friend(app).join(new, "Cleo")[0] == 303


@pytest.mark.parametrize(
    "token",
    ["", "short", "0" * 24, "z" * 24, "!" * 24, "a" * 5000, "ABCDEFGH" + "0" * 16],
)
def test_a_wrong_invite_is_a_clear_404(
    app: Flask, friends: tuple[Friend, Friend, int, str], token: str
) -> None:
    status, page = Friend(app).get(f"/l/{token}")
    assert status == 404
    assert "invite link" in page.get_text() or "There is nothing here" in page.get_text()


def test_tokens_are_compared_in_constant_time(
    app: Flask, friends: tuple[Friend, Friend, int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, Any]] = []
    real = leagues.hmac.compare_digest

    def recorded(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(leagues.hmac, "compare_digest", recorded)
    _, _, _, invite = friends
    token = INVITE_PATH.match(invite).group(1)  # type: ignore[union-attr]
    wrong = token[:8] + ("0" if token[8] != "0" else "1") + token[9:]
    assert Friend(app).get(f"/l/{wrong}")[0] == 404
    assert Friend(app).get(invite)[0] == 200
    assert [b for _, b in calls] == [wrong[8:], token[8:]]


def test_the_keeper_removes_a_member_whose_page_then_says_so(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    page = ann.get(f"/leagues/{league_id}")[1]
    bob_id = next(
        o["value"]
        for o in page.find("form", attrs={"data-league": "remove"}).find_all("option")
        if o.text == "Bob"
    )
    status, page = ann.submit(f"/leagues/{league_id}", "remove", member=bob_id)
    assert status == 303 and "Bob is no longer in the league" in done(page)
    assert ann.board(league_id) == {"Ann": "not yet"}
    status, page = bob.get(f"/leagues/{league_id}")
    assert status == 404 and "not (or no longer) in it" in error(page)
    status, fragment = bob.get(f"/leagues/{league_id}", **{"HX-Request": "true"})
    assert status == 404 and "not (or no longer) in it" in fragment.get_text()
    assert "Friday Film Club" not in fragment.get_text()


def test_only_the_keeper_keeps_the_league(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    page = bob.get(f"/leagues/{league_id}")[1]
    for form in ("rename", "invite", "remove"):
        assert page.find("form", attrs={"data-league": form}) is None
    csrf = page.find("input", attrs={"name": "csrf_token"})["value"]
    ann_page = ann.get(f"/leagues/{league_id}")[1]
    ann_id = ann_page.find("form", attrs={"data-league": "remove"}).find("option")["value"]
    for path, data in (
        ("name", {"league_name": "Bob's now"}),
        ("invite", {}),
        ("remove", {"member": ann_id}),
    ):
        response = bob.client.post(
            f"/leagues/{league_id}/{path}", data={"csrf_token": csrf, **data}
        )
        assert response.status_code == 403, path
        assert "Only the member who keeps the league" in response.get_data(as_text=True)
    assert set(ann.board(league_id)) == {"Ann", "Bob"}


def test_renaming_the_league_and_oneself(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, _ = friends
    status, page = ann.submit(f"/leagues/{league_id}", "rename", league_name="Sunday Club")
    assert (
        status == 303
        and page.find("h1").find(string=True, recursive=False).strip() == "Sunday Club"
    )
    status, page = bob.submit(f"/leagues/{league_id}", "me", display_name="Bobby")
    assert status == 303 and set(board_of(page)) == {"Ann", "Bobby"}
    status, page = bob.submit(f"/leagues/{league_id}", "me", display_name="ann")
    assert status == 422 and "already goes by that name" in error(page)
    assert (
        page.find("input", attrs={"name": "display_name", "id": "me-display-name"})["value"]
        == "ann"
    )
    status, page = ann.submit(f"/leagues/{league_id}", "rename", league_name=" ")
    assert status == 422 and "Give the league a name" in error(page)


def test_leaving_and_the_last_one_out_deletes_the_league(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, invite = friends
    status, page = ann.submit(f"/leagues/{league_id}", "leave")
    assert (
        status == 303 and ann.location == "/leagues" and "You left Friday Film Club" in done(page)
    )
    assert ann.get(f"/leagues/{league_id}")[0] == 404
    # Bob, the one left, now keeps the league.
    assert (
        bob.get(f"/leagues/{league_id}")[1].find("form", attrs={"data-league": "rename"})
        is not None
    )
    status, page = bob.submit(f"/leagues/{league_id}", "leave")
    assert status == 303 and "it is deleted" in done(page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(League)) == 0
        assert db.session.scalar(select(func.count()).select_from(LeagueMember)) == 0
    assert Friend(app).get(invite)[0] == 404


def test_a_transfer_code_carries_memberships(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    """Ann's phone redeems the code of her laptop: the phone's leagues become hers too, and a
    league both were in keeps the earlier membership."""
    ann, _, league_id, invite = friends
    phone = Friend(app)
    phone_league = phone.start("Phone League", "Ann on phone")
    assert phone.join(invite, "Ann2")[0] == 303  # the phone joined Ann's league as well
    laptop_stats = ann.get("/stats")[1]
    csrf = laptop_stats.find("input", attrs={"name": "csrf_token"})["value"]
    ann.client.post("/transfer/code", data={"csrf_token": csrf})
    code = ann.get("/stats")[1].find(attrs={"data-transfer-code": True}).get_text(strip=True)
    phone_page = phone.get("/stats")[1]
    form = phone_page.find("form", attrs={"data-transfer": "redeem"})
    csrf = form.find("input", attrs={"name": "csrf_token"})["value"]
    assert (
        phone.client.post(form["action"], data={"csrf_token": csrf, "code": code}).status_code
        == 303
    )
    assert phone.player_id() == ann.player_id()
    assert phone.board(league_id) == {"Ann": "not yet", "Bob": "not yet"}
    assert ann.board(phone_league) == {"Ann on phone": "not yet"}
    with app.app_context():
        counts = dict(db.session.execute(select(League.id, League.member_count)).all())
    assert counts == {league_id: 2, phone_league: 1}


def test_starting_and_joining_are_limited_per_player_and_address(app: Flask, today: int) -> None:
    app.config["LEAGUE_RATE_LIMIT"] = "2 per hour"
    app.config["LEAGUE_ADDRESS_LIMIT"] = "3 per hour"
    ann = Friend(app, address="203.0.113.7")
    ann.start("One")
    ann.start("Two")
    status, page = ann.submit("/stats", "create", league_name="Three", display_name="Ann")
    assert status == 429 and "many leagues in a short time" in error(page)
    assert ann.last is not None and int(ann.last.headers["Retry-After"]) > 0
    assert page.find("input", attrs={"name": "league_name"})["value"] == "Three"
    # Another player behind the same address, under her own limit, meets the address's ceiling
    # within two tries (Redis counts Ann's refused try against the address too; a worker
    # counting alone stops at the first limit over).
    cleo = Friend(app, address="203.0.113.7")
    tries = [
        cleo.submit("/stats", "create", league_name=f"Cleo's {n}", display_name="Cleo")[0]
        for n in range(2)
    ]
    assert 429 in tries, tries
    assert Friend(app, address="198.51.100.1").start("Elsewhere") > 0


def test_a_foreign_page_cannot_start_a_league(app: Flask, today: int) -> None:
    ann = Friend(app)
    page = ann.get("/stats")[1]
    csrf = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = ann.client.post(
        "/leagues",
        data={"csrf_token": csrf, "league_name": "Forged", "display_name": "Ann"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/leagues?notice=foreign"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(League)) == 0


def test_the_share_text_is_the_same_in_a_league(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, _, _, _ = friends
    player = Player(ann.client, htmx=False)
    player.guess(WRONG)
    player.skip()
    player.guess(ANSWER)
    assert (
        share_text(player.load())
        == "Guess That Movie #69 3/6\n🟥⬛🟩⬜⬜⬜\nhttp://localhost/r/69/xso"
    )


def test_of_concurrent_joins_for_the_last_place_one_gets_it(app: Flask, today: int) -> None:
    app.config["LEAGUE_MEMBERS"] = 3
    ann = Friend(app)
    league_id = ann.start()
    invite = ann.invite_path(league_id)
    joiners = [Friend(app) for _ in range(6)]
    forms = []
    for friend in joiners:
        page = friend.get(invite)[1]
        forms.append(page.find("input", attrs={"name": "csrf_token"})["value"])
    statuses: list[int] = []

    def join(friend: Friend, csrf: str, n: int) -> None:
        response = friend.client.post(invite, data={"csrf_token": csrf, "display_name": f"J{n}"})
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=join, args=(f, c, n))
        for n, (f, c) in enumerate(zip(joiners, forms, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303, 303] + [409] * 4
    with app.app_context():
        assert db.session.scalar(select(League.member_count)) == 3
        assert db.session.scalar(select(func.count()).select_from(LeagueMember)) == 3


def test_the_operator_lists_and_deletes_a_league(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, bob, league_id, invite = friends
    Friend(app).start("Other Club", "Zed")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["league", "list", "--name", "friday"])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [f"{league_id}\t2\t{TODAY.isoformat()}\tFriday Film Club"]
    assert runner.invoke(args=["league", "delete", str(league_id)], input="n\n").exit_code == 1
    assert ann.get(f"/leagues/{league_id}")[0] == 200  # not confirmed: still there
    deleted = runner.invoke(args=["league", "delete", str(league_id), "--yes"])
    assert deleted.exit_code == 0 and "Deleted league" in deleted.stdout
    assert ann.get(f"/leagues/{league_id}")[0] == 404 and bob.get(invite)[0] == 404
    again = runner.invoke(args=["league", "delete", str(league_id), "--yes"])
    assert again.exit_code == 1 and "There is no league" in again.output


def test_the_page_leads_a_member_who_has_not_finished_to_the_puzzle(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    ann, _, league_id, _ = friends

    def play_link() -> str:
        link = ann.get(f"/leagues/{league_id}")[1].find(class_="play-today")
        return link.get_text(strip=True) if link else ""

    assert play_link() == "Play today's puzzle"
    ann.play(WRONG)
    assert play_link() == "Finish today's puzzle"
    ann.play(ANSWER)
    assert play_link() == ""


def test_the_invite_offers_the_name_taken_last(
    app: Flask, friends: tuple[Friend, Friend, int, str]
) -> None:
    bob = friends[1]
    other = Friend(app)
    invite = other.invite_path(other.start("Second Club", "Zed"))
    field = bob.get(invite)[1].find("input", attrs={"name": "display_name"})
    assert field["value"] == "Bob"
    assert (
        Friend(app).get(invite)[1].find("input", attrs={"name": "display_name"}).get("value")
        is None
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_databases_tallies_equal_the_games_counted_one_by_one(
    app: Flask, catalogue: None, clock: Clock, seed: int
) -> None:
    """Random histories of 12 days (wins, losses, gaps, archive games, games left unfinished):
    the store's one statement gives each member what counting their games in Python gives."""
    from datetime import UTC, datetime, timedelta

    from guessthatmovie.game.rules import Status
    from guessthatmovie.game.streaks import Result, player_stats
    from guessthatmovie.models import Guess, Movie, Play, Puzzle
    from guessthatmovie.store import leagues as league_store
    from tests.conftest import LAUNCH

    rng = random.Random(seed)
    moment = datetime(2026, 3, 10, tzinfo=UTC)
    with app.app_context():
        movies = db.session.scalars(select(Movie.id).order_by(Movie.id)).all()[:12]
        numbers = []
        for offset, movie_id in enumerate(movies):
            day = LAUNCH + timedelta(days=offset)
            number = offset + 1
            db.session.add(
                Puzzle(id=number, day=day, number=number, movie_id=movie_id, created_at=moment)
            )
            numbers.append(number)
        db.session.flush()
        today = numbers[-1]
        league_id = league_store.create("Tallied", "P0", "player-0", moment, LAUNCH, 10)
        found = league_store.league(league_id)
        assert found is not None
        for n in range(1, 4):
            league_store.join(found, f"player-{n}", f"P{n}", moment, 10, 10)
            found = league_store.league(league_id)
            assert found is not None
        expected = {}
        first, monday = 4, 9  # the league began with puzzle 4; this week with puzzle 9
        for member in found.members:
            results = []
            for number in numbers:
                roll = rng.random()
                if roll < 0.2:
                    continue  # not played
                archive = roll < 0.3
                status = (
                    Status.PLAYING if roll < 0.38 else Status.WON if roll < 0.75 else Status.LOST
                )
                used = (
                    rng.randint(1, 6)
                    if status is Status.WON
                    else 6
                    if status is Status.LOST
                    else rng.randint(0, 3)
                )
                play = Play(
                    player_id=member.player_id,
                    puzzle_id=number,
                    status=status.value,
                    started_at=moment,
                    archive=archive,
                )
                db.session.add(play)
                db.session.flush()
                for position in range(used):
                    outcome = "right" if status is Status.WON and position == used - 1 else "wrong"
                    db.session.add(
                        Guess(
                            play_id=play.id, position=position, outcome=outcome, created_at=moment
                        )
                    )
                if not archive and status is not Status.PLAYING:
                    results.append(Result(number, status is Status.WON, used))

            def record(since: int, games: list[Result] = results) -> leagues.Record:
                inside = [r for r in games if r.number >= since]
                wins = [r for r in inside if r.won]
                return leagues.Record(len(inside), len(wins), sum(r.attempts_used for r in wins))

            expected[member.id] = (
                record(first),
                record(monday),
                player_stats(results, today, 6).current_streak,
            )
        db.session.commit()
        tallies = league_store.tallies(league_id, first, monday)
    got = {
        member_id: (tally.all_time, tally.week, tally.streak(today))
        for member_id, tally in tallies.items()
    }
    empty = (leagues.Record(), leagues.Record(), 0)
    assert {m: got.get(m, empty) for m in expected} == expected
