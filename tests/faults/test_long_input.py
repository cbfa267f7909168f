"""Four 64 KB guesses at once against gunicorn: each refused at once, /healthz keeps answering."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.faults.client import Client, form_of, post_move
from tests.faults.conftest import WORKERS, Serve, database_with_puzzle
from tests.faults.test_concurrent_submits import all_at_once
from tests.servers import Reply

AT_ONCE = 4
ROUNDS = 10  # each of the four sends this many in a row, so that /healthz is asked meanwhile
# The most text that fits in a form under the 64 KiB body cap, in the shape that once held a
# worker about 30 s: words far apart, the spaces between them tried again by every pattern.
HOSTILE = "a" + " " * 64_000 + "b"


def timed_move(client: Client, url: str, fields: dict[str, str], htmx: bool) -> tuple[Reply, float]:
    """Post a move and return its answer with the seconds it took."""
    started = time.perf_counter()
    reply = post_move(client, url, fields, htmx)
    return reply, time.perf_counter() - started


def test_four_long_guesses_at_once_leave_the_site_up(
    serve: Serve, workdir: Path, postgres: str
) -> None:
    url = database_with_puzzle(workdir, "_faults_long_input")
    _server, port = serve(url)
    players = []
    for index in range(AT_ONCE):
        player = Client(port, timeout=40.0)
        found = form_of(player.get())
        assert found is not None
        action_url, fields = found
        fields.update(action="guess", guess=HOSTILE)
        players.append((player, action_url, fields, bool(index % 2)))

    health: list[float] = []
    failed: list[str] = []
    done = threading.Event()

    def watch_health() -> None:
        while not done.is_set():
            started = time.perf_counter()
            try:
                status = Client(port, timeout=5.0).get("/healthz").status
            except OSError as error:
                failed.append(type(error).__name__)
            else:
                health.append(time.perf_counter() - started)
                if status != 200:
                    failed.append(str(status))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch_health, daemon=True)
    watcher.start()
    try:
        clients = [p[0] for p in players]
        by_client = {id(p[0]): p for p in players}

        def send(client: Client) -> list[tuple[Reply, float]]:
            _player, action_url, fields, htmx = by_client[id(client)]
            return [timed_move(client, action_url, fields, htmx) for _ in range(ROUNDS)]

        answers = [answer for sent in all_at_once(clients, send) for answer in sent]
    finally:
        done.set()
        watcher.join(timeout=10)

    # Refused: a 422 fragment to htmx, a redirect to the page (Post/Redirect/Get) for a plain form.
    expected = [422 if htmx else 303 for _p, _u, _f, htmx in players for _ in range(ROUNDS)]
    assert [reply.status for reply, _ in answers] == expected
    for reply, _ in answers:
        if reply.status == 422:
            assert "longer than any title" in reply.html.find(id="notice").get_text()
    for index, (player, _url, _fields, htmx) in enumerate(players):
        if not htmx:  # the notice waits in the session for the page the redirect lands on
            last, _seconds = answers[(index + 1) * ROUNDS - 1]
            page = player.get(urlsplit(last.headers["Location"]).path)
            assert "longer than any title" in page.html.find(id="notice").get_text()
    refused_in = max(seconds for _, seconds in answers)
    assert failed == [], f"/healthz failed while the long guesses ran: {failed}"
    assert health, "/healthz was never asked"
    # A refused move is a few milliseconds of work; the sync workers were never all taken.
    assert refused_in < 2.0, f"{refused_in:.2f} s to refuse a 64 KB guess"
    print(
        f"\nFAULT long-input: {AT_ONCE} clients at once, {ROUNDS} guesses of {len(HOSTILE)} "
        f"characters each, on {WORKERS} workers: all refused (422, or 303 without JS), median "
        f"{statistics.median(s for _, s in answers) * 1000:.0f} ms, slowest "
        f"{refused_in * 1000:.0f} ms; /healthz answered "
        f"{len(health)} times meanwhile, median {statistics.median(health) * 1000:.1f} ms, "
        f"slowest {max(health) * 1000:.1f} ms"
    )
