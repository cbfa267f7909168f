"""Moving stats to another device over HTTP: codes, redeeming, merging, limits, and secrecy."""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from guessthatmovie.extensions import db
from guessthatmovie.game import transfer
from guessthatmovie.models import Play, PuzzleResultCount, TransferCode
from guessthatmovie.store import stats as stats_store
from guessthatmovie.store import transfer as transfer_store
from guessthatmovie.web import limits
from guessthatmovie.web.transfer import EXPIRED, MALFORMED, NOT_RIGHT, TOO_MANY, USED
from tests.browser.player import decode_signed
from tests.conftest import Clock, Player
from tests.test_stats import TODAY, schedule

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


class Device:
    """One browser: its own cookies, its own player, talking to the transfer forms."""

    def __init__(self, app: Flask, htmx: bool = False, address: str | None = None) -> None:
        self.client: FlaskClient = app.test_client()
        if address:
            self.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        self.htmx = htmx

    def page(self, path: str = "/stats") -> BeautifulSoup:
        response = self.client.get(path)
        assert response.status_code == 200
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def post(self, form: str, **data: str) -> tuple[int, BeautifulSoup, dict[str, str]]:
        """Send a transfer form as the stats page has it: htmx's answer, or the page after a 303.

        Without JavaScript every answer is 303 See Other to /stats (Post/Redirect/Get): the
        status returned is the POST's, the HTML and headers the following GET's.
        """
        page = self.page()
        node = page.find("form", attrs={"data-transfer": form})
        assert node is not None, f"no {form} form on /stats"
        data.setdefault("csrf_token", node.find("input", attrs={"name": "csrf_token"})["value"])
        headers = {"HX-Request": "true"} if self.htmx else {}
        response = self.client.post(node["action"], data=data, headers=headers)
        self.last = response
        if response.status_code == 303:
            self.location = response.headers["Location"]
            assert self.location.startswith("/stats")
            followed = self.client.get(self.location)
            assert followed.status_code == 200
            html = BeautifulSoup(followed.get_data(as_text=True), "html.parser")
            return 303, html, dict(followed.headers)
        html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        return response.status_code, html, dict(response.headers)

    def make_code(self) -> str:
        status, html, _ = self.post("create")
        assert status == (200 if self.htmx else 303)
        return html.find(attrs={"data-transfer-code": True}).get_text(strip=True)

    def redeem(self, code: str) -> tuple[int, BeautifulSoup, dict[str, str]]:
        return self.post("redeem", code=code)

    def stats(self) -> dict[str, str]:
        page = self.page()
        return {dd["data-stat"]: dd.get_text(strip=True) for dd in page.select("dd[data-stat]")}

    def player(self) -> str:
        with self.client.session_transaction() as session:
            return str(session["player"])


def error_text(html: BeautifulSoup) -> str:
    node = html.find(attrs={"data-transfer-error": True})
    assert node is not None, "no error message"
    return node.get_text(strip=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_new_code_is_shown_after_the_post_and_a_reload_makes_none(
    app: Flask, answer: str, htmx: bool
) -> None:
    device = Device(app, htmx)
    status, html, headers = device.post("create")
    if htmx:
        assert status == 200
        assert html.find("html") is None
        assert html.find(id="transfer-create") is not None  # the fragment owns its target
    else:
        assert status == 303  # Post/Redirect/Get: Reload and Back never post again
        assert device.location == "/stats"
        assert html.find("h1").get_text() == "Statistics"  # the stats page, with the code
        assert html.find("form", attrs={"data-transfer": "redeem"}) is not None
    assert headers["Cache-Control"] == "no-store"
    assert "HX-Request" in headers["Vary"]
    shown = html.find(attrs={"data-transfer-code": True}).get_text(strip=True)
    assert CODE_SHAPE.match(shown)
    expiry = html.find(attrs={"data-transfer-expiry": True})
    assert expiry.find("time")["datetime"] == "2026-03-10T12:15:00+00:00"
    assert "12:15" in expiry.get_text()
    # Never in clear: not in the database, not in the cookie, not in a header, not in a URL.
    with app.app_context():
        [row] = db.session.scalars(select(TransferCode)).all()
        assert row.player_id == device.player()
        code = transfer.parse_code(shown)
        assert code is not None
        assert row.code_hash == transfer.code_hash(code, b"test-secret")
        assert code not in repr(vars(row)) and shown not in repr(vars(row))
        made = row.code_hash
    cookie = device.client.get_cookie("gtm")
    assert cookie is not None
    assert code not in decode_signed(cookie.value) and shown not in decode_signed(cookie.value)
    assert all(code not in value and shown not in value for value in headers.values())
    assert code not in device.last.headers.get("Location", "")
    # Reloading the page the answer left (a GET of /stats) shows the same code, and makes none.
    again = device.client.get("/stats")
    assert again.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(again.get_data(as_text=True), "html.parser")
    assert page.find(attrs={"data-transfer-code": True}).get_text(strip=True) == shown
    with app.app_context():
        assert [r.code_hash for r in db.session.scalars(select(TransferCode))] == [made]


def test_a_code_is_no_longer_shown_once_used_or_expired(
    app: Flask, answer: str, clock: Clock
) -> None:
    phone = Device(app)
    code = phone.make_code()
    assert Device(app).redeem(code)[0] == 303
    page = phone.page()
    assert page.find(attrs={"data-transfer-code": True}) is None
    assert phone.client.get("/stats").headers.get("Cache-Control") != "no-store"
    phone.make_code()
    clock.advance(minutes=15)
    assert phone.page().find(attrs={"data-transfer-code": True}) is None


def test_the_stats_page_has_both_forms(app: Flask, answer: str) -> None:
    page = Device(app).page()
    create = page.find("form", attrs={"data-transfer": "create"})
    assert create["method"] == "post" and create["data-hx-post"] == create["action"]
    assert create.find("button").get_text(strip=True) == "Play on another device"
    redeem = page.find("form", attrs={"data-transfer": "redeem"})
    assert redeem["method"] == "post" and redeem["data-hx-post"] == redeem["action"]
    assert redeem.find_parent(id="redeem") is not None  # the help panel links to /stats#redeem
    [field] = redeem.find_all("input", attrs={"type": "text"})
    assert (field["autocomplete"], field["autocapitalize"], field["inputmode"]) == (
        "off",
        "characters",
        "text",
    )
    assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True) == "Transfer code"
    assert page.find(attrs={"data-transfer-code": True}) is None


def test_the_help_panel_and_the_finished_game_lead_to_the_forms(player: Player) -> None:
    help_link = player.page.select_one("#help a[href='/stats#redeem']")
    assert help_link is not None and help_link.get_text(strip=True) == "I have a code"
    player.guess("The Quiet Harbour")
    result = player.page.find(attrs={"data-result": True})
    form = result.find("form", attrs={"data-transfer": "create"})
    assert form.find("button").get_text(strip=True) == "Play on another device"


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_redeeming_moves_the_player_and_merges_its_plays(
    app: Flask, answer: str, clock: Clock, htmx: bool
) -> None:
    yesterday = schedule(app, clock, TODAY - timedelta(days=1), "Lanterns Over Kyoto")
    older = schedule(app, clock, TODAY - timedelta(days=5), "Spider-Moth")
    phone, laptop = Device(app), Device(app, htmx)
    clock.advance(days=-1)
    Player(phone.client, htmx=False).guess("Lanterns Over Kyoto")  # #68 won on its day
    clock.advance(days=1)
    Player(phone.client, htmx=False).guess("The Quiet Harbour")  # today's, won in 1
    earlier = Player(laptop.client, htmx=False)
    earlier.load(f"/puzzle/{older}")
    earlier.skip()
    earlier.guess("Spider-Moth")  # an archive game the phone never played: moves over
    today = Player(laptop.client, htmx=False)
    today.skip()
    today.skip()
    today.guess("The Quiet Harbour")  # today's in 3: the phone's play of it stands
    laptop_id = laptop.player()

    code = phone.make_code()
    status, done, headers = laptop.redeem(code)
    if htmx:
        assert (status, headers["HX-Redirect"]) == (200, "/stats")
        done = laptop.page()
    else:
        assert (status, laptop.location) == (303, "/stats")
    assert laptop.player() == phone.player()
    assert done.find(attrs={"data-transfer-done": True}) is not None
    page = laptop.page()
    assert laptop.stats() == phone.stats()
    assert laptop.stats() == {
        "played": "3",
        "win-percent": "100",
        "current-streak": "2",  # #68 and #69 on their days; the archive game adds none
        "max-streak": "2",
    }
    bars = [int(bar.get_text(strip=True)) for bar in page.select("[data-stats] .dist-bar")]
    assert bars[:3] == [2, 1, 0]  # 1/6 twice (the phone), 2/6 (the archive game); no 3/6
    archive = {
        int(li["data-puzzle"]): li["data-status"]
        for li in laptop.page("/archive").select("[data-puzzle]")
    }
    assert archive[yesterday] == archive[older] == "won"
    with app.app_context():
        assert db.session.scalars(select(Play).where(Play.player_id == laptop_id)).all() == []
        counted = {
            (c.puzzle_id, c.solved_in, c.players)
            for c in db.session.scalars(select(PuzzleResultCount))
        }
    # The dropped play's count went with it: the counters equal a recount from the plays.
    with app.app_context():
        stats_store.recount()
        assert counted == {
            (c.puzzle_id, c.solved_in, c.players)
            for c in db.session.scalars(select(PuzzleResultCount))
        }


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_typo_is_not_right_and_a_spent_code_says_why(
    app: Flask, answer: str, clock: Clock, htmx: bool
) -> None:
    """A typo (matching nothing) is "not right"; "expired" and "used" only for real codes."""
    phone, laptop, tablet = Device(app), Device(app, htmx), Device(app, htmx, "203.0.113.7")
    wrong = laptop.redeem("zzzz-zzzz-zzz1")
    used = phone.make_code()
    assert laptop.redeem(used.lower().replace("-", " "))[0] in (200, 303)
    again = tablet.redeem(used)
    expired = phone.make_code()
    clock.advance(minutes=15)
    late = tablet.redeem(expired)
    malformed = laptop.redeem("hello")
    cases = [
        (wrong, NOT_RIGHT, "zzzz-zzzz-zzz1", 422),
        (again, USED, used, 422),
        (late, EXPIRED, expired, 422),
        (malformed, MALFORMED, "hello", 400),
    ]
    for (status, html, headers), message, typed, htmx_status in cases:
        assert status == (htmx_status if htmx else 303)
        assert error_text(html) == message
        assert headers["Cache-Control"] == "no-store"
        field = html.find("input", attrs={"name": "code"})
        # The text typed stays in the field, to be corrected rather than typed again.
        assert field["aria-invalid"] == "true" and field["value"] == typed
        assert (html.find("html") is None) is htmx
    assert "check it and try again" in NOT_RIGHT and "expired" not in NOT_RIGHT
    if not htmx:
        # Reloading the page after the 303 posts nothing: the message was for that answer only.
        page = laptop.page()
        assert page.find(attrs={"data-transfer-error": True}) is None
        assert page.find("input", attrs={"name": "code"}).get("value") is None


@pytest.mark.parametrize(
    "typed",
    [
        "K01X-M2PD-4HJ1",
        "k01x m2pd 4hj1",
        "K01XM2PD4HJ1",
        "KO1X-M2PD-4HJI",  # O for 0, I for 1
        "kolx—m2pd—4hjl",  # o for 0, l for 1, em dashes
        "  K01X – M2PD – 4HJ1  ",
    ],
)
def test_a_code_is_taken_in_any_case_with_spaces_dashes_and_look_alikes(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    monkeypatch.setattr(transfer, "code_of_seed", lambda seed, key: "K01XM2PD4HJ1")
    assert Device(app).make_code() == "K01X-M2PD-4HJ1"
    assert Device(app, address="203.0.113.20").redeem(typed)[0] == 303


def test_a_new_code_replaces_the_old_one(app: Flask, answer: str) -> None:
    phone, laptop = Device(app), Device(app)
    first = phone.make_code()
    second = phone.make_code()
    assert first != second
    assert laptop.redeem(first)[0] == 303
    assert error_text(laptop.post("redeem", code=first)[1]) == NOT_RIGHT  # replaced: gone
    assert laptop.redeem(second)[0] == 303
    with app.app_context():
        assert len(db.session.scalars(select(TransferCode)).all()) == 1


def test_codes_expire_by_the_injected_clock(app: Flask, answer: str, clock: Clock) -> None:
    phone = Device(app)
    code = phone.make_code()
    clock.advance(minutes=14, seconds=59)
    assert Device(app).redeem(code)[0] == 303
    code = phone.make_code()
    clock.advance(minutes=15)
    status, html, _ = Device(app).redeem(code)
    assert (status, error_text(html)) == (303, EXPIRED)


def test_a_device_redeeming_its_own_code_stays_itself(app: Flask, answer: str) -> None:
    phone = Device(app)
    Player(phone.client, htmx=False).guess("The Quiet Harbour")
    before = phone.player()
    assert phone.redeem(phone.make_code())[0] == 303
    assert phone.player() == before
    assert phone.stats()["played"] == "1"


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_five_failed_tries_then_429(app: Flask, answer: str, htmx: bool) -> None:
    phone, laptop = Device(app), Device(app, htmx, "203.0.113.5")
    good = phone.make_code()
    refused = 422 if htmx else 303
    assert laptop.redeem("no code")[0] == (400 if htmx else 303)  # not a code: not counted
    answers = [laptop.redeem(f"ZZZZ-ZZZ{n}") for n in range(5)]
    assert [status for status, _html, _headers in answers] == [refused] * 5
    assert {error_text(html) for _status, html, _headers in answers} == {NOT_RIGHT}
    status, html, headers = laptop.redeem(good)  # even a good code waits now
    assert status == (429 if htmx else 303)
    assert error_text(html) == TOO_MANY
    if htmx:
        assert int(headers["Retry-After"]) > 0
    assert (html.find("html") is None) is htmx
    # Another client is not held back, and the good code still works there.
    assert Device(app, htmx, "203.0.113.6").redeem(good)[0] in (200, 303)


def test_successful_redeems_do_not_count_as_failures(app: Flask, answer: str) -> None:
    laptop = Device(app, address="203.0.113.8")
    for _ in range(6):
        assert laptop.redeem(Device(app).make_code())[0] == 303


def test_codes_never_reach_the_logs(
    app: Flask, answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    phone, laptop = Device(app), Device(app)
    code = phone.make_code()
    laptop.redeem("ZZZZ-ZZZZ")
    assert laptop.redeem(code)[0] == 303
    assert error_text(laptop.redeem(code)[1]) == USED
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__!r}"
        for record in caplog.records
    )
    bare = code.replace("-", "")
    for form in (code, bare, code.lower(), bare.lower()):
        assert form not in logged
    assert "ZZZZ" not in logged  # nor a wrong one a player typed


def test_only_one_of_two_concurrent_redeems_wins(app: Flask, answer: str, clock: Clock) -> None:
    with app.app_context():
        code = transfer_store.create_code("p" * 22, b"test-secret", clock.now)
    digest = transfer.code_hash(code.code, b"test-secret")
    start = threading.Barrier(2)
    won: list[str | None] = []

    def redeem(device: str) -> None:
        with app.app_context():
            start.wait()
            won.append(transfer_store.redeem(digest, device, clock.now))
            db.session.remove()

    threads = [threading.Thread(target=redeem, args=(name * 22,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(won, key=str) == [None, "p" * 22]


def test_making_codes_is_limited_like_moves(app: Flask, answer: str) -> None:
    app.config["GUESS_RATE_LIMIT"] = "2 per minute"
    phone = Device(app, htmx=True)
    assert [phone.post("create")[0] for _ in range(3)] == [200, 200, 429]
    assert "Too many tries" in phone.last.get_data(as_text=True)


def test_sixteen_wrong_codes_at_once_get_five_judged(app: Flask, answer: str) -> None:
    """The limit is counted before a code is judged, in one step: a burst cannot overtake it."""
    laptop = Device(app, htmx=True, address="203.0.113.9")
    page = laptop.page()
    token = page.find("form", attrs={"data-transfer": "redeem"}).find(
        "input", attrs={"name": "csrf_token"}
    )["value"]
    start = threading.Barrier(16)
    statuses: list[int] = []

    def redeem(n: int) -> None:
        client = app.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
        with laptop.client.session_transaction() as theirs, client.session_transaction() as mine:
            mine.update(theirs)
        start.wait()
        response = client.post(
            "/transfer/redeem",
            data={"csrf_token": token, "code": f"ZZZZ-ZZZZ-ZZ{n:02d}"},
            headers={"HX-Request": "true"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=redeem, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [422] * 5 + [429] * 11


def test_an_ipv6_client_counts_by_its_64(app: Flask, answer: str) -> None:
    first = Device(app, htmx=True, address="2001:db8:1:2::1")
    second = Device(app, htmx=True, address="2001:db8:1:2:ffff:ffff:ffff:fffe")
    elsewhere = Device(app, htmx=True, address="2001:db8:1:3::1")
    assert [first.redeem("ZZZZ-ZZZZ-ZZZ1")[0] for _ in range(3)] == [422] * 3
    assert [second.redeem("ZZZZ-ZZZZ-ZZZ2")[0] for _ in range(3)] == [422, 422, 429]
    assert elsewhere.redeem("ZZZZ-ZZZZ-ZZZ3")[0] == 422  # another /64 has its own budget


def test_failed_redeems_have_a_ceiling_for_the_whole_site(app: Flask, answer: str) -> None:
    """An attacker with an address per try still meets a ceiling on failures a minute."""
    app.config["TRANSFER_SITE_FAILURES"] = "3 per minute"
    phone = Device(app)
    good = phone.make_code()
    tries = [
        Device(app, htmx=True, address=f"198.51.100.{n}").redeem("ZZZZ-ZZZZ-ZZZZ") for n in range(4)
    ]
    assert [status for status, _html, _headers in tries] == [422, 422, 422, 429]
    _status, html, headers = tries[-1]
    assert error_text(html) == TOO_MANY
    assert headers["Retry-After"] == "60"
    # Even a good code waits for the minute to pass: the ceiling cannot tell it from a guess.
    assert Device(app, htmx=True, address="198.51.100.99").redeem(good)[0] == 429


def test_a_code_of_the_old_length_works_until_it_expires(
    app: Flask, answer: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A code made by the release before (8 characters) is redeemed after the deploy."""
    monkeypatch.setattr(transfer, "code_of_seed", lambda seed, key: "K7QXM2PD")
    old = Device(app).make_code()
    assert old == "K7QX-M2PD"
    monkeypatch.undo()
    assert Device(app).redeem("k7qx m2pd")[0] == 303


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("form", ["create", "redeem"])
def test_an_expired_form_on_the_stats_page_is_answered_there(
    app: Flask, answer: str, htmx: bool, form: str
) -> None:
    """A stale token gets the stats page's own message, in a fresh form that works."""
    device = Device(app, htmx)
    status, html, _ = device.post(form, csrf_token="stale", code="ZZZZ-ZZZZ-ZZZZ")
    assert status == 400
    message = html.find(attrs={"data-transfer-error": True})
    assert message is not None and "expired" in message.get_text()
    # The stats page's own words, not the game's (its forms speak of a guess); the page itself
    # may say "guess" elsewhere (the league form's hint does).
    notice = html.find(id="notice")
    assert "guess" not in message.get_text() + (notice.get_text() if notice else "")
    fresh = html.find("form", attrs={"data-transfer": form})
    assert fresh is not None, "the form is gone"
    token = fresh.find("input", attrs={"name": "csrf_token"})["value"]
    assert device.post(form, csrf_token=token, code="ZZZZ-ZZZZ-ZZZZ")[0] in (200, 303, 422)


def test_errors_answered_to_htmx_never_replace_the_form(app: Flask, answer: str) -> None:
    """A 429 (or any problem()) to htmx is a notice on its own: the swap target is left alone."""
    app.config["GUESS_RATE_LIMIT"] = "1 per minute"
    device = Device(app, htmx=True)
    assert device.post("create")[0] == 200
    status, html, headers = device.post("create")
    assert status == 429
    assert headers["HX-Reswap"] == "none"
    notice = html.find(id="notice")
    assert "Too many tries" in notice.get_text()
    # The stats page has the notice area the out-of-band swap needs.
    assert device.page().find(id="notice", attrs={"role": "status"}) is not None


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_worker_counting_alone_still_gives_five_tries(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch, htmx: bool
) -> None:
    """Three workers and no shared counts: each still judges 5 wrong codes, not 5 // 3 = 1."""
    monkeypatch.setattr(limits, "counts_alone", lambda: True)
    app.config["WEB_CONCURRENCY"] = 3
    good = Device(app).make_code()
    laptop = Device(app, htmx, "203.0.113.30")
    answers = [laptop.redeem(f"ZZZZ-ZZZZ-ZZ{n:02d}") for n in range(5)]
    assert {error_text(html) for _status, html, _headers in answers} == {NOT_RIGHT}
    status, html, _ = laptop.redeem(good)
    assert status == (429 if htmx else 303)
    assert error_text(html) == TOO_MANY


def test_a_spent_code_is_told_apart_for_a_day_then_forgotten(
    app: Flask, answer: str, clock: Clock
) -> None:
    """A spent code's hashed row stays a day after it expires, then the next new code clears it."""
    code = Device(app).make_code()
    clock.advance(hours=24, minutes=15)
    laptop = Device(app, htmx=True)
    assert error_text(laptop.redeem(code)[1]) == EXPIRED
    clock.advance(seconds=1)
    Device(app).make_code()  # any player's new code clears rows a day past their expiry
    assert error_text(laptop.redeem(code)[1]) == NOT_RIGHT
    with app.app_context():
        assert len(db.session.scalars(select(TransferCode)).all()) == 1
