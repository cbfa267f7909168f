"""Races against gunicorn on PostgreSQL: 50 identical moves at once, 50 first visits at rollover."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from tests.faults.client import Client, form_of, post_move
from tests.faults.conftest import Serve, database_with_puzzle, database_without_puzzle
from tests.faults.test_worker_kill import stored_moves
from tests.servers import Reply

AT_ONCE = 50


def all_at_once(send: list[Client], act: object) -> list[Reply]:
    """Run `act(client)` for every client in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(send))
    replies: list[Reply | None] = [None] * len(send)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            replies[index] = act(send[index])  # type: ignore[operator]
        except BaseException as error:  # reported below, not lost in a thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(send))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]


def test_fifty_identical_moves_at_once_store_one(
    serve: Serve, workdir: Path, postgres: str
) -> None:
    url = database_with_puzzle(workdir, "_faults_double")
    _server, port = serve(url)
    counts = {}
    for htmx in (False, True):
        player = Client(port)
        found = form_of(player.get())
        assert found is not None
        action_url, fields = found
        fields.update(action="guess", guess="Spider-Moth")
        # Fifty tabs of one browser: the same cookie, token, position and guess.
        tabs = [Client(port, cookies=dict(player.cookies)) for _ in range(AT_ONCE)]
        replies = all_at_once(tabs, partial(post_move, url=action_url, fields=fields, htmx=htmx))
        statuses = Counter(reply.status for reply in replies)
        assert statuses == Counter({200 if htmx else 303: AT_ONCE}), statuses
        mine = [row for row in stored_moves(url) if row[0] == player.player_id]
        assert mine == [(player.player_id, 0, "wrong", "Spider-Moth")]
        if htmx:
            # One answer is the move's own fragment; the others say it was already counted.
            refreshed = sum(reply.headers.get("HX-Refresh") == "true" for reply in replies)
            assert refreshed == AT_ONCE - 1, refreshed
        page = player.get()
        assert [li["data-guess"] for li in page.html.select("[data-guess]")] == ["wrong"]
        counts["htmx" if htmx else "no-js"] = dict(statuses)
    print(f"\nFAULT double-submit: {AT_ONCE} identical moves at once, stored 1 each: {counts}")


def test_fifty_first_visits_at_rollover_make_one_puzzle(
    serve: Serve, workdir: Path, postgres: str
) -> None:
    url = database_without_puzzle(workdir, "_faults_rollover")
    _server, port = serve(url)
    visitors = [Client(port) for _ in range(AT_ONCE)]
    replies = all_at_once(visitors, lambda visitor: visitor.get())
    statuses = Counter(reply.status for reply in replies)
    assert statuses == Counter({200: AT_ONCE}), statuses
    headings = {reply.html.find("h1").get_text(" ", strip=True) for reply in replies}
    assert len(headings) == 1, headings  # everyone sees the same puzzle
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            days = connection.execute(sa.text("SELECT day FROM puzzles")).scalars().all()
    finally:
        engine.dispose()
    assert days == [datetime.now(UTC).date()]
    print(f"\nFAULT rollover: {AT_ONCE} first visits at once, 1 puzzle, {dict(statuses)}")
