"""The archive: past puzzles with this player's results; titles only for finished games."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask

from guessthatmovie.web import archive
from tests.conftest import Clock, Player
from tests.test_stats import TODAY, schedule


def entries(page: BeautifulSoup) -> dict[int, Tag]:
    return {int(li["data-puzzle"]): li for li in page.select("[data-puzzle]")}


def text_of(node: Tag) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


@pytest.fixture
def calendar(app: Flask, answer: str, clock: Clock) -> None:
    """#66-#68 before today (#69, The Quiet Harbour), #70 tomorrow."""
    schedule(app, clock, TODAY - timedelta(days=3), "Salt & Pepper Road")  # 66
    schedule(app, clock, TODAY - timedelta(days=2), "Lanterns Over Kyoto")  # 67
    schedule(app, clock, TODAY - timedelta(days=1), "Spider-Moth")  # 68
    schedule(app, clock, TODAY + timedelta(days=1), "Glass Meridian (2016)")  # 70


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_archive_lists_results_and_titles_of_finished_games_only(
    app: Flask, calendar: None, clock: Clock, htmx: bool
) -> None:
    client = app.test_client()
    clock.now -= timedelta(days=2)
    Player(client, htmx=False).guess("Lanterns Over Kyoto")  # #67 won on its day
    clock.advance(days=2)
    started = Player(client, htmx=False)
    started.load("/puzzle/68")
    started.skip()  # #68 started from the archive, unfinished
    lost = Player(client, htmx=False)
    lost.load("/puzzle/66")
    for _ in range(6):
        lost.skip()  # #66 lost from the archive
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/archive", headers=headers)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert (page.find("h1") is None) is htmx
    listed = entries(page)
    assert list(listed) == [69, 68, 67, 66]  # newest first; #70 (tomorrow) never listed
    assert [li["data-status"] for li in listed.values()] == ["not-played", "playing", "won", "lost"]
    links = [li.find("a")["href"] for li in listed.values()]
    assert links == ["/", "/puzzle/68", "/puzzle/67", "/puzzle/66"]
    assert "Solved in 1/6" in text_of(listed[67])
    assert "Not solved (X/6)" in text_of(listed[66])
    assert "In progress" in text_of(listed[68])
    assert "Not played" in text_of(listed[69]) and "today" in text_of(listed[69])
    # Titles only where this player finished the game.
    titles = {n: li.find(attrs={"data-title": True}) for n, li in listed.items()}
    assert text_of(titles[67]) == "Lanterns Over Kyoto (2004)"
    assert text_of(titles[66]) == "Salt & Pepper Road (1983)"
    assert titles[68] is None and titles[69] is None
    whole = text_of(page).lower()
    for hidden in ("spider-moth", "quiet harbour", "glass meridian"):
        assert hidden not in whole
    # Archive games are marked; the game played on its day is not.
    marked = [n for n, li in listed.items() if li.find(attrs={"data-archive-play": True})]
    assert marked == [68, 66]


def test_another_player_sees_no_titles(app: Flask, calendar: None) -> None:
    finished = Player(app.test_client(), htmx=False)
    finished.load("/puzzle/67")
    finished.guess("Lanterns Over Kyoto")
    page = Player(app.test_client(), htmx=False).load("/archive")
    assert [li["data-status"] for li in entries(page).values()] == ["not-played"] * 4
    assert page.select("[data-title]") == []
    assert "lanterns" not in text_of(page).lower()


def test_archive_pages_back(app: Flask, calendar: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "PAGE_SIZE", 2)
    client = app.test_client()
    page = BeautifulSoup(client.get("/archive").get_data(as_text=True), "html.parser")
    assert list(entries(page)) == [69, 68]
    older = page.find("a", string="Older puzzles")
    assert older["href"] == "/archive?before=68"
    response = client.get(older["href"], headers={"HX-Request": "true"})
    fragment = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert fragment.find(id="archive-list") is not None and fragment.find("h1") is None
    assert list(entries(fragment)) == [67, 66]
    assert fragment.find("a", string="Older puzzles") is None
    assert fragment.find("a", string="Newest puzzles")["href"] == "/archive"


@pytest.mark.parametrize("before", ["abc", "0", "-3", "99999999999999999999999", str(2**31)])
def test_a_bad_page_is_a_friendly_404(app: Flask, calendar: None, before: str) -> None:
    response = app.test_client().get(f"/archive?before={before}")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_archive_before_launch_is_empty(app: Flask, answer: str, clock: Clock) -> None:
    clock.now = clock.now.replace(year=2025)
    page = Player(app.test_client(), htmx=False).load("/archive")
    assert page.select("[data-puzzle]") == []
    assert "No puzzles yet." in text_of(page)


@pytest.mark.parametrize("path", ["/", "/archive", "/stats"])
def test_every_page_links_to_archive_and_stats(app: Flask, answer: str, path: str) -> None:
    page = Player(app.test_client(), htmx=False).load(path)
    nav = page.find("nav", attrs={"aria-label": "Site"})
    assert [a["href"] for a in nav.find_all("a")] == ["/", "/archive", "/stats"]
    assert [a["href"] for a in nav.find_all("a", attrs={"aria-current": "page"})] == [path]
