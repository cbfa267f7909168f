"""Another site's page posts a form to the game: the player's cookie and game stay as they were."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, OpenPlayer

# The live server is http://127.0.0.1:PORT; "localhost" is another site to the browser (a site
# is the scheme and host, whatever the port), so SameSite=Lax keeps the cookie off its POSTs.
FOREIGN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Win a prize</title></head><body><form method="post" action="{action}">
<input type="hidden" name="guess" value="{guess}"><input type="hidden" name="position" value="1">
<input type="hidden" name="action" value="guess"><button type="submit">Claim</button></form>
{script}</body></html>"""
AUTO_SUBMIT = "<script>document.forms[0].submit()</script>"


class ForeignSite:
    """A page on another origin (localhost, a port of its own) that posts to the game."""

    def __init__(self) -> None:
        self.page = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def foreign_site() -> Iterator[ForeignSite]:
    site = ForeignSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.mark.parametrize("js", [True, False], ids=["auto-submitted", "clicked-without-js"])
def test_a_form_on_another_site_never_replaces_the_player(
    open_player: OpenPlayer, live_server: LiveServer, foreign_site: ForeignSite, js: bool
) -> None:
    player = open_player(js=js)
    player.skip()
    expect(player.guesses).to_have_count(1)
    cookies_before = {c["name"]: c["value"] for c in player.context.cookies()}
    action = live_server.url + str(player.form.get_attribute("action"))
    foreign_site.page = FOREIGN_PAGE.format(
        action=action, guess="x" * 40_000, script=AUTO_SUBMIT if js else ""
    )

    posted = []
    player.page.on(
        "request",
        lambda request: posted.append(request) if request.method == "POST" else None,
    )
    player.page.goto(foreign_site.url)
    if not js:
        player.page.get_by_role("button", name="Claim").click()
    player.page.wait_for_url(f"{live_server.url}/**")
    player.page.wait_for_load_state()

    assert len(posted) == 1 and posted[0].all_headers().get("sec-fetch-site") == "cross-site"
    answer = posted[0].response()
    assert answer is not None and answer.status == 303
    assert "set-cookie" not in answer.all_headers()
    # The player lands on their own game, told that nothing changed.
    assert urlsplit(player.page.url).query == "notice=foreign"
    expect(player.notice).to_contain_text("nothing was changed")
    cookies_after = {c["name"]: c["value"] for c in player.context.cookies()}
    assert cookies_after == cookies_before
    player.reload()
    expect(player.guesses).to_have_count(1)
    assert player.outcomes() == ["skipped"]
