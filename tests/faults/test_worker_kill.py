"""A gunicorn worker killed (SIGKILL) under load: nothing acknowledged is lost or doubled."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from guessthatmovie.config import PROJECT_ROOT
from tests.faults.client import ACKNOWLEDGED, Load, Move
from tests.faults.conftest import WORKERS, Serve, database_with_puzzle
from tests.servers import Process, wait_for, worker_pids


def stored_moves(url: str) -> list[tuple[str, int, str, str]]:
    """Return every stored move of today's puzzle: player, position, outcome, text."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT p.player_id, g.position, g.outcome, g.text FROM guesses g "
                    "JOIN plays p ON p.id = g.play_id"
                )
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def check_moves(moves: list[Move], stored: list[tuple[str, int, str, str]]) -> dict[str, int]:
    """Assert every acknowledged move is stored once, as sent; return the counts for the report."""
    by_slot = Counter((player, position) for player, position, _o, _t in stored)
    doubled = [slot for slot, count in by_slot.items() if count > 1]
    assert doubled == [], f"moves stored twice: {doubled}"
    rows = {(player, position): (outcome, text) for player, position, outcome, text in stored}
    acknowledged = [m for m in moves if m.status in ACKNOWLEDGED]
    for move in acknowledged:
        slot = (move.player, move.position)
        assert slot in rows, f"acknowledged move not stored: {move}"
        outcome, text = rows[slot]
        if move.action == "skip":
            assert outcome == "skipped", (move, rows[slot])
        else:
            assert (outcome, text) == ("wrong", move.text), (move, rows[slot])
    sent = {(m.player, m.position) for m in moves}
    assert set(rows) <= sent, "a move is stored that no client sent"
    # A stored move that no answer acknowledged can only be one whose connection was cut off, or
    # (PostgreSQL going away between the commit and the page) one answered "briefly unavailable".
    unanswered = {(m.player, m.position) for m in moves if m.status in (None, 503)}
    acked_slots = {(m.player, m.position) for m in acknowledged}
    assert set(rows) - acked_slots <= unanswered
    return {
        "moves sent": len(moves),
        "acknowledged": len(acknowledged),
        "cut off": sum(m.status is None for m in moves),
        "retries": sum(m.retry for m in moves),
        "stored": len(rows),
    }


def kill_one_mid_request(server: Process, port: int, seconds: float = 60.0) -> int:
    """SIGKILL a worker caught in the middle of a request; return its pid.

    The scan runs in a process of its own (tests/procfs.py): a request takes a few
    milliseconds, and in this process the scan waits for the GIL behind the load's threads.
    """
    scan = subprocess.run(
        [sys.executable, "-m", "tests.procfs", str(server.process.pid), str(port), str(seconds)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if scan.returncode != 0:
        pytest.fail(f"no worker was caught mid-request within {seconds:.0f}s: {scan.stderr}")
    return int(scan.stdout)


def test_a_killed_worker_loses_and_doubles_no_acknowledged_move(
    serve: Serve, workdir: Path, postgres: str
) -> None:
    url = database_with_puzzle(workdir, "_faults_kill")
    server, port = serve(url)
    before = worker_pids(server)
    assert len(before) == WORKERS
    started = time.monotonic()
    killed: list[int] = []
    replaced_after = []

    def replaced() -> bool:
        now = worker_pids(server)
        return len(now) == WORKERS and not now & set(killed)

    with Load(port, threads=6) as load:
        time.sleep(1.5)
        for _kill in range(3):  # each time a worker caught in the middle of a request
            killed.append(kill_one_mid_request(server, port))
            replaced_after.append(wait_for(replaced, "a new worker", server.log_path))
            time.sleep(1.0)  # the new worker serves the load
    duration = time.monotonic() - started
    assert load.failures == [] or all(f.startswith("page:") for f in load.failures), load.failures
    statuses = Counter(seen.reply.status for seen in load.seen)
    assert not [s for s in statuses if s >= 500], statuses
    assert server.process.poll() is None  # the master lived on
    figures = check_moves(load.moves, stored_moves(url))
    log = server.log()
    for victim in killed:
        assert f"Worker (pid:{victim}) was sent SIGKILL" in log
    after = worker_pids(server)
    assert len(after) == WORKERS and not after & set(killed)
    print(
        f"\nFAULT worker-kill: {duration:.1f}s, {len(load.seen)} answers {dict(statuses)}, "
        f"{figures}, cut-off page loads {len(load.failures)}, "
        f"workers replaced after {', '.join(f'{t:.2f}s' for t in replaced_after)}"
    )
