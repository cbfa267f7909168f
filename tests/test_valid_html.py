"""Every page a player meets validates in the W3C Nu HTML checker (npm vnu-jar, run by Java).

The pages, the league pages among them, are rendered through the test client, written to a
folder and checked in one run of the checker (one JVM start for all of them). Without Java or
the npm package the test is skipped, naming what is missing; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie.config import PROJECT_ROOT
from tests.conftest import Player
from tests.test_leagues import Friend

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checker() -> list[str]:
    """Return the command that runs the Nu checker; skip (fail in CI) when it cannot run."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR.relative_to(PROJECT_ROOT)} (make assets: npm ci)")
    if missing:
        reason = "the HTML validator needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run it", pytrace=False)
        pytest.skip(reason)
    assert java is not None
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def validate(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Check the pages in one run; return each page's errors (line: message) by name."""
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    run = subprocess.run(
        [*checker(), *(str(folder / f"{name}.html") for name in pages)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in report["messages"]:
        # The checker names each file by a file: URL; its last part is the page's name.
        name = message.get("url", "?").rsplit("/", 1)[-1].removesuffix(".html")
        errors.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
    return errors


def page(player: Player, path: str) -> str:
    response = player.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def after_transfer_form(player: Player, action: str, data: dict[str, str]) -> str:
    """Send a transfer form without JavaScript; return the statistics page its 303 leads to."""
    form = BeautifulSoup(page(player, "/stats"), "html.parser").find("form", action=action)
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = player.client.post(action, data={"csrf_token": token, **data})
    assert response.status_code == 303, (action, response.status_code)
    return page(player, response.headers["Location"])


def shown(friend: Friend, expected: int) -> str:
    """Return the page a league form or a GET last showed, checking its status."""
    assert friend.last is not None
    assert friend.last.status_code == expected, (friend.last.request.path, friend.last.status_code)
    return friend.last.get_data(as_text=True)


def league_pages(app: Flask, answer: str) -> dict[str, str]:
    """Every league page: a board with won, lost, playing and not yet, refusals, gone pages."""
    pages: dict[str, str] = {}
    ann, bob, cleo, dan, eve = (Friend(app) for _ in range(5))
    ann.get("/leagues")
    pages["leagues-none"] = shown(ann, 200)
    ann.submit("/leagues", "create", league_name=" ", display_name="Ann")
    pages["leagues-refused"] = shown(ann, 422)
    league_id = ann.start("Friday Film Club", "Ann")
    invite = ann.invite_path(league_id)
    bob.get(invite)
    pages["league-invite"] = shown(bob, 200)
    bob.join(invite, "ann")
    pages["league-invite-refused"] = shown(bob, 422)
    for friend, name in ((bob, "Bob"), (cleo, "Cleo"), (dan, "Dan")):
        assert friend.join(invite, name)[0] == 303
    ann.play("Lanterns Over Kyoto", answer)
    bob.play(*[""] * 6)
    cleo.play("")
    ann.get(f"/leagues/{league_id}")
    pages["league-keeper"] = shown(ann, 200)
    bob.get(f"/leagues/{league_id}")
    pages["league-member"] = shown(bob, 200)
    ann.submit(f"/leagues/{league_id}", "rename", league_name="x" * 41)
    pages["league-rename-refused"] = shown(ann, 422)
    ann.get("/leagues")
    pages["leagues-one"] = shown(ann, 200)
    eve.get(f"/leagues/{league_id}")
    pages["league-gone"] = shown(eve, 404)
    eve.get("/l/00000000aaaaaaaaaaaaaaaa")
    pages["league-invite-stale"] = shown(eve, 404)
    board = BeautifulSoup(pages["league-keeper"], "html.parser").select("[data-league-member]")
    assert {line["data-league-member"] for line in board} == {"won", "lost", "playing", "none"}
    return pages


def test_every_page_a_player_meets_is_valid_html(app: Flask, answer: str, tmp_path: Path) -> None:
    pages: dict[str, str] = {}
    newcomer = Player(app.test_client(), htmx=False)
    pages["new"] = page(newcomer, "/")
    newcomer.guess("Not A Film We Know")  # a refusal, with its notice
    pages["refused"] = page(newcomer, "/")
    newcomer.guess("Lanterns Over Kyoto")
    newcomer.skip()
    pages["mid-game"] = page(newcomer, "/")
    newcomer.guess(answer)
    pages["won"] = page(newcomer, "/")
    loser = Player(app.test_client(), htmx=False)
    for _ in range(6):
        loser.skip()
    pages["lost"] = page(loser, "/")
    pages["stats"] = page(loser, "/stats")
    pages["stats-code"] = after_transfer_form(loser, "/transfer/code", {})
    pages["stats-refused"] = after_transfer_form(loser, "/transfer/redeem", {"code": "zzzz-zzz1"})
    pages["archive"] = page(loser, "/archive")
    pages["result-link"] = page(loser, "/r/69/xso")
    pages["offline"] = page(loser, "/offline")
    pages.update(league_pages(app, answer))
    assert newcomer.page.find(attrs={"data-result": "won"}) is not None
    assert loser.page.find(attrs={"data-result": "lost"}) is not None

    errors = validate(pages, tmp_path)

    assert set(errors) == set(pages), errors
    assert errors == {name: [] for name in pages}


def test_the_checker_reports_an_invalid_page(tmp_path: Path) -> None:
    """The check can fail: an attribute htmx reads, written bare, is an error."""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><form hx-post="/x" action="/x" method="post"></form></body></html>'
    )
    errors = validate({"bare-hx": html}, tmp_path)
    assert any("hx-post" in line for line in errors["bare-hx"]), errors
