"""SQL statements per request, counted at the engine: a regression here fails CI (issue 6).

Targets: a page view at most 2 statements and a guess at most 3, with the cache warm (cached: the
day's puzzle, its movie and snippets, the catalogue's names and, with Redis, the puzzle's figures).
The move that ends a game has a bound of its own, 7: besides the play, the title and the guess
it closes the play and counts the game in the puzzle's counters (one statement with the guess on
PostgreSQL, one transaction on SQLite), and its answer reads the player's statistics and the
figures for the result panel.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy.sql import elements

from guessthatmovie.extensions import db
from tests.conftest import Player
from tests.test_runtime import executions_during, statements_during

PAGE_VIEW = 2
GUESS = 3
FINISHING_MOVE = 7


def warm(player: Player) -> None:
    """Fill the caches a running site has warm: the puzzle by day and number, the names."""
    player.load()
    status, _ = player.guess("")  # refused, costs nothing; caches the puzzle by its number
    assert status == player.refused
    player.load()


def view(app: Flask, player: Player) -> list[str]:
    return statements_during(app, lambda: player.client.get("/"))


def move(app: Flask, player: Player, action: str, text: str = "") -> list[str]:
    """Count one move's statements (the page reload a Player does afterwards is not counted)."""
    form = player.form
    data = {"csrf_token": form["csrf_token"], "position": form["position"], "action": action}
    data["guess"] = text
    headers = {"HX-Request": "true"} if player.htmx else {}
    responses = []
    statements = statements_during(
        app,
        lambda: responses.append(
            player.client.post(form["action_url"], data=data, headers=headers)
        ),
    )
    response = responses[0]
    assert response.status_code == (200 if player.htmx else 303), response.status_code
    player.load()
    return statements


def test_page_views_of_every_state_stay_within_budget(app: Flask, player: Player) -> None:
    warm(player)
    fresh = view(app, player)
    move(app, player, "guess", "Lanterns Over Kyoto")
    move(app, player, "skip")
    middle = view(app, player)
    move(app, player, "guess", "The Quiet Harbour")
    view(app, player)  # the first view after the finish fills the figures' cache
    finished = view(app, player)
    assert player.page.find(attrs={"data-result": "won"}) is not None
    assert len(fresh) <= PAGE_VIEW, fresh
    assert len(middle) <= PAGE_VIEW, middle
    # The figures are cached only where every worker shares the cache (Redis; CI's PostgreSQL
    # run): in-process copies would show different numbers on a reload. Without it, one more.
    shared = app.config["CACHE_TYPE"] == "RedisCache"
    assert len(finished) <= (PAGE_VIEW if shared else PAGE_VIEW + 1), finished


def test_guesses_and_skips_stay_within_budget(app: Flask, player: Player) -> None:
    warm(player)
    first = move(app, player, "guess", "Lanterns Over Kyoto")
    second = move(app, player, "guess", "Spider-Moth")
    skip = move(app, player, "skip")
    assert player.outcomes == ["wrong", "wrong", "skipped"]
    for statements in (first, second, skip):
        assert len(statements) <= GUESS, statements


def test_the_finishing_move_has_its_own_bound(app: Flask, player: Player) -> None:
    warm(player)
    move(app, player, "guess", "Lanterns Over Kyoto")
    finishing = move(app, player, "guess", "The Quiet Harbour")
    assert player.outcomes == ["wrong", "right"]
    assert len(finishing) <= FINISHING_MOVE, finishing


def test_a_first_visit_asks_the_database_nothing_once_the_puzzle_is_cached(
    app: Flask, player: Player
) -> None:
    """A browser without a player id has played nothing: its page needs no play query."""
    warm(player)
    newcomer = app.test_client()
    responses = []
    statements = statements_during(app, lambda: responses.append(newcomer.get("/")))
    assert responses[0].status_code == 200
    assert "gtm=" in responses[0].headers["Set-Cookie"]
    assert statements == []


def test_a_refused_move_reads_the_play_once(app: Flask, player: Player) -> None:
    """The answer to a refused move is built from the play the move read: no second read."""
    warm(player)
    move(app, player, "guess", "Lanterns Over Kyoto")
    form = player.form
    data = {"csrf_token": form["csrf_token"], "position": form["position"], "action": "guess"}
    data["guess"] = "Lanterns Over Kyoto"  # already guessed: refused
    headers = {"HX-Request": "true"} if player.htmx else {}
    responses = []
    statements = statements_during(
        app,
        lambda: responses.append(
            player.client.post(form["action_url"], data=data, headers=headers)
        ),
    )
    assert responses[0].status_code == player.refused
    assert len([s for s in statements if "FROM plays" in s]) == 1, statements


def writes_during(app: Flask, action: Any) -> list[tuple[str, bool]]:
    """Return each INSERT, UPDATE or WITH the engine ran during `action`, and whether its
    connection was outside a transaction (autocommit) when it ran."""

    def write(cursor: Any, statement: str) -> tuple[str, bool] | None:
        verb = statement.split()[0].upper()
        if verb not in ("INSERT", "UPDATE", "WITH", "DELETE"):
            return None
        raw = cursor.connection
        # psycopg says so; sqlite3 (before 3.12) has no isolation level when autocommitting.
        outside = raw.autocommit if hasattr(raw, "autocommit") else raw.isolation_level is None
        return verb, bool(outside)

    return executions_during(app, action, write)


def test_each_move_writes_in_one_statement_outside_a_transaction_on_postgresql(
    app: Flask, player: Player
) -> None:
    """On PostgreSQL a move is one statement, atomic alone: no BEGIN and no COMMIT, two of its
    round trips. SQLite (no data-modifying CTEs) writes a move's statements in a transaction."""
    warm(player)
    moves = [
        writes_during(app, lambda: player.guess("Lanterns Over Kyoto")),  # starts the play
        writes_during(app, lambda: player.skip()),
        writes_during(app, lambda: player.guess("The Quiet Harbour")),  # ends it, counts it
    ]
    assert player.outcomes == ["wrong", "skipped", "right"]
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    for writes in moves:
        if postgresql:
            assert len(writes) == 1 and writes[0][1], writes
        else:
            assert writes and not any(outside for _, outside in writes), writes
    assert len(moves[2]) == (1 if postgresql else 3), moves[2]  # the guess, the play, the counters


def test_a_finishing_move_compiles_no_sql(
    app: Flask, player: Player, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Statements are compiled once per worker: the counters' upsert, which SQLAlchemy does not
    cache, was compiled again by every move that ended a game."""
    warm(player)
    player.guess("Lanterns Over Kyoto")
    player.guess("The Quiet Harbour")  # the first finish compiles what finishing needs
    second = Player(app.test_client(), htmx=player.htmx)
    warm(second)
    second.guess("Lanterns Over Kyoto")
    compiled: list[str] = []
    original = elements.CompilerElement._compiler

    def counted(self: Any, dialect: Any, **kw: Any) -> Any:
        compiled.append(type(self).__name__)
        return original(self, dialect, **kw)

    monkeypatch.setattr(elements.CompilerElement, "_compiler", counted)
    second.guess("The Quiet Harbour")
    assert second.outcomes == ["wrong", "right"]
    assert compiled == []


# A league's page: its league and members, the last seven days' games and every member's finished
# daily games, whatever the number of members or of their games (store/leagues.py).
LEAGUE_PAGE = 3


def league_of(app: Flask, clock: Any, size: int) -> tuple[Any, int]:
    """Make a league of `size` members who each finished today's puzzle (the first one a test
    client, the others through the store); return that client and the league's id."""
    from guessthatmovie.store import leagues as league_store
    from tests.test_leagues import ANSWER, WRONG, Friend

    first = Friend(app)
    league_id = first.start("Counted", "Member 0")
    first.play(WRONG, ANSWER)
    invite = first.invite_path(league_id)
    for n in range(1, size):
        friend = Friend(app)
        assert friend.join(invite, f"Member {n}")[0] == 303
        friend.play(*([""] * (n % 3)), ANSWER)
    with app.app_context():
        found = league_store.league(league_id)
        assert found is not None and len(found.members) == size
    return first, league_id


@pytest.mark.parametrize("size", [2, 12])
def test_a_league_page_costs_the_same_statements_whatever_its_size(
    app: Flask, answer: str, clock: Any, size: int
) -> None:
    viewer, league_id = league_of(app, clock, size)
    viewer.get(f"/leagues/{league_id}")  # warm
    for headers in ({}, {"HX-Request": "true"}):
        responses: list[Any] = []

        def view(sent: dict[str, str] = headers, into: list[Any] = responses) -> None:
            into.append(viewer.client.get(f"/leagues/{league_id}", headers=sent))

        statements = statements_during(app, view)
        assert responses[0].status_code == 200
        assert len(statements) <= LEAGUE_PAGE, statements
