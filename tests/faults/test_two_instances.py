"""Two instances behind one nginx upstream (round robin), sharing PostgreSQL and Redis."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.faults.client import ANSWER, Client, form_of, post_move
from tests.faults.conftest import RedisServer, Serve, database_with_puzzle
from tests.servers import Process, Reply, http_ok, start, unavailable, wait_for

NGINX = Path("/usr/sbin/nginx")
LIMIT = 20  # moves per minute per player, counted once across both instances


def nginx_config(folder: Path, port: int, upstreams: list[int]) -> Path:
    """Write a test-only nginx config: one round-robin upstream that names who answered."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    for sub in ("logs", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/logs/access.log;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    upstream app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # Test only: which instance answered.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
    )
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)  # nginx's workers run as nobody
    return config


@pytest.fixture
def balancer() -> Iterator[tuple[Path, int]]:
    """A folder and port for nginx; the nginx started there is stopped after the test."""
    if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
        unavailable(f"the two-instance test needs Debian's nginx at {NGINX}")
    folder = Path(tempfile.mkdtemp(prefix="gtm-faults-nginx-"))
    yield folder, free_port()
    pid = folder / "nginx.pid"
    if pid.exists():
        os.kill(int(pid.read_text()), signal.SIGQUIT)
    shutil.rmtree(folder, ignore_errors=True)


def upstream(reply: Reply) -> str:
    """Return the instance that answered (nginx's X-Upstream: 127.0.0.1:port)."""
    return str(reply.headers["X-Upstream"])


def test_a_player_alternating_between_instances_plays_one_game(
    serve: Serve,
    workdir: Path,
    postgres: str,
    redis_server: RedisServer,
    balancer: tuple[Path, int],
) -> None:
    url = database_with_puzzle(workdir, "_faults_two")
    env = {"REDIS_URL": redis_server.url(), "GUESS_RATE_LIMIT": f"{LIMIT}/minute"}
    env["WEB_CONCURRENCY"] = "2"
    instances = [serve(url, name=name, **env) for name in ("a", "b")]
    ports = [port for _server, port in instances]
    folder, port = balancer
    nginx: Process = start(
        [str(NGINX), "-p", str(folder), "-c", str(nginx_config(folder, port, ports)),
         "-g", "daemon off;"],
        folder / "nginx.out",
    )  # fmt: skip
    wait_for(lambda: http_ok(port), "nginx", folder / "logs" / "error.log")
    both = {f"127.0.0.1:{p}" for p in ports}

    # The same daily puzzle on both: the same heading and clues for every new player.
    pages = [Client(port).get() for _ in range(4)]
    assert {upstream(page) for page in pages} == both
    assert {page.html.find("h1").get_text(" ", strip=True) for page in pages} != set()
    assert len({page.html.find("h1").get_text(" ", strip=True) for page in pages}) == 1
    assert len({page.html.select_one("#clues").get_text(" ", strip=True) for page in pages}) == 1

    # One player, each request answered by the other instance than the last: one game.
    player = Client(port)
    moves = [("guess", "Lanterns Over Kyoto"), ("skip", ""), ("guess", "Spider-Moth")]
    moves.append(("guess", ANSWER))
    expected: list[str] = []
    served: dict[str, set[str]] = {"page": set(), "move": set()}
    for number, (action, text) in enumerate(moves):
        page = player.get()
        served["page"].add(upstream(page))
        assert [li["data-guess"] for li in page.html.select("[data-guess]")] == expected
        found = form_of(page)
        assert found is not None
        action_url, fields = found
        fields.update(action=action, guess=text)
        reply = post_move(player, action_url, fields, htmx=bool(number % 2))
        assert reply.status in (200, 303), reply.text
        served["move"].add(upstream(reply))
        expected.append({"skip": "skipped"}.get(action, "right" if text == ANSWER else "wrong"))
        if number == 1:
            player.get("/healthz")  # one request more: pages and moves swap instances
    final = player.get()
    assert [li["data-guess"] for li in final.html.select("[data-guess]")] == expected
    assert final.html.find(attrs={"data-result": True})["data-result"] == "won"
    assert served == {"page": both, "move": both}, served

    # The limit on a player's moves is one budget across both instances (counted in the shared
    # Redis): a new player, flooding, is refused after exactly LIMIT moves through both.
    spammer = Client(port)
    found = form_of(spammer.get())
    assert found is not None
    action_url, fields = found
    fields.update(action="guess", guess="Not A Film At All")
    counted, spam_served = 0, set()
    for _ in range(2 * LIMIT):
        reply = post_move(spammer, action_url, fields, htmx=True)
        spam_served.add(upstream(reply))
        if reply.status == 429:
            break
        assert reply.status == 422, reply.text
        counted += 1
    assert reply.status == 429 and counted == LIMIT, (reply.status, counted)
    assert spam_served == both
    assert nginx.process.poll() is None
    print(
        f"\nFAULT two-instances: pages from {sorted(served['page'])}, moves from "
        f"{sorted(served['move'])}; one game won across both; 429 after exactly {counted} "
        f"moves through both (limit {LIMIT}/minute)"
    )
