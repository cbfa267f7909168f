"""Load-test the game against a bare Flask "hello" app, both under gunicorn.conf.py (not a test).

    .venv/bin/python bench/load.py [--movies CSV] [--duration 20] [--growth] [--json out.json]

In one run it:
1. makes a PostgreSQL database of its own (dropped and recreated: gtm_bench_load by default),
   migrates it, imports the compact catalogue (`flask catalog import`, 16,364 movies), loads the
   sample snippets (`flask catalog load-sample`) and schedules puzzles (`flask puzzle schedule`);
2. starts a Redis of its own on a free port, then the game and bench/hello_app.py, each under
   the same gunicorn.conf.py (same workers, worker class, recycling, logging) on free ports;
3. pre-makes players (signed session cookies with CSRF tokens, as the app would issue them), a
   returning player mid-game (three wrong guesses), wrong titles, typeahead prefixes and typos;
4. drives each scenario with wrk (bench/wrk/*.lua) from its own process over loopback, after a
   short warm-up, and reports requests/s, p50 and p99 and the ratio to the hello page;
5. reads the RSS (and PSS) of every gunicorn worker after the load;
6. with --growth: adds 1 M plays and 5 M guesses (INSERT ... SELECT generate_series), measures
   the page views and the htmx guess again, and writes EXPLAIN (ANALYZE, BUFFERS) of every
   statement a page view and a guess run (bench/explain.py, --explain-out).

The per-client rate limits are lifted (GUESS_RATE_LIMIT/SEARCH_RATE_LIMIT very high, still
counted in Redis as in production): every request here comes from one address.
docs/performance.md says what each scenario measures and the figures of a run.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404: runs our own tools (flask, gunicorn, wrk, redis-server)
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WRK = ROOT / "bench" / "wrk"
DEFAULT_MOVIES = ROOT.parent / "shared" / "data" / "rt_movies_compact.csv"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/gtm_bench_load"
LIFTED = "1000000 per second"
ATTEMPTS = 6


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A process this script started (in its own session), and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        """Stop it gracefully (SIGTERM to the process we started), then for good."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def workers(self) -> list[int]:
        """Return the pids of the gunicorn workers (the master's children)."""
        return children(self.process.pid)


def children(pid: int) -> list[int]:
    """Return the pids whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the ppid follows the state.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def start(name: str, argv: list[str], env: dict[str, str], port: int, log: Path) -> Server:
    """Start a server in its own session, its output appended to `log`."""
    handle = log.open("ab")
    process = subprocess.Popen(  # nosec B603
        argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    return Server(name, process, port)


def wait_http(port: int, path: str, seconds: float = 60) -> None:
    """Wait until GET path answers 200 on the port."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"nothing answered 200 on :{port}{path} within {seconds:.0f} s")
        time.sleep(0.3)


def run(argv: list[str], env: dict[str, str]) -> None:
    """Run a command in the repository, failing loudly."""
    print("  $", " ".join(argv[:6]), "..." if len(argv) > 6 else "", flush=True)
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # nosec B603


# ---------------------------------------------------------------------------- database


def psycopg_url(url: str) -> str:
    """Point a plain postgresql:// URL at the psycopg 3 driver, as the app does."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def fresh_database(url: str) -> None:
    """Drop and recreate the bench's PostgreSQL database (or delete its SQLite file)."""
    parsed = sa.engine.make_url(psycopg_url(url))
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def prepare_database(url: str, movies: Path, env: dict[str, str]) -> None:
    """Migrate, import the catalogue and the sample snippets, schedule today's puzzles."""
    fresh_database(url)
    run([str(BIN / "alembic"), "upgrade", "head"], env)
    flask = [str(BIN / "flask"), "--app", "guessthatmovie"]
    run([*flask, "catalog", "import", "--movies", str(movies), "--show-errors", "0"], env)
    run([*flask, "catalog", "load-sample"], env)
    run([*flask, "puzzle", "schedule", "--days", "2"], env)


# ---------------------------------------------------------------------------- players and data


@dataclass
class Fixtures:
    """Everything the wrk scripts read: files of players, titles and queries, and the puzzle."""

    number: int
    files: dict[str, Path]
    returning_cookie: str
    # League size -> (its id, the signed cookie of a member who views it).
    leagues: dict[int, tuple[int, str]]


def make_fixtures(
    env: dict[str, str], work: Path, port: int, players: int, rounds: int = 1
) -> Fixtures:
    """Pre-make players, wrong titles, typeahead queries and typos; play a returning player."""
    os.environ.update(env)
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from guessthatmovie import create_app
    from guessthatmovie.extensions import db
    from guessthatmovie.game import titles
    from guessthatmovie.models import Movie, Puzzle
    from guessthatmovie.store import catalogue

    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    cookie_name = app.config["SESSION_COOKIE_NAME"]

    def player(player_id: str | None = None) -> tuple[str, str]:
        with app.test_request_context("/"):
            session["player"] = player_id or secrets.token_urlsafe(16)
            session.permanent = True
            token = generate_csrf()
            return f"{cookie_name}={serializer.dumps(dict(session))}", token

    rng = random.Random(6)
    files: dict[str, Path] = {}
    with app.app_context():
        today = datetime.now(UTC).date()
        league_ids = seed_leagues(today, app.config["GAME_LAUNCH_DATE"], random.Random(25))
        puzzle = db.session.scalars(sa.select(Puzzle).where(Puzzle.day == today)).one()
        number = puzzle.number  # read now: the puzzle is detached once the context ends
        answer = db.session.get(Movie, puzzle.movie_id)
        assert answer is not None
        candidates = db.session.scalars(
            sa.select(Movie)
            .where(Movie.id != answer.id, Movie.year.is_not(None), Movie.title != answer.title)
            .order_by(Movie.id)
        ).all()
        wrong: list[str] = []
        for movie in rng.sample(list(candidates), 400):
            label = f"{movie.title} ({movie.year})"
            matches = catalogue.movies_matching(titles.parse_guess(label))
            if [m.id for m in matches] == [movie.id] and len(wrong) < 200:
                wrong.append(f"{movie.id}\t{urllib.parse.quote_plus(label)}")
        typos: list[str] = []
        queries: list[str] = []
        for movie in rng.sample(list(candidates), 600):
            name = movie.title.lower()
            if len(name) >= 6:
                cut = rng.randint(3, min(10, len(name)))
                queries.append(urllib.parse.quote_plus(name[:cut].strip() or name))
                i = rng.randint(1, len(name) - 2)
                typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
                if len(typos) < 200 and not catalogue.movies_matching(titles.parse_guess(typo)):
                    typos.append(urllib.parse.quote_plus(typo))
    for name, lines in (("wrong", wrong), ("typos", typos), ("queries", queries)):
        files[name] = work / f"{name}.tsv"
        files[name].write_text("\n".join(lines) + "\n")
    # Each round of a scenario plays its own players: a player replayed would answer cheaply.
    sets = ["htmx", "nojs", "warm-htmx", "warm-nojs", "unknown", "htmx-grown", "warm-grown"]
    sets += [f"{name}-{r}" for r in range(1, rounds) for name in sets[:4]]
    for name in sets:
        files[name] = work / f"players-{name}.tsv"
        count = 1 if name == "unknown" else players
        files[name].write_text("".join("\t".join(player()) + "\n" for _ in range(count)))

    cookie, token = player()
    for position in range(3):
        movie_id, label = wrong[position].split("\t")
        body = (
            f"csrf_token={token}&position={position}&action=guess&movie_id={movie_id}&guess={label}"
        )
        status = post(port, f"/puzzle/{number}/moves", body, cookie)
        if status != 303:
            raise SystemExit(f"the returning player's guess {position} answered {status}, not 303")
    leagues = {}
    for size, league_id in league_ids.items():
        viewer = player(league_player(size, 0))[0]
        for headers in ({}, {"HX-Request": "true"}):
            status = get(port, f"/leagues/{league_id}", viewer, headers)
            if status != 200:
                raise SystemExit(f"the league of {size} answered {status}, not 200")
        leagues[size] = (league_id, viewer)
    return Fixtures(number, files, cookie, leagues)


def post(port: int, path: str, body: str, cookie: str) -> int:
    """POST a plain form and return the status (no redirect followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    connection.request("POST", path, body, headers)
    return connection.getresponse().status


def get(port: int, path: str, cookie: str, headers: dict[str, str]) -> int:
    """GET a page with a cookie and return the status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie, **headers})
    return connection.getresponse().status


# ---------------------------------------------------------------------------- leagues


LEAGUE_SIZES = (10, 50)
HISTORY_DAYS = 60  # each member's past: a daily game most days, finished or left unfinished
LEAGUE_AGE = 30  # the league began a month ago: standings count from then, streaks from before
NAMES = ("Ann", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Kai", "Lea", "Max")
# Attempts a win took, 1 to 6, as players spread them.
WIN_WEIGHTS = (5, 15, 25, 25, 18, 12)


def league_player(size: int, index: int) -> str:
    """Return the player id of a bench league's member (index 0 views the page, keeps it):
    22 characters of the id alphabet, as web/player.py issues them, and as spread over the
    plays' (player_id, puzzle_id) index as real ids are (the plans depend on it)."""
    digest = hashlib.sha256(f"bench league of {size}, member {index}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def league_players() -> list[str]:
    """Return the player ids of every bench league's members."""
    return [league_player(size, i) for size in LEAGUE_SIZES for i in range(size)]


def game_moves(rng: random.Random, state: str) -> list[str]:
    """Return the outcomes of a game's moves: won, lost, or still playing."""
    used = {
        "won": rng.choices(range(1, ATTEMPTS + 1), WIN_WEIGHTS)[0],
        "lost": ATTEMPTS,
        "playing": rng.randint(1, 4),
    }[state]
    misses = ["skipped" if rng.random() < 0.2 else "wrong" for _ in range(used)]
    return [*misses[:-1], "right"] if state == "won" else misses


def seed_leagues(today: date, launch: date, rng: random.Random) -> dict[int, int]:
    """Make the bench's leagues, each member with HISTORY_DAYS days of daily games and a mix
    of states today (won, lost, playing, not yet); return {size: league id}.

    Puzzles come first for the past days that have none (movies not used yet, numbered from the
    launch as the app numbers them). Portable SQL (SQLite too), a few thousand rows in batches;
    the leagues of a previous run (--reuse-database) go first."""
    from guessthatmovie.extensions import db
    from guessthatmovie.game import leagues as rules
    from guessthatmovie.game import schedule
    from guessthatmovie.models import Guess, League, LeagueMember, Movie, Play, Puzzle

    session = db.session
    players = league_players()
    ours = sa.select(Play.id).where(Play.player_id.in_(players))
    session.execute(sa.delete(Guess).where(Guess.play_id.in_(ours)))
    session.execute(sa.delete(Play).where(Play.player_id.in_(players)))
    bench = sa.select(League.id).where(League.name.like("Bench league%"))
    session.execute(sa.delete(LeagueMember).where(LeagueMember.league_id.in_(bench)))
    session.execute(sa.delete(League).where(League.name.like("Bench league%")))

    days = [
        d
        for k in range(HISTORY_DAYS, 0, -1)
        if (d := date.fromordinal(today.toordinal() - k)) >= launch
    ]
    have = set(session.scalars(sa.select(Puzzle.day).where(Puzzle.day.in_(days))))
    missing = [d for d in days if d not in have]
    unused = session.scalars(
        sa.select(Movie.id)
        .where(Movie.id.not_in(sa.select(Puzzle.movie_id)))
        .order_by(Movie.id)
        .limit(len(missing) + 50)
    ).all()
    now = datetime.now(UTC)
    if missing:
        session.execute(
            sa.insert(Puzzle),
            [
                {
                    "day": d,
                    "number": schedule.puzzle_number(d, launch),
                    "movie_id": m,
                    "created_at": now,
                }
                for d, m in zip(missing, unused, strict=False)
            ],
        )
    puzzle_of = dict(
        session.execute(sa.select(Puzzle.day, Puzzle.id).where(Puzzle.day.in_([*days, today])))
        .tuples()
        .all()
    )
    wrong_movies = unused[len(missing) :]

    league_ids: dict[int, int] = {}
    games: list[tuple[str, int, str, list[str]]] = []
    for size in LEAGUE_SIZES:
        league_ids[size] = session.execute(
            sa.insert(League)
            .values(
                name=f"Bench league of {size}",
                invite_selector=rules.new_selector(),
                member_count=size,
                first_day=date.fromordinal(today.toordinal() - LEAGUE_AGE),
                created_at=now,
            )
            .returning(League.id)
        ).scalar_one()
        members = []
        for i in range(size):
            name = f"{NAMES[i % len(NAMES)]} {i + 1}"
            members.append(
                {
                    "league_id": league_ids[size],
                    "player_id": league_player(size, i),
                    "display_name": name,
                    "name_key": rules.name_key(name),
                    "joined_at": now,
                }
            )
            for day in days:
                if rng.random() < 0.85:  # most days played; a few left unfinished
                    state = rng.choices(("won", "lost", "playing"), (70, 25, 5))[0]
                    games.append(
                        (league_player(size, i), puzzle_of[day], state, game_moves(rng, state))
                    )
            state = rng.choices(("won", "lost", "playing", "not yet"), (35, 10, 20, 35))[0]
            if state != "not yet":
                games.append(
                    (league_player(size, i), puzzle_of[today], state, game_moves(rng, state))
                )
        session.execute(sa.insert(LeagueMember), members)
    session.execute(
        sa.insert(Play),
        [
            {
                "player_id": player_id,
                "puzzle_id": puzzle_id,
                "status": state,
                "started_at": now,
                "finished_at": None if state == "playing" else now,
                "archive": False,
            }
            for player_id, puzzle_id, state, _ in games
        ],
    )
    play_ids = {
        (player_id, puzzle_id): play_id
        for play_id, player_id, puzzle_id in session.execute(
            sa.select(Play.id, Play.player_id, Play.puzzle_id).where(Play.player_id.in_(players))
        ).tuples()
    }
    session.execute(
        sa.insert(Guess),
        [
            {
                "play_id": play_ids[player_id, puzzle_id],
                "position": position,
                "text": "A bench guess",
                "movie_id": None if outcome == "skipped" else wrong_movies[position],
                "outcome": outcome,
                "created_at": now,
            }
            for player_id, puzzle_id, _, moves in games
            for position, outcome in enumerate(moves)
        ],
    )
    session.commit()
    print(f"  leagues {league_ids}: {len(games)} games over {len(days)} past days and today")
    return league_ids


# ---------------------------------------------------------------------------- wrk


@dataclass
class Scenario:
    """One wrk run: what it measures, against which server, with which script and arguments."""

    name: str
    server: str
    script: str
    args: list[str]
    warm_args: list[str] | None = None
    requests_per_action: int = 1
    path: str = ""


def wrk(
    port: int, scenario: Scenario, seconds: int, threads: int, connections: int
) -> dict[str, Any]:
    """Run wrk once and return the JSON line its script prints."""
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK / scenario.script),
        f"http://127.0.0.1:{port}{scenario.path}",
        "--",
        *scenario.args,
    ]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout  # nosec B603
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    result: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# The gunicorn master of each server, for CPU accounting: set by main().
MASTERS: dict[str, int] = {}
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(master: int) -> float:
    """Return the CPU seconds used by a gunicorn master and its workers, living or recycled."""

    def fields(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    own = fields(master)
    # utime, stime, then cutime, cstime: the reaped (recycled) workers' time lands in the latter.
    total = sum(int(v) for v in own[11:15])
    for pid in children(master):
        # A worker that exited between the listing and the read: the master has its time now.
        with contextlib.suppress(OSError):
            total += sum(int(v) for v in fields(pid)[11:13])
    return total / TICK


def measure(scenario: Scenario, ports: dict[str, int], args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then measure one scenario; note the load average before and after."""
    port = ports[scenario.server]
    if args.warmup:
        warm = Scenario(
            scenario.name,
            scenario.server,
            scenario.script,
            scenario.warm_args or scenario.args,
            path=scenario.path,
        )
        wrk(port, warm, args.warmup, args.threads, args.connections)
    load_before = os.getloadavg()[0]
    cpu_before = tree_cpu(MASTERS[scenario.server])
    result = wrk(port, scenario, args.duration, args.threads, args.connections)
    cpu = tree_cpu(MASTERS[scenario.server]) - cpu_before
    # Server CPU per action: unlike requests/s, hardly moved by other people's jobs.
    result["cpu_ms_per_action"] = (
        cpu * 1000 * scenario.requests_per_action / max(result["requests"], 1)
    )
    result["load_before"] = load_before
    result["load_after"] = os.getloadavg()[0]
    result["name"] = scenario.name
    result["actions_per_s"] = result["rps"] / scenario.requests_per_action
    print(
        f"  {scenario.name:<28} {result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:7.2f} ms"
        f"  p99 {result['p99_us'] / 1000:7.2f} ms  statuses {result['statuses']}"
        f"  errors {sum(result['errors'].values())}"
        f"  load {load_before:.2f}->{result['load_after']:.2f}"
        f"  server CPU {result['cpu_ms_per_action']:.2f} ms/action",
        flush=True,
    )
    return result


def scenarios(fx: Fixtures, threads: int, grown: bool = False, players: int = 0) -> list[Scenario]:
    """The scenarios, in the order they run (`players`: the round whose players move)."""
    f = fx.files
    number = str(fx.number)
    htmx, warm = ("htmx-grown", "warm-grown") if grown else ("htmx", "warm-htmx")
    if players:
        f = {
            **f,
            **{name: f[f"{name}-{players}"] for name in ("htmx", "nojs", "warm-htmx", "warm-nojs")},
        }
    return [
        # The ceiling for any page that reads a player's game (bench/hello_app.py's /floor).
        Scenario(
            "floor: cookie + 1 query",
            "hello",
            "page.lua",
            [fx.returning_cookie],
            path="/floor",
        ),
        # The ceiling for any move (bench/hello_app.py's POST /puzzle/N/moves): the same players
        # and requests as the htmx guess; it stores nothing, so it can share the warm-up set.
        Scenario(
            "floor: a move's minimum",
            "hello",
            "guess.lua",
            [str(f[warm]), str(f["wrong"]), number, "htmx", str(threads)],
        ),
        Scenario("page, new player", "app", "page.lua", []),
        Scenario("page, returning mid-game", "app", "page.lua", [fx.returning_cookie]),
        Scenario(
            "guess, htmx fragment",
            "app",
            "guess.lua",
            [str(f[htmx]), str(f["wrong"]), number, "htmx", str(threads)],
            [str(f[warm]), str(f["wrong"]), number, "htmx", str(threads)],
        ),
        Scenario(
            "guess, no-JS 303 + page",
            "app",
            "guess.lua",
            [str(f["nojs"]), str(f["wrong"]), number, "nojs", str(threads)],
            [str(f["warm-nojs"]), str(f["wrong"]), number, "nojs", str(threads)],
            requests_per_action=2,
        ),
        Scenario(
            "guess, unknown title (422)",
            "app",
            "guess.lua",
            [str(f["unknown"]), str(f["typos"]), number, "unknown", "1"],
        ),
        Scenario("typeahead /titles", "app", "titles.lua", [str(f["queries"])]),
        *(
            Scenario(
                f"league {what}, {size} members",
                "app",
                "page.lua",
                [cookie, *extra],
                path=f"/leagues/{league_id}",
            )
            for size, (league_id, cookie) in fx.leagues.items()
            for what, extra in (("page", []), ("board htmx", ["htmx"]))
        ),
    ]


HELLO = Scenario("hello", "hello", "page.lua", [])
PAGE_FLOOR, MOVE_FLOOR = "floor: cookie + 1 query", "floor: a move's minimum"
# Issue 18's goals: server CPU per action as a share of its floor's, measured in the same run.
GOALS = {
    "page, new player": (PAGE_FLOOR, 0.90),
    "page, returning mid-game": (PAGE_FLOOR, 0.80),
    "typeahead /titles": (PAGE_FLOOR, 0.60),
    "guess, htmx fragment": (MOVE_FLOOR, 0.60),
    "guess, unknown title (422)": (MOVE_FLOOR, 0.50),
    "guess, no-JS 303 + page": (MOVE_FLOOR, 0.0),
    # Issue 25: no goal set; read beside the returning page's share (a page that reads a game).
    **{
        f"league {what}, {size} members": (PAGE_FLOOR, 0.0)
        for size in LEAGUE_SIZES
        for what in ("page", "board htmx")
    },
}


def measure_against_floors(
    fx: Fixtures, ports: dict[str, int], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Measure each scenario right after its floor, `args.rounds` times in turn: the machine's
    speed drifts by half within minutes here, so each share divides two runs seconds apart,
    and the median of the rounds is the figure (the range says how far it moved)."""
    results = []
    for name, (floor_name, goal) in GOALS.items():
        if args.only and not any(o in name for o in args.only.split(",")):
            continue
        rounds = []
        for r in range(args.rounds):
            by_name = {s.name: s for s in scenarios(fx, args.threads, players=r)}
            floor = measure(by_name[floor_name], ports, args)
            result = measure(by_name[name], ports, args)
            result["floor"] = floor
            result["share"] = floor["cpu_ms_per_action"] / result["cpu_ms_per_action"]
            rounds.append(result)
        shares = sorted(r["share"] for r in rounds)
        results.append(
            {
                "name": name,
                "floor_name": floor_name,
                "goal": goal,
                "rounds": rounds,
                "median_share": statistics.median(shares),
                "shares": shares,
            }
        )
    return results


def report_against_floors(results: list[dict[str, Any]]) -> None:
    """Print each scenario's CPU per action beside its floor's, round by round, and the share."""
    print(
        f"{'scenario':<30}{'CPU ms (floor ms) per round':<44}{'median':>8}{'range':>13}{'goal':>7}"
    )
    for r in results:
        cells = "  ".join(
            f"{x['cpu_ms_per_action']:.2f} ({x['floor']['cpu_ms_per_action']:.2f})"
            for x in r["rounds"]
        )
        low, high = r["shares"][0], r["shares"][-1]
        goal = f"{r['goal']:.0%}" if r["goal"] else "—"
        print(
            f"{r['name']:<30}{cells:<44}{r['median_share']:8.0%}"
            f"{f'{low:.0%}–{high:.0%}':>13}{goal:>7}"
        )


def measure_paired(
    chosen: list[Scenario], ports: dict[str, int], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Measure each scenario right after the hello page: other people's jobs on a shared
    machine come and go, so each ratio compares two runs a few seconds apart."""
    results = []
    for scenario in chosen:
        hello = measure(HELLO, ports, args)
        result = measure(scenario, ports, args)
        result["hello"] = hello
        result["vs_hello"] = result["actions_per_s"] / hello["rps"]
        result["cpu_vs_hello"] = hello["cpu_ms_per_action"] / result["cpu_ms_per_action"]
        results.append(result)
    return results


# ---------------------------------------------------------------------------- memory


def memory(pid: int) -> dict[str, float]:
    """Return a process's RSS and PSS in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    pss = 0
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration):
        pass
    return {"pid": pid, "rss_mb": rss / 1024, "pss_mb": pss / 1024}


# ---------------------------------------------------------------------------- growth


GROWTH_SQL = [
    # One puzzle per past day since the launch, each with a movie not used yet (the days the
    # bench's leagues have puzzles for already keep theirs).
    """
    INSERT INTO puzzles (day, number, movie_id, created_at)
    SELECT CAST(:launch AS date) + CAST(m.n - 1 AS integer), m.n, m.id, now()
    FROM (SELECT row_number() OVER (ORDER BY id) AS n, id FROM movies
          WHERE id NOT IN (SELECT movie_id FROM puzzles)) AS m
    WHERE CAST(:launch AS date) + CAST(m.n - 1 AS integer) < CAST(:today AS date)
    ON CONFLICT DO NOTHING
    """,
    # 1 M plays: 20,000 players with 50 games each, spread over every puzzle up to today.
    """
    INSERT INTO plays (player_id, puzzle_id, status, started_at, finished_at, archive)
    SELECT 'gen' || lpad((i / 50)::text, 19, '0'), p.ids[((i / 50 + i % 50) % p.n) + 1],
           'won', now(), now(), false
    FROM generate_series(0, :plays - 1) AS i,
         (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM puzzles
          WHERE day <= CAST(:today AS date)) AS p
    """,
    # 5 M guesses: five per generated play, four wrong titles and then the right one.
    """
    INSERT INTO guesses (play_id, position, text, movie_id, outcome, created_at)
    SELECT pl.id, g, 'A generated guess', m.ids[(pl.id * 5 + g) % m.n + 1],
           CASE WHEN g = 4 THEN 'right' ELSE 'wrong' END, now()
    FROM plays AS pl CROSS JOIN generate_series(0, 4) AS g,
         (SELECT array_agg(id) AS ids, count(*) AS n FROM movies) AS m
    WHERE pl.player_id LIKE 'gen%'
    """,
]


def grow(url: str, plays: int, launch: date) -> dict[str, int]:
    """Add `plays` plays and five guesses each, then ANALYZE; return the row counts."""
    engine = sa.create_engine(psycopg_url(url))
    params = {
        "launch": launch.isoformat(),
        "today": datetime.now(UTC).date().isoformat(),
        "plays": plays,
    }
    with engine.begin() as connection:
        # The rows are built valid; skipping the per-row foreign-key triggers saves minutes.
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for statement in GROWTH_SQL:
            started = time.monotonic()
            connection.execute(sa.text(statement), params)
            print(f"  grew in {time.monotonic() - started:.1f} s", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
        counts = {
            table: int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("puzzles", "plays", "guesses")
        }
    engine.dispose()
    return counts


# ---------------------------------------------------------------------------- main


@contextmanager
def servers(
    env: dict[str, str],
    work: Path,
    redis_port: int,
    args: argparse.Namespace,
    prepare: Callable[[argparse.Namespace, dict[str, str]], None],
) -> Iterator[dict[str, Server]]:
    """Start Redis, prepare the database, start the game and the hello app; stop them after."""
    started: dict[str, Server] = {}
    try:
        started["redis"] = start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env,
            redis_port,
            work / "redis.log",
        )
        prepare(args, env)
        gunicorn = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        for name, target, extra in (
            ("app", "guessthatmovie:create_app()", []),
            ("hello", "hello_app:app", ["--pythonpath", str(ROOT / "bench")]),
        ):
            port = free_port()
            started[name] = start(
                name,
                [*gunicorn, *extra, target],
                {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                port,
                work / f"{name}.log",
            )
        wait_http(started["app"].port, "/readyz")
        wait_http(started["hello"].port, "/")
        yield started
    finally:
        for server in reversed(list(started.values())):
            server.stop()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Build the bench's database, unless told to reuse the one a previous run left."""
    if args.reuse_database:
        print("Reusing the database of a previous run.")
        return
    print("Preparing the database:", flush=True)
    prepare_database(args.database_url, args.movies, env)


def report(results: list[dict[str, Any]]) -> None:
    """Print the table of figures with the ratios to the hello run just before each."""
    print(
        f"{'scenario':<30}{'req/s':>9}{'actions/s':>11}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'hello/s':>9}{'hello p50':>10}{'hello p99':>10}{'vs hello':>10}"
        f"{'CPU ms':>8}{'hello CPU':>10}{'CPU ratio':>10}"
    )
    for r in results:
        h = r["hello"]
        print(
            f"{r['name']:<30}{r['rps']:9.1f}{r['actions_per_s']:11.1f}{r['p50_us'] / 1000:9.2f}"
            f"{r['p99_us'] / 1000:9.2f}{h['rps']:9.1f}{h['p50_us'] / 1000:10.2f}"
            f"{h['p99_us'] / 1000:10.2f}{r['vs_hello']:10.1%}"
            f"{r['cpu_ms_per_action']:8.2f}{h['cpu_ms_per_action']:10.2f}{r['cpu_vs_hello']:10.1%}"
        )


def main() -> None:
    """Run the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--movies", type=Path, default=DEFAULT_MOVIES, help="the compact CSV")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and recreated")
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario (<= 30)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per scenario")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections")
    parser.add_argument("--players", type=int, default=3000, help="pre-made players per set")
    parser.add_argument("--only", help="comma-separated scenario names (substrings) to run")
    parser.add_argument("--growth", action="store_true", help="then 1 M plays, 5 M guesses")
    parser.add_argument("--growth-plays", type=int, default=1_000_000)
    parser.add_argument("--reuse-database", action="store_true", help="skip the import")
    parser.add_argument("--hold", type=int, default=0, help="seconds to keep serving first")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument(
        "--against",
        choices=("hello", "floors"),
        default="hello",
        help="pair each scenario with the hello page, or with its floor (issue 18's goals)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --against floors: pairs each")
    parser.add_argument(
        "--explain-out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gtm-bench-explain.txt",
        help="where --growth writes the plans",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 30:
        parser.error("--duration must be from 1 to 30 seconds")
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install -y wrk redis-server)")

    # Stopped by SIGTERM (or timeout), still stop the servers: the `finally` in servers() runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="gtm-bench-"))
    redis_port = free_port()
    env = {
        **os.environ,
        "FLASK_APP": "guessthatmovie",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "false",
        "GUESS_RATE_LIMIT": LIFTED,
        "GUESS_ADDRESS_LIMIT": LIFTED,
        "SEARCH_RATE_LIMIT": LIFTED,
        "PROXY_HOPS": "0",
        "LOG_FORMAT": "json",
        "GTM_INSTANCE_PATH": str(work / "instance"),
    }
    env.pop("WEB_CONCURRENCY", None)
    print(f"Machine: {os.cpu_count()} CPUs; load {os.getloadavg()}; work files in {work}")
    results: dict[str, Any] = {"cpus": os.cpu_count(), "started": datetime.now(UTC).isoformat()}
    with servers(env, work, redis_port, args, prepare) as running:
        ports = {name: server.port for name, server in running.items()}
        MASTERS.update({name: server.process.pid for name, server in running.items()})
        rounds = args.rounds if args.against == "floors" else 1
        fx = make_fixtures(env, work, ports["app"], args.players, rounds)
        if args.hold:
            print(f"Holding {args.hold} s: ports {ports}, files in {work}", flush=True)
            time.sleep(args.hold)
        chosen = [
            s
            for s in scenarios(fx, args.threads)
            if s.name.startswith("hello")
            or not args.only
            or any(o in s.name for o in args.only.split(","))
        ]
        results["workers"] = len(running["app"].workers())
        print(
            f"Measuring ({results['workers']} workers each, wrk -t{args.threads}"
            f" -c{args.connections}, {args.duration} s a scenario):"
        )
        if args.against == "floors":
            results["floors"] = measure_against_floors(fx, ports, args)
            report_against_floors(results["floors"])
        else:
            results["empty"] = measure_paired(chosen, ports, args)
            report(results["empty"])
        results["memory"] = {
            name: [memory(pid) for pid in running[name].workers()] for name in ("app", "hello")
        }
        for name, rows in results["memory"].items():
            print(
                f"{name} workers after the load: "
                + ", ".join(f"RSS {m['rss_mb']:.1f} MB (PSS {m['pss_mb']:.1f})" for m in rows)
            )
        if args.growth:
            from guessthatmovie.config import from_environment

            print(f"Growing the database by {args.growth_plays:,} plays:", flush=True)
            results["rows"] = grow(
                args.database_url, args.growth_plays, from_environment(env)["GAME_LAUNCH_DATE"]
            )
            print(f"  rows now: {results['rows']}")
            grown = [
                s
                for s in scenarios(fx, args.threads, grown=True)
                if s.name
                in {"hello", "page, new player", "page, returning mid-game", "guess, htmx fragment"}
            ]
            results["grown"] = measure_paired(grown, ports, args)
            report(results["grown"])
            from explain import explain_requests

            args.explain_out.write_text(explain_requests())
            print(f"EXPLAIN of a page view and a guess: {args.explain_out}")
    results["finished"] = datetime.now(UTC).isoformat()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
