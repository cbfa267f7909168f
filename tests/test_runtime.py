"""Production runtime: the cache, Redis outages, rate limits, readiness, proxies, cookies, logs."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis
from bs4 import BeautifulSoup
from flask import Flask, request
from limits import parse_many
from sqlalchemy import event

from guessthatmovie import catalogue_import, create_app
from guessthatmovie.config import PROJECT_ROOT, ConfigError
from guessthatmovie.extensions import db
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.logs import JsonFormatter
from guessthatmovie.web import limits
from tests.conftest import LAUNCH, Clock, Player, free_port
from tests.servers import start_redis

T = TypeVar("T")

MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(app: Flask, clock: Clock) -> Iterator[MakeApp]:
    """Build more apps on the test database (its data set up through `app`), with overrides."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "CLOCK": clock,
            "GAME_LAUNCH_DATE": LAUNCH,
            "GAME_TIMEZONE": "UTC",
            "SESSION_COOKIE_SECURE": False,
            "REDIS_URL": app.config["REDIS_URL"],
            "CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"],
            **overrides,
        }
        other = create_app(config)
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A Redis URL whose server accepts connections and never answers (a hung Redis)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # connections queue in the backlog; nobody ever reads them
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def statements_during(app: Flask, action: Callable[[], object]) -> list[str]:
    """Return the SQL statements the app's engine ran during `action`."""
    return executions_during(app, action, lambda cursor, statement: statement)


def executions_during(
    app: Flask, action: Callable[[], object], note: Callable[[Any, str], T | None]
) -> list[T]:
    """Return what `note(cursor, statement)` made of each statement the app's engine ran during
    `action` (before it ran), leaving out what it made None."""
    seen: list[T] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        noted = note(cursor, statement)
        if noted is not None:
            seen.append(noted)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def touches(statements: list[str], table: str) -> bool:
    return any(f"FROM {table}" in s or f"JOIN {table}" in s for s in statements)


def test_cached_puzzle_spares_the_database(app: Flask, answer: str) -> None:
    client = app.test_client()
    first = statements_during(app, lambda: client.get("/"))
    assert touches(first, "puzzles") and touches(first, "review_snippets")
    second = statements_during(app, lambda: client.get("/"))
    assert not touches(second, "puzzles")
    assert not touches(second, "review_snippets")
    # The guesses' movies come joined to the play; the puzzle's own movie is never read again.
    assert not [s for s in second if "FROM movies" in s or "= puzzles.movie_id" in s]
    assert len(second) < len(first)


def test_cached_puzzle_serves_the_same_board_and_keeps_playing(app: Flask, answer: str) -> None:
    cold = Player(app.test_client(), htmx=False)  # fills the cache
    warm = Player(app.test_client(), htmx=False)  # served from it
    assert warm.page.find(class_="facts").get_text() == cold.page.find(class_="facts").get_text()
    warm.guess("Lanterns Over Kyoto")
    assert warm.outcomes == ["wrong"]
    assert len(warm.page.select("#clues .review")) == 1
    warm.guess(answer)
    assert warm.page.find(attrs={"data-result": True})["data-result"] == "won"


def test_changing_a_day_drops_the_cached_puzzle(app: Flask, catalogue: None, clock: Clock) -> None:
    from guessthatmovie.game import titles
    from guessthatmovie.store import catalogue as queries
    from guessthatmovie.store import puzzles

    with app.app_context():
        first = queries.movies_matching(titles.parse_guess("Glass Meridian (2016)"))[0]
        puzzles.set_puzzle(clock.now.date(), first, LAUNCH, clock.now)
        assert puzzles.puzzle_on(clock.now.date()).movie.title == "Glass Meridian"
        db.session.remove()
        second = queries.movies_matching(titles.parse_guess("Spider-Moth"))[0]
        puzzles.set_puzzle(clock.now.date(), second, LAUNCH, clock.now)
        db.session.remove()
        assert puzzles.puzzle_on(clock.now.date()).movie.title == "Spider-Moth"


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_dead_redis_is_a_logged_cache_miss(
    make_app: MakeApp, answer: str, htmx: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    dead = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    player = Player(dead.test_client(), htmx=htmx)
    player.guess("Lanterns Over Kyoto")
    player.guess(answer)
    assert player.outcomes == ["wrong", "right"]
    assert player.page.find(attrs={"data-result": True})["data-result"] == "won"
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("cache unavailable (get failed: ConnectionError") for m in messages)
    assert any("rate limit storage unreachable (ConnectionError)" in m for m in messages)


def test_hung_redis_times_out_once_then_is_left_alone(
    make_app: MakeApp, answer: str, hung_redis: str, caplog: pytest.LogCaptureFixture
) -> None:
    hung = make_app(REDIS_URL=hung_redis, REDIS_SOCKET_TIMEOUT=0.2)
    client = hung.test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.name == "guessthatmovie.cache"]
    assert len(warnings) == 1, warnings  # later requests skip Redis instead of waiting again
    assert "TimeoutError" in warnings[0]


def test_moves_over_the_limit_get_a_friendly_429(player: Player) -> None:
    player.client.application.config["GUESS_RATE_LIMIT"] = "3 per minute"
    statuses = [player.guess("Not A Film At All")[0] for _ in range(3)]
    assert statuses == [player.refused] * 3  # refused guesses count: they are what a flood sends
    status, html = player.guess("Lanterns Over Kyoto")
    assert status == 429
    assert "Too many tries" in html.find(id="notice").get_text()
    assert int(player.last.headers["Retry-After"]) > 0
    if player.htmx:
        assert html.find("html") is None  # a fragment, swapped out of band into the notice
        assert html.find(id="notice")["data-hx-swap-oob"] == "innerHTML"
    else:
        assert html.find("h1").get_text() == "Sorry about that"
    player.load()
    assert player.attempts_left == 6  # nothing was played


def player_at(app: Flask, address: str) -> Player:
    """Return a new player (a browser of its own) whose requests come from `address`."""
    player = Player(app.test_client(), htmx=True)
    player.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return player


def test_the_limit_is_per_client(app: Flask, answer: str) -> None:
    app.config["GUESS_RATE_LIMIT"] = "2 per minute"
    busy, other = player_at(app, "203.0.113.5"), player_at(app, "203.0.113.6")
    assert [busy.guess("Nope Nope")[0] for _ in range(3)] == [422, 422, 429]
    assert other.guess("Nope Nope")[0] == 422


def test_players_behind_one_address_each_have_their_own_budget(app: Flask, answer: str) -> None:
    """A carrier's NAT puts many players on one address: the limit counts each player."""
    app.config["GUESS_RATE_LIMIT"] = "2 per minute"
    first, second = player_at(app, "198.51.100.7"), player_at(app, "198.51.100.7")
    assert [first.guess("Nope Nope")[0] for _ in range(3)] == [422, 422, 429]
    assert [second.guess("Nope Nope")[0] for _ in range(3)] == [422, 422, 429]


def test_a_new_player_for_every_move_meets_the_address_ceiling(app: Flask, answer: str) -> None:
    """Throwing the cookie away buys a fresh player budget, not a fresh address budget."""
    app.config["GUESS_RATE_LIMIT"] = "2 per minute"
    app.config["GUESS_ADDRESS_LIMIT"] = "5 per minute"
    statuses = []
    for _ in range(7):
        newcomer = player_at(app, "198.51.100.9")  # a new cookie, so a new player
        statuses.append(newcomer.guess("Nope Nope")[0])
    assert statuses == [422] * 5 + [429, 429]
    assert player_at(app, "198.51.100.10").guess("Nope Nope")[0] == 422


def test_limits_fall_back_to_memory_when_redis_is_gone(make_app: MakeApp, answer: str) -> None:
    dead = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", GUESS_RATE_LIMIT="2/minute")
    player = Player(dead.test_client(), htmx=False)
    assert [player.guess("Nope Nope")[0] for _ in range(3)] == [303, 303, 429]


@pytest.mark.parametrize("storage", ["redis-gone", "no-redis"])
def test_a_worker_counting_alone_takes_its_share_of_each_limit(
    make_app: MakeApp, answer: str, storage: str
) -> None:
    """Three workers counting alone let one player through 30 moves a minute at most, not 90."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0" if storage == "redis-gone" else None
    alone = make_app(
        REDIS_URL=redis_url,
        CACHE_TYPE="SimpleCache" if redis_url is None else "RedisCache",
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
        WEB_CONCURRENCY=3,
        GUESS_RATE_LIMIT="30/minute",
    )
    player = Player(alone.test_client(), htmx=True)
    assert [player.guess("Nope Nope")[0] for _ in range(11)] == [422] * 10 + [429]


@pytest.mark.parametrize(
    ("limit", "workers", "share"),
    [
        ("30/minute", 3, 10),
        ("31/minute", 3, 11),  # rounded up, never down
        ("12/minute", 3, 5),  # at least 5 tries...
        ("5/15 minutes", 3, 5),  # ...so a small limit stays whole (not 1 per worker)
        ("5/15 minutes", 9, 5),
        ("2/minute", 3, 2),  # never more than the limit itself
        ("120/minute", 9, 14),
    ],
)
def test_a_share_is_never_rounded_down_to_a_try_or_two(
    limit: str, workers: int, share: int
) -> None:
    """min(limit, max(ceil(limit / workers), 5)): a small limit still gives a person 5 tries."""
    [item] = parse_many(limit)
    assert limits._share(item, workers).amount == share
    assert limits._share(item, workers).multiples == item.multiples


def test_liveness_needs_nothing(make_app: MakeApp) -> None:
    down = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:9/none")
    response = down.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_ready_when_database_and_redis_answer(app: Flask) -> None:
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    expected = {"database": "ok"}
    if app.config["REDIS_URL"]:
        expected["redis"] = "ok"
    assert response.json == {"status": "ready", "checks": expected}
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_without_redis(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    dead = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = dead.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unreachable"},
    }
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)


def test_not_ready_without_database(make_app: MakeApp) -> None:
    down = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:9/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9 https"),  # the first entry is forgeable
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7 https"),
        (0, "198.51.100.7, 203.0.113.9", "127.0.0.1 http"),
    ],
)
def test_proxy_fix_trusts_the_configured_hops(
    make_app: MakeApp, hops: int, forwarded: str, expected: str
) -> None:
    proxied = make_app(PROXY_HOPS=hops)

    @proxied.get("/_whoami")
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    headers = {"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https, https"}
    response = proxied.test_client().get("/_whoami", headers=headers)
    assert response.get_data(as_text=True) == expected


def test_production_cookie_flags(make_app: MakeApp, answer: str) -> None:
    secure = make_app(SESSION_COOKIE_SECURE=True)
    response = secure.test_client().get("/", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("gtm=")
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "expires"} <= flags
    assert "SameSite=Lax" in cookie


def test_static_urls_carry_a_content_hash(app: Flask, answer: str) -> None:
    page = BeautifulSoup(app.test_client().get("/").get_data(as_text=True), "html.parser")
    href = page.find("link", rel="stylesheet")["href"]
    path, _, version = href.partition("?v=")
    assert path == "/static/css/app.css"
    css = (PROJECT_ROOT / "static" / "css" / "app.css").read_bytes()
    assert version == hashlib.sha256(css).hexdigest()[:12]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"GUESS_RATE_LIMIT": "lots"}, "GUESS_RATE_LIMIT"),
        ({"GUESS_ADDRESS_LIMIT": "plenty"}, "GUESS_ADDRESS_LIMIT"),
        ({"PROXY_HOPS": 9}, "PROXY_HOPS"),
        ({"REDIS_URL": "http://cache.internal"}, "REDIS_URL"),
        ({"REDIS_SOCKET_TIMEOUT": 0}, "REDIS_SOCKET_TIMEOUT"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_runtime_settings_are_refused(override: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **override})


def test_runtime_settings_from_the_environment() -> None:
    from guessthatmovie.config import from_environment

    settings = from_environment(
        {
            "REDIS_URL": "redis://r:6379/2",
            "GUESS_RATE_LIMIT": "10/minute",
            "GUESS_ADDRESS_LIMIT": "100/minute",
            "PROXY_HOPS": "2",
        }
    )
    assert settings["REDIS_URL"] == "redis://r:6379/2"
    assert settings["GUESS_RATE_LIMIT"] == "10/minute"
    assert settings["GUESS_ADDRESS_LIMIT"] == "100/minute"
    assert from_environment({})["GUESS_ADDRESS_LIMIT"] == "600 per minute"
    assert settings["PROXY_HOPS"] == 2
    assert from_environment({})["PROXY_HOPS"] == 1  # nginx in front, as deployed
    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        from_environment({"PROXY_HOPS": "one"})


def test_logs_are_json_lines_with_the_request(make_app: MakeApp) -> None:
    proxied = make_app(PROXY_HOPS=1)
    lines: list[str] = []
    handler = logging.Handler()
    handler.setFormatter(JsonFormatter())
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("guessthatmovie.test")
    logger.addHandler(handler)

    @proxied.get("/_log")
    def log_something() -> str:
        logger.warning("hello %s", "there")
        return "ok"

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "abc123"}
    try:
        proxied.test_client().get("/_log", headers=headers)
    finally:
        logger.removeHandler(handler)
    [entry] = [json.loads(line) for line in lines]
    assert entry["message"] == "hello there"
    assert entry["level"] == "warning"
    assert entry["logger"] == "guessthatmovie.test"
    assert (entry["method"], entry["path"]) == ("GET", "/_log")
    assert entry["client"] == "203.0.113.9"
    assert entry["request_id"] == "abc123"


def test_without_redis_cache_and_limits_stay_in_process(make_app: MakeApp) -> None:
    local = make_app(REDIS_URL=None)
    assert local.config["CACHE_TYPE"] == "SimpleCache"
    assert local.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert local.test_client().get("/readyz").json == {
        "status": "ready",
        "checks": {"database": "ok"},
    }


def test_each_worker_keeps_its_names_until_the_catalogue_changes(
    app: Flask, catalogue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown guesses read the catalogue's names once per version, not once per guess."""
    from guessthatmovie.store import catalogue as catalogue_store

    loads = []
    load = catalogue_store._load_title_entries

    def counted() -> list[Any]:
        loads.append(1)
        return load()

    monkeypatch.setattr(catalogue_store, "_load_title_entries", counted)
    with app.app_context():
        first = catalogue_store.title_entries()
        assert catalogue_store.title_entries() == first
        assert len(loads) == 1
        catalogue_import.load_movies([MovieRecord("Brand New Title", 2024, ("Drama",), 50, 50)])
        assert any(e.label == "Brand New Title (2024)" for e in catalogue_store.title_entries())
        assert len(loads) == 2


def test_unknown_guess_suggestions_come_from_the_index_on_postgresql(
    app: Flask, player: Player, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a refused guess asks the trigram index; no worker copies every name."""
    from guessthatmovie.store import catalogue as catalogue_store

    extra = [MovieRecord(f"Filler Picture {n}", 1900 + n, ("Drama",), 50, 50) for n in range(120)]
    with app.app_context():
        catalogue_import.load_movies(extra)
        postgres = db.session.get_bind().dialect.name == "postgresql"
        ranked = {entry.movie_id for entry in catalogue_store.suggestion_entries("quiet harbor")}
        movies = {entry.movie_id for entry in catalogue_store.title_entries()}
    loads: list[int] = []
    load = catalogue_store._load_title_entries

    def counted() -> list[Any]:
        loads.append(1)
        return load()

    monkeypatch.setattr(catalogue_store, "_load_title_entries", counted)
    monkeypatch.setitem(app.extensions, "guessthatmovie.title_entries", {})
    status, html = player.guess("Quiet Harbor Lights")
    assert status == player.refused
    picks = [b.select_one(".pick").get_text() for b in html.find(id="notice").select("form button")]
    assert picks[0] == "The Quiet Harbour (1998)"
    # The index hands over at most two walks of nearest names; SQLite ranks every name, read
    # once per worker (here: once, after the memo was emptied).
    limit = 2 * catalogue_store.SUGGESTION_CANDIDATES
    assert len(movies) > limit
    if postgres:
        assert len(ranked) <= limit and loads == []
    else:
        assert ranked == movies and loads == [1]


def test_a_page_read_leaves_its_connection_in_transactions_for_the_next_request(
    app: Flask, answer: str
) -> None:
    """A page reads outside a transaction; the pooled connection must not stay that way."""
    from sqlalchemy import func, select

    from guessthatmovie.models import Movie
    from guessthatmovie.store import plays

    with app.test_request_context("/"):
        assert plays.stored_play("nobody-at-all", 1) is None
    with app.test_request_context("/"):
        db.session.add(Movie(title="Rollback Probe", year=2001, genres=["Drama"]))
        db.session.flush()
        db.session.rollback()  # in a transaction, the row goes; in autocommit it would stay
        probes = db.session.scalar(select(func.count()).where(Movie.title == "Rollback Probe"))
        assert probes == 0


def test_a_move_counts_both_limits_in_one_round_trip_to_redis(
    make_app: MakeApp, answer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per player and per address: one write to Redis per move, even on a new Redis."""
    server, port = start_redis(tmp_path)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        shared = make_app(
            REDIS_URL=url, GUESS_RATE_LIMIT="2/minute", GUESS_ADDRESS_LIMIT="5/minute"
        )
        trips: list[bytes] = []
        real_send = redis.connection.AbstractConnection.send_packed_command

        def send(connection: Any, command: Any, *args: Any, **kwargs: Any) -> None:
            sent = b"".join(command) if isinstance(command, list) else bytes(command)
            if any(word in sent for word in (b"EVAL", b"SCRIPT", b"INCR")):  # not the cache's
                trips.append(sent)
            real_send(connection, command, *args, **kwargs)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", send)
        player = Player(shared.test_client(), htmx=True)
        trips.clear()
        assert player.guess("Nope Nope")[0] == 422
        # On a new Redis the script is loaded once (EVALSHA refused, SCRIPT LOAD, again).
        assert len(trips) <= 3, trips
        trips.clear()
        assert player.guess("Nope Nope")[0] == 422
        assert len(trips) == 1, trips  # both counts in one pipeline
        assert trips[0].count(b"EVALSHA") == 2
        counts = redis.Redis.from_url(url)
        windows = sorted(k.decode() for k in counts.keys("*moves-per-*"))
        assert ["/moves-per-address/" in windows[0], "/moves-per-player/" in windows[1]] == [
            True,
            True,
        ]
        assert [int(counts.get(w) or 0) for w in windows] == [2, 2]
        assert [int(counts.ttl(w)) > 0 for w in windows] == [True, True]
        assert player.guess("Nope Nope")[0] == 429  # 2 a minute per player
        other = Player(shared.test_client(), htmx=True)  # same address, a player of its own
        # The address has counted 3 (the refused third too): 2 more, then 429 (5 an address).
        assert [other.guess("Nope Nope")[0] for _ in range(3)] == [422, 422, 429]
    finally:
        server.stop()


def test_suggestions_for_a_typo_are_kept_by_the_worker(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same misspelling again ranks no names; refused all the same, with the same offer."""
    from guessthatmovie.store import catalogue as catalogue_store

    ranked: list[str] = []
    real = catalogue_store.suggestion_entries
    monkeypatch.setattr(
        catalogue_store, "suggestion_entries", lambda text: ranked.append(text) or real(text)
    )
    first, again = Player(app.test_client(), htmx=True), Player(app.test_client(), htmx=True)
    status, page = first.guess("Quiet Harbr")
    assert status == 422
    offered = [b.get("data-fill") for b in page.select("[data-fill]")]
    assert "The Quiet Harbour (1998)" in offered
    status, page = again.guess("quiet  harbr")  # the same words
    assert status == 422
    assert [b.get("data-fill") for b in page.select("[data-fill]")] == offered
    assert ranked == ["Quiet Harbr"]


def test_a_film_many_players_guess_is_looked_up_once_per_worker(app: Flask, answer: str) -> None:
    """The second player's guess of the same film asks the database for its play alone."""
    first, second = Player(app.test_client(), htmx=True), Player(app.test_client(), htmx=True)
    looked_up = statements_during(app, lambda: first.guess("Lanterns Over Kyoto"))
    again = statements_during(app, lambda: second.guess("lanterns over kyoto"))
    assert first.outcomes == second.outcomes == ["wrong"]
    assert [s for s in looked_up if "title_keys" in s]  # the first asked which film it names
    assert not [s for s in again if "title_keys" in s]
