"""PostgreSQL stopped and started under load: a friendly 503 meanwhile, then normal service."""

from __future__ import annotations

import json
import time
from collections import Counter

import sqlalchemy as sa

from tests.conftest import recreate_postgres_database
from tests.deploy.conftest import build_database
from tests.faults.client import Client, Load, form_of, post_move
from tests.faults.conftest import WORKERS, Serve
from tests.faults.test_worker_kill import check_moves, stored_moves
from tests.servers import PostgresCluster, Process, wait_for, worker_pids

OUTAGE_SECONDS = 2.5
QUIET_SECONDS = 1.2  # no request around the quiet restart for this long
BUSY = "briefly unavailable"


def workers_answering_since(server: Process, offset: int) -> set[int]:
    """Return the pids of the workers that answered a page with 200 after a log offset."""
    pids = set()
    for line in server.log_path.read_bytes()[offset:].decode(errors="replace").splitlines():
        if line.startswith('{"pid"'):
            entry = json.loads(line)
            if entry["status"] == 200 and entry["path"] == "/":
                pids.add(int(entry["pid"].strip("<>")))  # gunicorn writes <pid>
    return pids


def test_players_get_a_friendly_503_and_the_game_comes_back(
    serve: Serve, postgres_cluster: PostgresCluster
) -> None:
    url = sa.engine.make_url(postgres_cluster.url).set(database="gtm").render_as_string(False)
    recreate_postgres_database(url)
    build_database(url)
    server, port = serve(url)
    workers = worker_pids(server)
    probe = Client(port)
    found = form_of(probe.get())
    assert found is not None
    action_url, fields = found
    fields.update(action="guess", guess="Spider-Moth")
    with Load(port, threads=4) as load:
        time.sleep(1.5)
        stopping = time.monotonic()
        postgres_cluster.stop()
        down = time.monotonic()
        # A page, a plain move and an htmx move now: each the friendly 503, page or fragment.
        probes = [
            (probe.get(), False),
            (probe.get(htmx=True), True),
            (post_move(probe, action_url, fields, htmx=False), False),
            (post_move(probe, action_url, fields, htmx=True), True),
        ]
        time.sleep(OUTAGE_SECONDS)
        # PostgreSQL accepts connections a little before pg_ctl's start returns: the outage
        # window ends when the start begins, not when it has returned.
        restarting = time.monotonic()
        postgres_cluster.start()
        back = time.monotonic()
        offset = server.log_path.stat().st_size
        wait_for(lambda: probe.get().status == 200, "a page after PostgreSQL returned")
        first = time.monotonic() - back
        wait_for(
            lambda: workers_answering_since(server, offset) == workers,
            "every worker answering after PostgreSQL returned",
            server.log_path,
        )
        recovered = time.monotonic()
        everyone = recovered - back
        time.sleep(1.0)
    assert load.failures == [], load.failures
    for reply, htmx in probes:
        assert reply.status == 503, reply.text
        assert BUSY in reply.html.find(id="notice").get_text()
        assert (reply.html.find("html") is None) is htmx, reply.text
        assert "Traceback" not in reply.text
    statuses = Counter(seen.reply.status for seen in load.seen)
    assert 500 not in statuses and statuses[503] > 0, statuses
    assert set(statuses) <= {200, 303, 503}, statuses
    outage = [seen for seen in load.seen if down <= seen.sent and seen.at <= restarting]
    assert outage, "no request went out and came back during the outage"
    # A first visit needs no database once the worker holds the day's puzzle: a newcomer still
    # sees the puzzle. Everything else (a player's game, every move) is the friendly 503.
    first_visits = [seen for seen in outage if seen.newcomer and seen.method == "GET"]
    served = [seen for seen in outage if not (seen.newcomer and seen.method == "GET")]
    assert served and {seen.reply.status for seen in served} == {503}, [
        (round(seen.sent - down, 2), seen.method, seen.newcomer, seen.reply.status)
        for seen in served
    ]
    assert {seen.reply.status for seen in first_visits} <= {200, 503}
    for seen in load.seen:
        body = seen.reply.text
        assert "Traceback" not in body and "psycopg" not in body and "sqlalchemy" not in body
        if seen.reply.status != 503:
            continue
        notice = seen.reply.html.find(id="notice")
        assert notice is not None and BUSY in notice.get_text(), body
        assert (seen.reply.html.find("html") is None) is seen.htmx  # htmx: a fragment
    after = [seen.reply.status for seen in load.seen if seen.at > recovered]
    assert after and set(after) <= {200, 303}, after
    assert server.process.poll() is None and worker_pids(server) == workers  # no restart
    figures = check_moves(load.moves, stored_moves(url))
    quiet = quiet_restart(server, port, postgres_cluster, workers)
    print(
        f"\nFAULT postgres-restart: stop took {down - stopping:.2f}s, outage "
        f"{restarting - down:.1f}s with {len(outage)} answers ({len(served)} to players and moves, "
        f"all 503, {sum(s.htmx for s in served)} htmx fragments; {len(first_visits)} first visits "
        f"{dict(Counter(s.reply.status for s in first_visits))}); "
        f"after start: first 200 in {first:.2f}s, "
        f"all {WORKERS} workers in {everyone:.2f}s; {len(load.seen)} answers {dict(statuses)}; "
        f"{figures}; {quiet}"
    )


def quiet_restart(server: Process, port: int, cluster: PostgresCluster, workers: set[int]) -> str:
    """Restart PostgreSQL with no load: each worker's first request after it must still be 200.

    Every pooled connection is pinged on checkout (pool_pre_ping), found dead and replaced
    before the request runs on it.
    """
    player = Client(port)
    assert player.get().status == 200
    time.sleep(QUIET_SECONDS)
    cluster.stop()
    cluster.start()
    time.sleep(QUIET_SECONDS)
    offset = server.log_path.stat().st_size
    statuses: list[int] = []
    while workers_answering_since(server, offset) != workers and len(statuses) < 200:
        statuses.append(player.get().status)  # a returning player's page reads the database
    assert set(statuses) == {200}, statuses
    assert workers_answering_since(server, offset) == workers
    return f"quiet restart: every worker's first page after it 200 ({len(statuses)} pages)"
