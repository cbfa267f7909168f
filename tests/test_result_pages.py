"""Result links through the app: the preview page's tags, the picture, its caching, bad links."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from PIL import Image

from guessthatmovie import CONTENT_SECURITY_POLICY, cache, result_card
from guessthatmovie.game import titles
from guessthatmovie.store import catalogue as catalogue_queries
from guessthatmovie.store import day_puzzle, puzzles
from tests.conftest import LAUNCH, Clock, Player
from tests.test_runtime import statements_during
from tests.test_stats import lose, share_text, win_in_three

TODAY = date(2026, 3, 10)  # puzzle #69 in the Clock fixture
IMMUTABLE = "public, max-age=31536000, immutable"


def schedule(app: Flask, clock: Clock, day: date, label: str) -> int:
    with app.app_context():
        movie = catalogue_queries.movies_matching(titles.parse_guess(label))[0]
        return puzzles.set_puzzle(day, movie, LAUNCH, clock.now).number


def meta(page: BeautifulSoup, key: str) -> str:
    """Return the content of an Open Graph (property=) or Twitter (name=) tag, which must be one."""
    tags = page.find_all("meta", attrs={"property": key}) + page.find_all(
        "meta", attrs={"name": key}
    )
    assert len(tags) == 1, (key, tags)
    return str(tags[0]["content"])


def shared_link(player: Player) -> str:
    """Return the URL on the last line of the finished game's share text."""
    return share_text(player.page).split("\n")[-1]


@pytest.fixture(autouse=True)
def empty_cache(app: Flask) -> None:
    """Start with nothing cached: the PostgreSQL run's Redis outlives a test's database."""
    with app.app_context():
        cache.forget_all()


def test_a_won_game_shares_a_result_link_with_its_preview(player: Player) -> None:
    win_in_three(player)
    link = shared_link(player)
    assert link == "http://localhost/r/69/xso"
    response = player.client.get(urlsplit(link).path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert meta(page, "og:title") == "Guess That Movie #69 — 3/6"
    assert meta(page, "og:url") == link
    assert meta(page, "og:image") == "http://localhost/r/69/xso.png"
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "og:type") == "website"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == "http://localhost/r/69/xso.png"
    assert meta(page, "twitter:title") == meta(page, "og:title")
    description = meta(page, "og:description")
    assert description.startswith("A player found the movie in 3 of 6 attempts.")
    assert "harbour" not in description.lower()
    # For a person: the score, the grid in words and marks, and the way to today's game.
    assert page.find("h1").get_text(" ", strip=True) == "Guess That Movie #69 3/6"
    squares = page.select("[data-square]")
    assert [s["data-square"] for s in squares] == ["wrong", "skipped", "right"] + ["unused"] * 3
    words = [s.find(class_="visually-hidden").get_text() for s in squares]
    assert words[:3] == ["Attempt 1: wrong", "Attempt 2: skipped", "Attempt 3: right"]
    assert [s.find(attrs={"aria-hidden": "true"}).get_text() for s in squares[:3]] == [
        "✗",
        "–",
        "✓",
    ]
    play = page.find("a", attrs={"data-play-today": True})
    assert play.get_text(strip=True) == "Play today's puzzle" and play["href"] == "/"
    assert not page.find_all("a", string="Try puzzle #69")  # today's: the link above is it
    # Nothing inline for the strict CSP to block: scripts by src only, no style attributes.
    assert all(script.get("src") for script in page.find_all("script"))
    assert not page.find_all(style=True) and not page.find_all("style")


def test_a_lost_game_shares_its_loss(player: Player) -> None:
    lose(player)
    link = shared_link(player)
    assert link == "http://localhost/r/69/ssssss"
    page = BeautifulSoup(player.client.get("/r/69/ssssss").get_data(as_text=True), "html.parser")
    assert meta(page, "og:title") == "Guess That Movie #69 — X/6"
    assert meta(page, "og:description").startswith("A player used all 6 attempts")
    assert [s["data-square"] for s in page.select("[data-square]")] == ["skipped"] * 6


def test_an_archive_result_offers_that_puzzle_too(app: Flask, answer: str, clock: Clock) -> None:
    number = schedule(app, clock, TODAY - timedelta(days=1), "Spider-Moth")
    response = app.test_client().get(f"/r/{number}/xo")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 200
    assert page.find("a", string=f"Try puzzle #{number}")["href"] == f"/puzzle/{number}"
    assert "spider" not in response.get_data(as_text=True).lower()


def test_the_picture(app: Flask, answer: str) -> None:
    response = app.test_client().get("/r/69/xso.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == IMMUTABLE
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.size == (1200, 630)
    kinds = ["wrong", "skipped", "right", "unused", "unused", "unused"]
    for box, kind in zip(result_card.grid_boxes(6), kinds, strict=True):
        inner = image.crop((box.left + 15, box.top + 15, box.right - 15, box.bottom - 15))
        colours = inner.getcolors(maxcolors=1 << 16)
        assert colours is not None
        assert max(colours)[1] == result_card.FILLS[kind], kind
    centres = [image.getpixel(box.centre) for box in result_card.grid_boxes(6)[:3]]
    assert centres == [result_card.MARK_COLOUR, result_card.MARK_COLOUR, result_card.FILLS["right"]]


def test_the_picture_is_validated_by_its_etag(app: Flask, answer: str) -> None:
    client = app.test_client()
    first = client.get("/r/69/xso.png")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # a strong validator
    assert client.get("/r/69/xso.png").headers["ETag"] == etag
    assert client.get("/r/69/xxo.png").headers["ETag"] != etag
    again = client.get("/r/69/xso.png", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == IMMUTABLE
    other = client.get("/r/69/xso.png", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == first.data


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, Sequence[str], int]]:
    """Wrap the renderer so that a test can count what it drew."""
    calls: list[tuple[int, Sequence[str], int]] = []
    real: Callable[[int, Sequence[str], int], bytes] = result_card.render_png

    def counting(number: int, outcomes: Sequence[str], attempts: int) -> bytes:
        calls.append((number, outcomes, attempts))
        return real(number, outcomes, attempts)

    monkeypatch.setattr(result_card, "render_png", counting)
    return calls


def test_a_second_request_is_served_from_the_cache(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_renders(monkeypatch)
    first = app.test_client().get("/r/69/xso.png")
    second = app.test_client().get("/r/69/xso.png")  # another client: no ETag to send
    assert first.status_code == second.status_code == 200
    assert second.data == first.data
    assert calls == [(69, ("wrong", "skipped", "right"), 6)]
    app.test_client().get("/r/69/xxo.png")
    assert len(calls) == 2  # a different grid is a different picture


def test_the_picture_is_drawn_even_when_the_cache_fails(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache.cache, "get", broken)
    monkeypatch.setattr(cache.cache, "set", broken)
    response = app.test_client().get("/r/69/xo.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)


BAD_LINKS = [
    pytest.param("/r/69/xzo", id="letter-outside-alphabet"),
    pytest.param("/r/69/XSO", id="upper-case"),
    pytest.param("/r/69/xxxxxxx", id="longer-than-attempts"),
    pytest.param("/r/69/sssssso", id="win-after-last-attempt"),
    pytest.param("/r/69/ox", id="move-after-right"),
    pytest.param("/r/69/oo", id="two-rights"),
    pytest.param("/r/69/xs", id="unfinished-loss"),
    pytest.param("/r/69/%3Cscript%3Ealert(1)%3C%2Fscript%3E", id="markup"),
    pytest.param("/r/69/%F0%9F%9F%A5", id="emoji-square"),
    pytest.param("/r/69/" + "o" * 5000, id="very-long"),
    pytest.param("/r/69/", id="empty-grid"),
    pytest.param("/r/70/o", id="future-puzzle"),
    pytest.param("/r/68/o", id="unscheduled-past-puzzle"),
    pytest.param("/r/5000/o", id="nonexistent-puzzle"),
    pytest.param("/r/0/o", id="puzzle-zero"),
    pytest.param("/r/-1/o", id="negative"),
    pytest.param("/r/99999999999999999999999/o", id="huge-number"),
    pytest.param("/r/2147483648/o", id="just-past-max"),
    pytest.param("/r/abc/o", id="not-a-number"),
]


@pytest.mark.parametrize("suffix", ["", ".png"], ids=["page", "png"])
@pytest.mark.parametrize("path", BAD_LINKS)
def test_bad_result_links_are_404(
    app: Flask, answer: str, clock: Clock, path: str, suffix: str
) -> None:
    schedule(app, clock, TODAY + timedelta(days=1), "Spider-Moth")  # #70 exists, but tomorrow
    for headers in ({}, {"HX-Request": "true"}):
        response = app.test_client().get(path + suffix, headers=headers)
        assert response.status_code == 404, (path, response.status_code)
        body = response.get_data(as_text=True)
        assert "<script>alert(1)" not in body
        assert "spider" not in body.lower() and "harbour" not in body.lower()
        assert response.headers["Cache-Control"] == "no-store"
        assert "ETag" not in response.headers


def test_a_future_puzzle_answers_once_its_day_has_come(
    app: Flask, answer: str, clock: Clock
) -> None:
    """The remembered day of a puzzle is compared with today at each request."""
    schedule(app, clock, TODAY + timedelta(days=1), "Spider-Moth")
    client = app.test_client()
    assert client.get("/r/70/o").status_code == 404
    assert client.get("/r/70/o.png").status_code == 404
    clock.advance(days=1)
    assert client.get("/r/70/o").status_code == 200
    assert client.get("/r/70/o.png").status_code == 200


def test_a_warm_result_link_runs_no_sql(app: Flask, answer: str) -> None:
    """Once the puzzle's day and the picture are cached, a preview fetch leaves the database be."""
    client = app.test_client()
    client.get("/r/69/xso")
    client.get("/r/69/xso.png")
    assert statements_during(app, lambda: client.get("/r/69/xso")) == []
    assert statements_during(app, lambda: client.get("/r/69/xso.png")) == []


def test_pictures_beyond_the_search_limit_get_a_429(app: Flask, answer: str) -> None:
    """Each new grid costs a drawing: one client walking them all is held to a budget."""
    app.config["SEARCH_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [client.get(f"/r/69/{grid}.png").status_code for grid in ("o", "xo", "so", "xxo")]
    assert statuses == [200, 200, 200, 429]


def test_pictures_stay_out_of_the_shared_cache(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client walking every grid must not grow Redis: only the puzzle is stored there."""
    stored: list[str] = []
    real_set = cache.cache.set

    def recording(key: str, value: object, timeout: int | None = None) -> bool:
        stored.append(key)
        return bool(real_set(key, value, timeout=timeout))

    monkeypatch.setattr(cache.cache, "set", recording)
    client = app.test_client()
    grids = ("o", "xo", "so", "xxo", "sxo", "xxxxxx")
    assert [client.get(f"/r/69/{grid}.png").status_code for grid in grids] == [200] * 6
    # The puzzle's key carries the shape of its plain values (a deploy never reads another).
    assert sorted(stored) == ["puzzle-day:69", f"puzzle:v{day_puzzle.SCHEMA}:number:69"]


def test_each_worker_keeps_a_bounded_few_pictures(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["RESULT_PICTURE_CACHE_BYTES"] = 120_000  # two or so pictures of ~50 KB
    calls = count_renders(monkeypatch)
    client = app.test_client()
    grids = ("o", "xo", "so", "xxo", "sxo")
    for grid in grids:
        assert client.get(f"/r/69/{grid}.png").status_code == 200
    kept = app.extensions["gtm_pictures"]
    assert 1 <= len(kept) < len(grids)
    assert kept.size <= 120_000
    client.get("/r/69/sxo.png")  # the latest is kept: not drawn again
    assert len(calls) == len(grids)
    client.get("/r/69/o.png")  # the first was dropped for the later ones: drawn again
    assert len(calls) == len(grids) + 1
