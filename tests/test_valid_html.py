"""Every page a player meets validates in the W3C Nu HTML checker (npm vnu-jar, run by Java).

The pages are rendered through the test client, written to a folder and checked in one run of
the checker (one JVM start for all of them). Without Java or the npm package the test is
skipped, naming what is missing; in CI (CI=true) it fails instead.
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
